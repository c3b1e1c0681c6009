// settlements.js — 日结算: settle every unsettled day up to a day (POST /admin/settlements
// {day}), and the settled days' reports, newest first (GET /admin/settlements): per step its
// totals, the forfeited amounts, the members paid and the time taken.
import { onMounted, reactive, ref } from '/assets/vendor/vue.esm-browser.prod.js';
import { t } from '/assets/js/i18n.js';
import {
  api, businessDay, confirmAction, cursorList, formErrors, loadTimezone, ok, showError,
} from '../lib.js';

// The figures of a step's report that are counts (the others are amounts in minor units).
const COUNT_KEYS = new Set(['members', 'members_paid', 'lots', 'tasks', 'units', 'changed',
                            'members_ranked', 'forced_exits']);
const STEP_ORDER = ['ranks', 'release', 'ad', 'dividends', 'growth'];

export const SettlementsPage = {
  name: 'SettlementsPage',
  setup() {
    const form = reactive({ day: businessDay(new Date(), -1), busy: false });
    const errors = formErrors(['day']);
    const list = cursorList(() => '/admin/settlements', 10);
    const expanded = ref([]);
    onMounted(() => {
      list.reload();
      const first = form.day;
      loadTimezone().then(() => {
        if (form.day === first) {
          form.day = businessDay(new Date(), -1); // in the rules' time zone
        }
      });
    });
    async function run() {
      errors.clear();
      if (!form.day) {
        errors.day = t('ops.day_needed');
        return;
      }
      if (!(await confirmAction(t('set.ask', { day: form.day }), t('set.run')))) {
        return;
      }
      form.busy = true;
      try {
        const r = await api.post('/admin/settlements', { day: form.day });
        ok(r.already ? t('set.already', { day: r.settled_to }) : t('set.done', { day: r.settled_to }));
        await list.reload();
        expanded.value = [r.settled_to];
      } catch (e) {
        showError(e, errors);
      } finally {
        form.busy = false;
      }
    }
    function steps(rep) {
      const s = rep.steps || {};
      const keys = Object.keys(s).sort((a, b) => {
        const ia = STEP_ORDER.indexOf(a);
        const ib = STEP_ORDER.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
      });
      return keys.map((k) => ({
        key: k,
        enabled: s[k].enabled !== false,
        figures: Object.entries(s[k]).filter(([f]) => f !== 'enabled')
          .map(([f, v]) => ({ key: f, v, count: COUNT_KEYS.has(f) || typeof v === 'boolean' })),
      }));
    }
    function figureLabel(step, key) {
      for (const k of ['set.f.' + step + '.' + key, 'set.f.' + key]) {
        const s = t(k);
        if (s !== k) {
          return s;
        }
      }
      return key;
    }
    function onExpand(row, rows) {
      expanded.value = rows.map((r) => r.day);
    }
    return { form, errors, list, run, steps, figureLabel, expanded, onExpand };
  },
  template: `
    <div class="adm-page">
      <el-card shadow="never" class="adm-card">
        <template #header>{{ t('set.run') }}</template>
        <div class="muted adm-small adm-mb">{{ t('set.hint') }}</div>
        <el-form :inline="true" class="adm-settle-form" @submit.prevent="run">
          <el-form-item :label="t('set.through')" :error="errors.day">
            <el-date-picker v-model="form.day" type="date" value-format="YYYY-MM-DD" :clearable="false" />
          </el-form-item>
          <el-form-item>
            <el-button type="primary" native-type="submit" :loading="form.busy" class="adm-settle-btn">{{ t('set.run') }}</el-button>
          </el-form-item>
        </el-form>
      </el-card>
      <el-card shadow="never" class="adm-card">
        <template #header>{{ t('set.reports') }}</template>
        <el-table :data="list.state.items" v-loading="list.state.loading" size="small" :empty-text="t('common.none')"
                  row-key="day" :expand-row-keys="expanded" @expand-change="onExpand" class="adm-settlements-table">
          <el-table-column type="expand">
            <template #default="{ row }">
              <div class="adm-report" :data-day="row.day">
                <el-descriptions :title="t('set.report_of', { day: row.day })" :column="1" size="small" border class="adm-mb">
                  <el-descriptions-item :label="t('set.members_paid')">{{ row.members_paid }}</el-descriptions-item>
                  <el-descriptions-item :label="t('set.forfeited')"><amount :v="row.forfeited.locked" /></el-descriptions-item>
                  <el-descriptions-item :label="t('set.seconds')">{{ row.seconds }} s</el-descriptions-item>
                </el-descriptions>
                <el-row :gutter="10">
                  <el-col v-for="s in steps(row)" :key="s.key" :xs="24" :sm="12" :lg="8">
                    <div class="adm-step">
                      <div class="adm-step-title">{{ t('set.step.' + s.key) }}
                        <el-tag disable-transitions v-if="!s.enabled" size="small" type="info">{{ t('set.off') }}</el-tag>
                        <span v-if="row.stage_ms && row.stage_ms[s.key] !== undefined" class="muted adm-small">{{ row.stage_ms[s.key] }} ms</span></div>
                      <div v-for="f in s.figures" :key="f.key" class="adm-step-row">
                        <span class="muted">{{ figureLabel(s.key, f.key) }}</span>
                        <span v-if="f.count">{{ f.v }}</span><amount v-else :v="f.v" />
                      </div>
                    </div>
                  </el-col>
                </el-row>
              </div>
            </template>
          </el-table-column>
          <el-table-column :label="t('set.day')" prop="day" min-width="105" />
          <el-table-column :label="t('set.static')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.steps.release ? row.steps.release.static : 0" /></template></el-table-column>
          <el-table-column :label="t('set.dynamic')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.steps.release ? row.steps.release.dynamic : 0" /></template></el-table-column>
          <el-table-column :label="t('set.dividends')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.steps.dividends ? row.steps.dividends.paid : 0" /></template></el-table-column>
          <el-table-column :label="t('set.forfeited')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.forfeited.locked" /></template></el-table-column>
          <el-table-column :label="t('set.members_paid')" align="right" prop="members_paid" min-width="90" />
          <el-table-column :label="t('set.seconds')" align="right" prop="seconds" min-width="90" />
        </el-table>
        <cursor-pager :list="list" />
      </el-card>
    </div>`,
};
