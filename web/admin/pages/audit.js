// audit.js — 操作日志: every admin action, newest first (GET /admin/audit): who, what, on what,
// before and after, when.
import { onMounted } from '/assets/vendor/vue.esm-browser.prod.js';
import { cursorList, formatTime } from '../lib.js';

export const AuditPage = {
  name: 'AuditPage',
  setup() {
    const list = cursorList(() => '/admin/audit', 30);
    onMounted(() => list.reload());
    return { list, formatTime };
  },
  template: `
    <div class="adm-page">
      <el-card shadow="never" class="adm-card">
        <div class="adm-toolbar">
          <el-button size="small" @click="list.reload()">{{ t('common.refresh') }}</el-button>
        </div>
        <el-table :data="list.state.items" v-loading="list.state.loading" size="small" :empty-text="t('common.none')" class="adm-audit-table">
          <el-table-column label="#" prop="id" width="70" />
          <el-table-column :label="t('adm.time')" min-width="150"><template #default="{ row }">{{ formatTime(row.at) }}</template></el-table-column>
          <el-table-column :label="t('audit.actor')" prop="actor" min-width="90" />
          <el-table-column :label="t('audit.action')" min-width="110"><template #default="{ row }"><span class="adm-audit-action" :data-action="row.action">{{ label('action.', row.action) }}</span></template></el-table-column>
          <el-table-column :label="t('audit.target')" prop="target" min-width="130" show-overflow-tooltip />
          <el-table-column :label="t('audit.before')" prop="before" min-width="140" show-overflow-tooltip />
          <el-table-column :label="t('audit.after')" prop="after" min-width="180" show-overflow-tooltip />
        </el-table>
        <cursor-pager :list="list" />
      </el-card>
    </div>`,
};
