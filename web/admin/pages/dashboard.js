// dashboard.js — 数据概览: today's figures and the recent days' totals (GET
// /admin/reports/daily), what the platform owes now by asset (GET /admin/reports/liabilities),
// and charts of issuance, release and forfeits (the settlements' reports), cash out and
// dividends, the growth price and the liabilities outstanding by asset.
import { computed, onMounted, reactive, ref } from '/assets/vendor/vue.esm-browser.prod.js';
import { formatMinor } from '/assets/js/money.js';
import { t } from '/assets/js/i18n.js';
import { ASSETS, api, businessDay, isMobile, loadTimezone, money, showError } from '../lib.js';
import { EChart } from '../chart.js';

const COLORS = ['#409eff', '#67c23a', '#e6a23c', '#f56c6c', '#909399', '#9b59b6', '#1abc9c',
                '#34495e', '#d35400'];

// Axis labels and tooltips of amounts in minor units.
function axisMoney(v) {
  return formatMinor(Math.round(v), false);
}
function tooltipMoney(params) {
  const list = Array.isArray(params) ? params : [params];
  if (!list.length) {
    return '';
  }
  const rows = list.map((p) => `${p.marker}${p.seriesName}: <b>${formatMinor(p.value ?? 0, true)}</b>`);
  return [list[0].axisValue, ...rows].join('<br>');
}

function baseOption(days, series, { money: isMoney = true, stack = false } = {}) {
  const mobile = isMobile();
  return {
    color: COLORS,
    animation: false,
    grid: { left: 8, right: 12, top: mobile ? 56 : 40, bottom: 8, containLabel: true },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', confine: true, formatter: isMoney ? tooltipMoney : undefined },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisLabel: { fontSize: 10 } },
    yAxis: {
      type: 'value',
      minInterval: isMoney ? 1 : 0,
      axisLabel: { fontSize: 10, formatter: isMoney ? axisMoney : undefined },
      scale: !isMoney,
    },
    series: series.map((s) => ({ ...s, stack: stack ? 'total' : undefined })),
  };
}

