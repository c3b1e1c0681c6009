// withdrawals.js — 提现审核: withdrawals by status (GET /admin/withdrawals?status=), pending
// first; approve (the member receives the amount less the fee) or reject (the amount returns to
// the member), each after a confirmation.
import { onMounted, ref } from '/assets/vendor/vue.esm-browser.prod.js';
import { t } from '/assets/js/i18n.js';
import { formatMinor } from '/assets/js/money.js';
import {
  WITHDRAWAL_STATUSES, api, confirmAction, cursorList, ok, route, showError,
} from '../lib.js';

export const WithdrawalsPage = {
  name: 'WithdrawalsPage',
  setup() {
    const status = ref(WITHDRAWAL_STATUSES.includes(route.query.status) ? route.query.status : 'pending');
    const list = cursorList(() => '/admin/withdrawals' + (status.value ? '?status=' + status.value : ''));
    onMounted(() => list.reload());
    const busy = ref('');
    async function review(row, action) {
      const vars = { id: row.request, member: row.member, amount: formatMinor(row.amount, true) };
      if (!(await confirmAction(t('wd.ask_' + action, vars), t('wd.' + action)))) {
        return;
      }
      busy.value = row.request + action;
      try {
        await api.post(`/admin/withdrawals/${encodeURIComponent(row.request)}/${action}`);
        ok(t('wd.done_' + action, vars));
        list.refresh();
      } catch (e) {
        showError(e);
      } finally {
        busy.value = '';
      }
    }
    return { status, list, review, busy, WITHDRAWAL_STATUSES };
  },
  template: `
    <div class="adm-page">
      <el-card shadow="never" class="adm-card">
        <div class="adm-toolbar">
          <el-radio-group v-model="status" size="small" @change="list.reload()">
            <el-radio-button v-for="s in WITHDRAWAL_STATUSES" :key="s" :value="s">{{ t('status.' + s) }}</el-radio-button>
            <el-radio-button value="">{{ t('adm.all') }}</el-radio-button>
          </el-radio-group>
          <el-button size="small" @click="list.refresh()">{{ t('common.refresh') }}</el-button>
        </div>
        <el-table :data="list.state.items" v-loading="list.state.loading" size="small" :empty-text="t('common.none')" class="adm-withdrawals-table">
          <el-table-column :label="t('wd.request')" prop="request" min-width="140" show-overflow-tooltip />
          <el-table-column :label="t('mem.member')" min-width="120"><template #default="{ row }"><member-link :id="row.member" /></template></el-table-column>
          <el-table-column :label="t('adm.amount')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.amount" /></template></el-table-column>
          <el-table-column :label="t('wd.fee')" align="right" min-width="80"><template #default="{ row }"><amount :v="row.fee" /></template></el-table-column>
          <el-table-column :label="t('wd.day')" prop="day" min-width="100" />
          <el-table-column :label="t('prod.status')" min-width="90"><template #default="{ row }"><status-tag :status="row.status" /></template></el-table-column>
          <el-table-column :label="t('adm.actions')" min-width="150" fixed="right">
            <template #default="{ row }">
              <span v-if="row.status === 'pending'" class="adm-row-actions" :data-request="row.request">
                <el-button type="success" size="small" class="adm-approve" :loading="busy === row.request + 'approve'" @click="review(row, 'approve')">{{ t('wd.approve') }}</el-button>
                <el-button type="danger" plain size="small" class="adm-reject" :loading="busy === row.request + 'reject'" @click="review(row, 'reject')">{{ t('wd.reject') }}</el-button>
              </span>
              <span v-else class="muted">-</span>
            </template>
          </el-table-column>
        </el-table>
        <cursor-pager :list="list" />
      </el-card>
    </div>`,
};
