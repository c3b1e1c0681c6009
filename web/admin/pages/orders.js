// orders.js — 订单管理: orders by status (GET /admin/orders?status=), newest first; confirm an
// offline payment (后台确认线下收款: POST .../confirm-payment), complete an order (rewards are
// credited: POST .../complete) and refund one (claw-backs: POST .../refund), each after a
// confirmation.
import { onMounted, ref } from '/assets/vendor/vue.esm-browser.prod.js';
import { t } from '/assets/js/i18n.js';
import { formatMinor } from '/assets/js/money.js';
import { ORDER_STATUSES, api, confirmAction, cursorList, ok, route, showError } from '../lib.js';

export const OrdersPage = {
  name: 'OrdersPage',
  setup() {
    const status = ref(ORDER_STATUSES.includes(route.query.status) ? route.query.status : 'pending');
    const list = cursorList(() => '/admin/orders' + (status.value ? '?status=' + status.value : ''));
    onMounted(() => list.reload());
    const busy = ref('');
    async function act(row, action) {
      const vars = { id: row.id, amount: formatMinor(row.amount, true), cash: formatMinor(row.cash, true) };
      if (!(await confirmAction(t('ord.ask_' + action, vars), t('ord.' + action)))) {
        return;
      }
      busy.value = row.id + action;
      try {
        const r = await api.post(`/admin/orders/${encodeURIComponent(row.id)}/${action}`);
        ok(t('ord.done_' + action, { id: row.id, status: t('status.' + r.status) }));
        list.refresh();
      } catch (e) {
        showError(e);
      } finally {
        busy.value = '';
      }
    }
    return { status, list, act, busy, ORDER_STATUSES };
  },
  template: `
    <div class="adm-page">
      <el-card shadow="never" class="adm-card">
        <div class="adm-toolbar">
          <el-radio-group v-model="status" size="small" class="adm-status-filter" @change="list.reload()">
            <el-radio-button v-for="s in ORDER_STATUSES" :key="s" :value="s">{{ t('status.' + s) }}</el-radio-button>
            <el-radio-button value="">{{ t('adm.all') }}</el-radio-button>
          </el-radio-group>
          <el-button size="small" @click="list.refresh()">{{ t('common.refresh') }}</el-button>
        </div>
        <el-table :data="list.state.items" v-loading="list.state.loading" size="small" :empty-text="t('common.none')" class="adm-orders-table" row-key="id">
          <el-table-column :label="t('ord.id')" prop="id" min-width="130" show-overflow-tooltip />
          <el-table-column :label="t('mem.member')" min-width="120"><template #default="{ row }"><member-link :id="row.member" /></template></el-table-column>
          <el-table-column :label="t('ord.amount')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.amount" /></template></el-table-column>
          <el-table-column :label="t('ord.cash')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.cash" /></template></el-table-column>
          <el-table-column :label="t('prod.status')" min-width="90"><template #default="{ row }"><status-tag :status="row.status" /></template></el-table-column>
          <el-table-column :label="t('adm.actions')" min-width="170" fixed="right">
            <template #default="{ row }">
              <span class="adm-row-actions" :data-order="row.id">
                <el-button v-if="row.status === 'pending'" type="primary" size="small" class="adm-confirm-payment"
                           :loading="busy === row.id + 'confirm-payment'" @click="act(row, 'confirm-payment')">{{ t('ord.confirm-payment') }}</el-button>
                <el-button v-if="row.status === 'paid'" type="success" size="small" class="adm-complete"
                           :loading="busy === row.id + 'complete'" @click="act(row, 'complete')">{{ t('ord.complete') }}</el-button>
                <el-button v-if="row.status !== 'refunded'" type="danger" plain size="small" class="adm-refund"
                           :loading="busy === row.id + 'refund'" @click="act(row, 'refund')">{{ row.status === 'pending' ? t('ord.cancel') : t('ord.refund') }}</el-button>
              </span>
            </template>
          </el-table-column>
        </el-table>
        <cursor-pager :list="list" />
      </el-card>
    </div>`,
};