export const DashboardPage = {
  name: 'DashboardPage',
  components: { EChart },
  setup() {
    const span = ref(14);
    const state = reactive({ loading: false, daily: [], liab: null, settlements: {} });
    async function load() {
      state.loading = true;
      await loadTimezone();
      const to = businessDay();
      const from = businessDay(new Date(), -(span.value - 1));
      try {
        const [daily, liab, settled] = await Promise.all([
          api.get(`/admin/reports/daily?from=${from}&to=${to}`),
          api.get('/admin/reports/liabilities'),
          api.get('/admin/settlements?limit=' + Math.min(200, span.value)),
        ]);
        state.daily = daily.items || [];
        state.liab = liab;
        const byDay = {};
        for (const s of settled.items || []) {
          if (s && s.day) {
            byDay[s.day] = s;
          }
        }
        state.settlements = byDay;
      } catch (e) {
        showError(e);
      } finally {
        state.loading = false;
      }
    }
    onMounted(load);

    const today = computed(() => state.daily[state.daily.length - 1] || null);
    const KEYS = ['sales', 'revenue', 'income', 'cash_paid_out', 'dividends', 'cash_rewards'];
    const COUNTS = ['orders_completed', 'members_new'];
    const totals = computed(() => {
      const s = {};
      for (const k of [...KEYS, ...COUNTS]) {
        // sums of integers from JSON, as BigInt: exact whatever their size
        s[k] = state.daily.reduce((a, r) => a + BigInt(r[k] || 0), 0n);
      }
      return s;
    });
    const days = computed(() => state.daily.map((r) => r.day));

    const issuance = computed(() => baseOption(days.value, ASSETS.filter((a) => a !== 'token').map((a) => ({
      name: t('asset.' + a), type: 'bar', data: state.daily.map((r) => r.assets[a].issued),
    })), { stack: true }));
    const release = computed(() => baseOption(days.value, [
      { name: t('dash.release_static'), type: 'bar',
        data: state.daily.map((r) => state.settlements[r.day]?.steps?.release?.static ?? 0) },
      { name: t('dash.release_dynamic'), type: 'bar',
        data: state.daily.map((r) => state.settlements[r.day]?.steps?.release?.dynamic ?? 0) },
      { name: t('dash.forfeited'), type: 'line', data: state.daily.map((r) => r.forfeited_locked) },
    ]));
    const cash = computed(() => baseOption(days.value, [
      { name: t('dash.cash_paid_out'), type: 'bar', data: state.daily.map((r) => r.cash_paid_out) },
      { name: t('dash.dividends'), type: 'bar', data: state.daily.map((r) => r.dividends) },
      { name: t('dash.cash_rewards'), type: 'bar', data: state.daily.map((r) => r.cash_rewards) },
      { name: t('dash.income'), type: 'line', data: state.daily.map((r) => r.income) },
    ]));
    const price = computed(() => {
      const o = baseOption(days.value, [
        // the price is an exact decimal string: a number only to place the point on the chart
        { name: t('dash.growth_price'), type: 'line', smooth: false,
          data: state.daily.map((r) => Number(r.growth_price)) },
      ], { money: false });
      o.tooltip.formatter = (ps) => {
        const p = Array.isArray(ps) ? ps[0] : ps;
        const row = state.daily[p.dataIndex];
        return `${p.axisValue}<br>${p.marker}${p.seriesName}: <b>${row ? row.growth_price : ''}</b>`;
      };
      return o;
    });
    const outstanding = computed(() => baseOption(days.value, ASSETS.map((a) => ({
      name: t('asset.' + a), type: 'line', showSymbol: false,
      data: state.daily.map((r) => r.assets[a].outstanding),
    }))));
    const liabRows = computed(() => {
      const l = state.liab;
      return l ? ASSETS.map((a) => ({ asset: a, ...l.assets[a] })) : [];
    });
    const liabBars = computed(() => {
      const o = baseOption(liabRows.value.map((r) => t('asset.' + r.asset)), [
        { name: t('dash.outstanding'), type: 'bar', data: liabRows.value.map((r) => r.outstanding) },
        { name: t('dash.debt'), type: 'bar', data: liabRows.value.map((r) => r.debt) },
      ]);
      o.xAxis.data = liabRows.value.map((r) => t('asset.' + r.asset));
      o.xAxis.axisLabel = { fontSize: 10, interval: 0, rotate: isMobile() ? 45 : 0 };
      return o;
    });
    return { span, state, load, today, totals, money, issuance, release, cash, price,
             outstanding, liabRows, liabBars, KEYS, COUNTS };
  },
  template: `
    <div class="adm-page" v-loading="state.loading">
      <div class="adm-toolbar">
        <el-radio-group v-model="span" size="small" @change="load">
          <el-radio-button :value="7">{{ t('dash.days', { n: 7 }) }}</el-radio-button>
          <el-radio-button :value="14">{{ t('dash.days', { n: 14 }) }}</el-radio-button>
          <el-radio-button :value="30">{{ t('dash.days', { n: 30 }) }}</el-radio-button>
          <el-radio-button :value="90">{{ t('dash.days', { n: 90 }) }}</el-radio-button>
        </el-radio-group>
        <el-button size="small" @click="load">{{ t('common.refresh') }}</el-button>
      </div>

      <el-row :gutter="12" class="adm-stats">
        <el-col v-for="k in KEYS" :key="k" :xs="12" :sm="8" :md="6" :lg="4">
          <el-card shadow="never" class="adm-stat" :data-stat="k">
            <div class="adm-stat-label">{{ t('dash.today') }} · {{ t('dash.' + k) }}</div>
            <div class="adm-stat-value amount">{{ today ? money(today[k]) : '-' }}</div>
            <div class="adm-stat-sub muted">{{ t('dash.total_days', { n: span }) }} <span class="amount">{{ money(totals[k]) }}</span></div>
          </el-card>
        </el-col>
        <el-col v-for="k in COUNTS" :key="k" :xs="12" :sm="8" :md="6" :lg="4">
          <el-card shadow="never" class="adm-stat" :data-stat="k">
            <div class="adm-stat-label">{{ t('dash.today') }} · {{ t('dash.' + k) }}</div>
            <div class="adm-stat-value">{{ today ? today[k] : '-' }}</div>
            <div class="adm-stat-sub muted">{{ t('dash.total_days', { n: span }) }} {{ totals[k] }}</div>
          </el-card>
        </el-col>
        <el-col v-if="state.liab" :xs="12" :sm="8" :md="6" :lg="4">
          <el-card shadow="never" class="adm-stat">
            <div class="adm-stat-label">{{ t('dash.members') }}</div>
            <div class="adm-stat-value">{{ today ? today.members : '-' }}</div>
            <div class="adm-stat-sub muted">{{ t('dash.day_settled') }} {{ state.liab.day_settled || t('dash.never') }}</div>
          </el-card>
        </el-col>
        <el-col v-if="state.liab" :xs="12" :sm="8" :md="6" :lg="4">
          <el-card shadow="never" class="adm-stat">
            <div class="adm-stat-label">{{ t('dash.withdrawals_pending') }}</div>
            <div class="adm-stat-value amount">{{ money(state.liab.withdrawals_pending) }}</div>
            <div class="adm-stat-sub muted">{{ t('dash.forfeited_total') }} <span class="amount">{{ money(state.liab.forfeited_locked) }}</span></div>
          </el-card>
        </el-col>
        <el-col v-if="state.liab" :xs="12" :sm="8" :md="6" :lg="4">
          <el-card shadow="never" class="adm-stat">
            <div class="adm-stat-label">{{ t('dash.growth_price') }}</div>
            <div class="adm-stat-value amount">{{ state.liab.growth_price }}</div>
            <div class="adm-stat-sub muted">{{ t('dash.growth_pool') }} <span class="amount">{{ money(state.liab.growth_pool) }}</span></div>
          </el-card>
        </el-col>
      </el-row>

      <el-row :gutter="12">
        <el-col :xs="24" :lg="12">
          <el-card shadow="never" class="adm-card"><template #header>{{ t('dash.chart_issuance') }}</template>
            <e-chart :option="issuance" /></el-card>
        </el-col>
        <el-col :xs="24" :lg="12">
          <el-card shadow="never" class="adm-card"><template #header>{{ t('dash.chart_release') }}</template>
            <e-chart :option="release" /></el-card>
        </el-col>
        <el-col :xs="24" :lg="12">
          <el-card shadow="never" class="adm-card"><template #header>{{ t('dash.chart_cash') }}</template>
            <e-chart :option="cash" /></el-card>
        </el-col>
        <el-col :xs="24" :lg="12">
          <el-card shadow="never" class="adm-card"><template #header>{{ t('dash.chart_price') }}</template>
            <e-chart :option="price" /></el-card>
        </el-col>
        <el-col :xs="24" :lg="12">
          <el-card shadow="never" class="adm-card"><template #header>{{ t('dash.chart_outstanding') }}</template>
            <e-chart :option="outstanding" /></el-card>
        </el-col>
        <el-col :xs="24" :lg="12">
          <el-card shadow="never" class="adm-card"><template #header>{{ t('dash.chart_liabilities') }}</template>
            <e-chart :option="liabBars" /></el-card>
        </el-col>
      </el-row>

      <el-card shadow="never" class="adm-card" v-if="state.liab">
        <template #header>{{ t('dash.liabilities') }}</template>
        <el-table :data="liabRows" size="small" class="adm-liab-table">
          <el-table-column :label="t('adm.asset')" min-width="100"><template #default="{ row }">{{ t('asset.' + row.asset) }}</template></el-table-column>
          <el-table-column :label="t('dash.outstanding')" align="right" min-width="120"><template #default="{ row }"><amount :v="row.outstanding" /></template></el-table-column>
          <el-table-column :label="t('dash.debt')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.debt" /></template></el-table-column>
          <el-table-column :label="t('dash.net')" align="right" min-width="120"><template #default="{ row }"><amount :v="row.net" /></template></el-table-column>
          <el-table-column :label="t('dash.holders')" align="right" prop="holders" min-width="80" />
        </el-table>
      </el-card>
    </div>`,
};
