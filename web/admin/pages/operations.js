// operations.js — the operator's entries: regional agents (区域代理: POST /admin/agents; the
// appointments listed from the audit log, the API having no list of agents), platform income of
// a day (平台收入: POST /admin/income) and the token price (通证价格: POST /admin/token-price,
// GET /token-price).
import { computed, onMounted, reactive, ref } from '/assets/vendor/vue.esm-browser.prod.js';
import { t } from '/assets/js/i18n.js';
import {
  amountOf, api, businessDay, formErrors, formatTime, isMobile, loadTimezone, ok, showError,
} from '../lib.js';

const LEVELS = ['area', 'province', 'city', 'county'];

// The newest audit entries of some actions (at most `max` entries of the log are read).
async function auditOf(actions, max = 1000) {
  const items = await api.all('/admin/audit', max);
  return items.filter((a) => actions.includes(a.action));
}

// Members whose phone or id starts with what is typed, for an autocomplete.
async function suggestMembers(q, cb) {
  const s = String(q || '').trim();
  if (!s) {
    cb([]);
    return;
  }
  try {
    const r = await api.get('/admin/members?limit=10&q=' + encodeURIComponent(s));
    cb(r.items.map((m) => ({ value: m.member, phone: m.phone })));
  } catch (e) {
    cb([]);
  }
}

export const AgentsPage = {
  name: 'AgentsPage',
  setup() {
    const form = reactive({ member: '', level: 'county', region: '', busy: false });
    const errors = formErrors(['member', 'level', 'region']);
    const rows = ref([]);
    const areas = ref([]);
    const loading = ref(false);
    async function load() {
      loading.value = true;
      try {
        const [entries, rules] = await Promise.all([auditOf(['agent']), api.get('/admin/rules')]);
        rows.value = entries.map((a) => {
          const i = a.target.indexOf(':');
          return { level: a.target.slice(0, i), region: a.target.slice(i + 1), member: a.after,
                   at: a.at, actor: a.actor };
        });
        areas.value = Object.keys(((rules.rules || {}).agents || {}).areas || {});
      } catch (e) {
        showError(e);
      } finally {
        loading.value = false;
      }
    }
    onMounted(load);
    async function submit() {
      errors.clear();
      if (!form.member.trim()) {
        errors.member = t('ops.member_needed');
      }
      if (!form.region.trim()) {
        errors.region = t('ops.region_needed');
      }
      if (errors.member || errors.region) {
        return;
      }
      form.busy = true;
      try {
        const r = await api.post('/admin/agents', { member: form.member.trim(), level: form.level,
                                                    region: form.region.trim() });
        ok(r.replayed ? t('ops.agent_already') : t('ops.agent_done', { member: r.member }));
        form.region = '';
        load();
      } catch (e) {
        showError(e, errors);
      } finally {
        form.busy = false;
      }
    }
    const labelPosition = computed(() => (isMobile() ? 'top' : 'right'));
    return { form, errors, rows, areas, loading, submit, LEVELS, suggestMembers, formatTime,
             labelPosition };
  },
  template: `
    <div class="adm-page">
      <el-card shadow="never" class="adm-card">
        <template #header>{{ t('ops.appoint') }}</template>
        <el-form :label-position="labelPosition" label-width="110px" class="adm-narrow-form adm-agent-form" @submit.prevent="submit">
          <el-form-item :label="t('mem.member')" :error="errors.member">
            <el-autocomplete v-model="form.member" :fetch-suggestions="suggestMembers" :placeholder="t('ops.member_hint')" name="member" class="adm-full">
              <template #default="{ item }"><span>{{ item.value }}</span> <span class="muted adm-small">{{ item.phone }}</span></template>
            </el-autocomplete>
          </el-form-item>
          <el-form-item :label="t('ops.level')" :error="errors.level">
            <el-select v-model="form.level" name="level">
              <el-option v-for="l in LEVELS" :key="l" :value="l" :label="t('level.' + l)" />
            </el-select>
          </el-form-item>
          <el-form-item :label="t('ops.region')" :error="errors.region">
            <el-select v-if="form.level === 'area'" v-model="form.region" :placeholder="areas.length ? '' : t('ops.no_areas')" filterable allow-create>
              <el-option v-for="a in areas" :key="a" :value="a" :label="a" />
            </el-select>
            <el-input v-else v-model="form.region" name="region" maxlength="6" inputmode="numeric" :placeholder="t('ops.region_hint.' + form.level)" />
          </el-form-item>
          <el-form-item>
            <el-button type="primary" native-type="submit" :loading="form.busy" class="adm-submit">{{ t('ops.appoint') }}</el-button>
          </el-form-item>
        </el-form>
      </el-card>
      <el-card shadow="never" class="adm-card">
        <template #header>{{ t('ops.agents') }} <span class="muted adm-small">{{ t('ops.from_audit') }}</span></template>
        <el-table :data="rows" v-loading="loading" size="small" :empty-text="t('common.none')" class="adm-agents-table">
          <el-table-column :label="t('ops.level')" min-width="90"><template #default="{ row }">{{ t('level.' + row.level) }}</template></el-table-column>
          <el-table-column :label="t('ops.region')" prop="region" min-width="100" />
          <el-table-column :label="t('mem.member')" min-width="120"><template #default="{ row }"><member-link :id="row.member" /></template></el-table-column>
          <el-table-column :label="t('adm.time')" min-width="150"><template #default="{ row }">{{ formatTime(row.at) }}</template></el-table-column>
          <el-table-column :label="t('audit.actor')" prop="actor" min-width="90" />
        </el-table>
      </el-card>
    </div>`,
};

export const FinancePage = {
  name: 'FinancePage',
  setup() {
    const income = reactive({ day: businessDay(), amount: '', busy: false });
    const incomeErrors = formErrors(['day', 'amount']);
    const price = reactive({ current: null, value: '', busy: false });
    const priceErrors = formErrors(['price']);
    const history = ref([]);
    const loading = ref(false);
    async function load() {
      loading.value = true;
      try {
        const [p, entries] = await Promise.all([api.get('/token-price'),
                                                auditOf(['income', 'token_price'])]);
        price.current = p.price;
        history.value = entries;
      } catch (e) {
        showError(e);
      } finally {
        loading.value = false;
      }
    }
    onMounted(() => {
      load();
      const first = income.day;
      loadTimezone().then(() => {
        if (income.day === first) {
          income.day = businessDay(); // in the rules' time zone
        }
      });
    });
    async function submitIncome() {
      incomeErrors.clear();
      if (!income.day) {
        incomeErrors.day = t('ops.day_needed');
      }
      const amount = amountOf(income.amount, incomeErrors, 'amount');
      if (amount === null || !income.day) {
        return;
      }
      income.busy = true;
      try {
        await api.post('/admin/income', { day: income.day, amount });
        ok(t('ops.income_done', { day: income.day }));
        income.amount = '';
        load();
      } catch (e) {
        showError(e, incomeErrors);
      } finally {
        income.busy = false;
      }
    }
    async function submitPrice() {
      priceErrors.clear();
      const v = String(price.value).trim();
      if (!/^\d+(\.\d+)?$/.test(v)) {
        priceErrors.price = t('ops.price_invalid');
        return;
      }
      price.busy = true;
      try {
        const r = await api.post('/admin/token-price', { price: v });
        ok(t('ops.price_done', { price: r.price }));
        price.value = '';
        load();
      } catch (e) {
        showError(e, priceErrors);
      } finally {
        price.busy = false;
      }
    }
    const labelPosition = computed(() => (isMobile() ? 'top' : 'right'));
    const isInt = (s) => /^-?\d+$/.test(s);
    return { income, incomeErrors, price, priceErrors, history, loading, submitIncome,
             submitPrice, formatTime, labelPosition, isInt };
  },
  template: `
    <div class="adm-page">
      <el-row :gutter="12">
        <el-col :xs="24" :md="12">
          <el-card shadow="never" class="adm-card">
            <template #header>{{ t('ops.income') }}</template>
            <div class="muted adm-small adm-mb">{{ t('ops.income_hint') }}</div>
            <el-form :label-position="labelPosition" label-width="90px" class="adm-income-form" @submit.prevent="submitIncome">
              <el-form-item :label="t('ops.day')" :error="incomeErrors.day">
                <el-date-picker v-model="income.day" type="date" value-format="YYYY-MM-DD" :clearable="false" class="adm-full" />
              </el-form-item>
              <el-form-item :label="t('adm.amount')" :error="incomeErrors.amount">
                <el-input v-model="income.amount" name="amount" inputmode="decimal" placeholder="0.00" />
              </el-form-item>
              <el-form-item>
                <el-button type="primary" native-type="submit" :loading="income.busy" class="adm-submit">{{ t('common.submit') }}</el-button>
              </el-form-item>
            </el-form>
          </el-card>
        </el-col>
        <el-col :xs="24" :md="12">
          <el-card shadow="never" class="adm-card">
            <template #header>{{ t('ops.token_price') }}</template>
            <div class="adm-mb">{{ t('ops.current_price') }}: <b class="adm-token-price">{{ price.current === null ? t('ops.no_price') : price.current }}</b></div>
            <el-form :label-position="labelPosition" label-width="90px" class="adm-price-form" @submit.prevent="submitPrice">
              <el-form-item :label="t('ops.new_price')" :error="priceErrors.price">
                <el-input v-model="price.value" name="price" inputmode="decimal" placeholder="1.2345" />
              </el-form-item>
              <el-form-item>
                <el-button type="primary" native-type="submit" :loading="price.busy" class="adm-submit">{{ t('common.save') }}</el-button>
              </el-form-item>
            </el-form>
          </el-card>
        </el-col>
      </el-row>
      <el-card shadow="never" class="adm-card">
        <template #header>{{ t('ops.history') }} <span class="muted adm-small">{{ t('ops.from_audit') }}</span></template>
        <el-table :data="history" v-loading="loading" size="small" :empty-text="t('common.none')">
          <el-table-column :label="t('adm.time')" min-width="150"><template #default="{ row }">{{ formatTime(row.at) }}</template></el-table-column>
          <el-table-column :label="t('audit.action')" min-width="100"><template #default="{ row }">{{ label('action.', row.action) }}</template></el-table-column>
          <el-table-column :label="t('audit.target')" prop="target" min-width="110" />
          <el-table-column :label="t('ops.value')" min-width="110" align="right"><template #default="{ row }">
            <amount v-if="row.action === 'income' && isInt(row.after)" :v="row.after" /><span v-else>{{ row.after }}</span></template></el-table-column>
          <el-table-column :label="t('audit.actor')" prop="actor" min-width="90" />
        </el-table>
      </el-card>
    </div>`,
};
