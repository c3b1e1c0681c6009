// wallet.js — the member's wallet operations: exchange (points → contribution, red packet →
// voucher), transfer of points to another member by phone, selling appreciation points at the
// pool's price, converting points to tokens, and cash withdrawals with their review state.
import { ElMessage } from '/assets/vendor/element-plus.mjs';
import { formatMinor } from '/assets/js/money.js';
import {
  api, balanceDiff, errorText, label, loadMe, qs, session, setBalances, signedMinor,
  t, useForm,
} from '../store.js';

// amount (minor units) × an exact decimal string ("1.428571"), floored: BigInt only.
export function timesDecimal(minor, dec) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(dec || ''));
  if (!m) {
    return null;
  }
  const frac = m[2] || '';
  const scale = 10n ** BigInt(frac.length);
  return (BigInt(minor) * BigInt(m[1] + frac)) / scale;
}

// An amount input: the text typed (parsed by the page with parseAmount), a button that fills the
// whole balance `max` (minor units) when given.
export const AmountInput = {
  props: { modelValue: String, max: [Number, String], name: String, placeholder: String },
  emits: ['update:modelValue'],
  template: `
  <el-input :model-value="modelValue" @update:model-value="$emit('update:modelValue', $event)"
            :name="name" inputmode="decimal" autocomplete="off" maxlength="24" clearable
            :placeholder="placeholder || t('wallet.amount_ph')">
    <template #append v-if="max !== undefined && max !== null">
      <el-button @click="$emit('update:modelValue', all)" data-test="fill-all">{{ t('wallet.all') }}</el-button>
    </template>
  </el-input>`,
  setup() {
    return { t };
  },
  computed: {
    all() {
      return formatMinor(this.max);
    },
  },
};

// The result of the last command: what moved.
const ResultBox = {
  props: { diffs: Array },
  template: `
  <div v-if="diffs && diffs.length" class="m-result" data-test="result">
    <div class="m-result-title"><m-icon name="check" :size="16" /> {{ t('wallet.done') }}</div>
    <div v-for="d in diffs" :key="d.asset" class="m-row">
      <span>{{ t('asset.' + d.asset) }}</span>
      <span class="amount" :class="neg(d) ? 'm-neg' : 'm-pos'">{{ signed(d.delta) }}</span>
    </div>
  </div>`,
  setup() {
    return { t, neg: (d) => d.delta < 0n, signed: signedMinor };
  },
};

const ACTIONS = [
  { href: '#/exchange', icon: 'exchange', label: 'nav.exchange', hint: 'wallet.exchange_hint' },
  { href: '#/transfer', icon: 'transfer', label: 'nav.transfer', hint: 'wallet.transfer_hint' },
  { href: '#/growth', icon: 'growth', label: 'nav.growth', hint: 'wallet.growth_hint' },
  { href: '#/tokens', icon: 'token', label: 'nav.tokens', hint: 'wallet.tokens_hint' },
  { href: '#/withdraw', icon: 'withdraw', label: 'nav.withdraw', hint: 'wallet.withdraw_hint' },
  { href: '#/ledger', icon: 'ledger', label: 'nav.ledger', hint: 'wallet.ledger_hint' },
];

export const WalletPage = {
  template: `
  <div class="m-page">
    <section class="m-card" data-test="wallet-balances">
      <div class="m-card-head"><h3>{{ t('wallet.title') }}</h3></div>
      <div class="m-balance-grid">
        <a v-for="a in shown" :key="a" class="m-balance" :href="'#/ledger?asset=' + a">
          <div class="m-balance-label">{{ t('asset.' + a) }}</div>
          <div class="m-balance-value amount">{{ me ? fm(me.balances[a]) : '—' }}</div>
        </a>
      </div>
    </section>
    <section class="m-card">
      <a v-for="a in actions" :key="a.href" :href="a.href" class="m-action" :data-href="a.href">
        <span class="m-action-icon"><m-icon :name="a.icon" /></span>
        <span class="m-action-text">
          <span class="m-action-label">{{ t(a.label) }}</span>
          <span class="muted m-small">{{ t(a.hint) }}</span>
        </span>
        <m-icon name="right" :size="16" class="muted" />
      </a>
    </section>
  </div>`,
  setup() {
    return { t, fm: (v) => formatMinor(v, true), actions: ACTIONS };
  },
  computed: {
    me() {
      return session.me;
    },
    shown() {
      return ['cash', 'points', 'redpacket', 'voucher', 'growth', 'token'];
    },
  },
  mounted() {
    loadMe().catch(() => {});
  },
};

const PAIRS = [
  { from: 'points', to: 'contribution' },
  { from: 'redpacket', to: 'voucher' },
];

export const ExchangePage = {
  components: { AmountInput, ResultBox },
  template: `
  <div class="m-page m-narrow">
    <section class="m-card">
      <div class="m-card-head"><h3>{{ t('nav.exchange') }}</h3></div>
      <el-form label-position="top" @submit.prevent="submit" data-test="exchange-form">
        <el-form-item :label="t('exchange.direction')" :error="f.errors.from || f.errors.to">
          <el-radio-group v-model="pair" class="m-radio-col">
            <el-radio v-for="(p, i) in pairs" :key="i" :value="i" :data-pair="p.from">
              {{ t('asset.' + p.from) }} → {{ t('asset.' + p.to) }}
            </el-radio>
          </el-radio-group>
        </el-form-item>
        <div class="m-avail">{{ t('wallet.available', { asset: t('asset.' + from) }) }} <b class="amount">{{ me ? fm(me.balances[from]) : '—' }}</b></div>
        <el-form-item :label="t('exchange.amount', { asset: t('asset.' + from) })" :error="f.errors.amount">
          <amount-input v-model="amount" name="amount" :max="me ? me.balances[from] : null" />
        </el-form-item>
        <p class="muted m-small">{{ pairs[pair].from === 'points' ? t('exchange.rate_points') : t('exchange.rate_redpacket') }}</p>
        <div v-if="f.state.general" class="field-error m-form-error" data-test="form-error">{{ f.state.general }}</div>
        <el-button type="primary" native-type="submit" :loading="f.state.busy" class="m-block" data-test="submit">{{ t('exchange.submit') }}</el-button>
      </el-form>
      <result-box :diffs="diffs" />
    </section>
  </div>`,
  setup() {
    const f = useForm(['from', 'to', 'amount']);
    return { f, t, pairs: PAIRS, fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { pair: 0, amount: '', diffs: [] };
  },
  computed: {
    me() {
      return session.me;
    },
    from() {
      return PAIRS[this.pair].from;
    },
  },
  mounted() {
    loadMe().catch(() => {});
  },
  methods: {
    async submit() {
      this.f.clear();
      const amount = this.f.amount('amount', this.amount);
      if (amount === null) {
        return;
      }
      const before = this.me && this.me.balances;
      const p = PAIRS[this.pair];
      const res = await this.f.send('POST', '/me/exchange', { from: p.from, to: p.to, amount });
      if (res) {
        this.diffs = balanceDiff(before, res.balances);
        setBalances(res.balances);
        this.amount = '';
        ElMessage.success(t('wallet.done'));
      }
    },
  },
};

export const TransferPage = {
  components: { AmountInput, ResultBox },
  template: `
  <div class="m-page m-narrow">
    <section class="m-card">
      <div class="m-card-head"><h3>{{ t('nav.transfer') }}</h3></div>
      <p class="muted m-small">{{ t('transfer.hint') }}</p>
      <el-form label-position="top" @submit.prevent="submit" data-test="transfer-form">
        <el-form-item :label="t('transfer.to_phone')" :error="f.errors.to_phone" data-field="to_phone">
          <el-input v-model="toPhone" name="to_phone" inputmode="tel" maxlength="20" clearable
                    :placeholder="t('field.phone_ph')" />
        </el-form-item>
        <div class="m-avail">{{ t('wallet.available', { asset: t('asset.points') }) }} <b class="amount" data-test="available">{{ me ? fm(me.balances.points) : '—' }}</b></div>
        <el-form-item :label="t('transfer.amount')" :error="f.errors.amount" data-field="amount">
          <amount-input v-model="amount" name="amount" :max="me ? me.balances.points : null" />
        </el-form-item>
        <div v-if="f.state.general" class="field-error m-form-error" data-test="form-error">{{ f.state.general }}</div>
        <el-button type="primary" native-type="submit" :loading="f.state.busy" class="m-block" data-test="submit">{{ t('transfer.submit') }}</el-button>
      </el-form>
      <result-box :diffs="diffs" />
    </section>
  </div>`,
  setup() {
    // the API names the receiver "to" when it is the sender (src/service/wallet.c)
    const f = useForm(['to_phone', 'amount'], { to: 'to_phone' });
    return { f, t, fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { toPhone: '', amount: '', diffs: [] };
  },
  computed: {
    me() {
      return session.me;
    },
  },
  mounted() {
    loadMe().catch(() => {});
  },
  methods: {
    async submit() {
      this.f.clear();
      let ok = true;
      if (!this.toPhone.trim()) {
        this.f.errors.to_phone = t('auth.phone_required');
        ok = false;
      }
      const amount = this.f.amount('amount', this.amount);
      if (amount === null || !ok) {
        return;
      }
      const before = this.me && this.me.balances;
      const res = await this.f.send('POST', '/me/transfers',
                                    { to_phone: this.toPhone.trim(), asset: 'points', amount });
      if (res) {
        this.diffs = balanceDiff(before, res.balances);
        setBalances(res.balances);
        this.amount = '';
        ElMessage.success(t('transfer.done'));
      }
    },
  },
};

export const GrowthPage = {
  components: { AmountInput, ResultBox },
  template: `
  <div class="m-page m-narrow">
    <section class="m-card m-price-card" data-test="growth-price">
      <div class="muted m-small">{{ t('growth.price') }}</div>
      <div class="m-price">¥ <span data-test="price">{{ g ? g.price : '—' }}</span></div>
      <div class="m-price-sub">
        <span>{{ t('growth.pool') }} <b class="amount">{{ g ? fm(g.pool) : '—' }}</b></span>
        <span>{{ t('growth.supply') }} <b class="amount">{{ g ? fm(g.supply) : '—' }}</b></span>
      </div>
    </section>
    <section class="m-card">
      <div class="m-card-head"><h3>{{ t('growth.sell') }}</h3></div>
      <div class="m-row"><span class="muted">{{ t('growth.holding') }}</span><b class="amount">{{ me ? fm(me.balances.growth) : '—' }}</b></div>
      <div class="m-row"><span class="muted">{{ t('growth.value') }}</span><b class="amount">{{ value === null ? '—' : '¥ ' + fm(value) }}</b></div>
      <el-form label-position="top" @submit.prevent="submit" data-test="growth-form" class="m-gap-top">
        <el-form-item :label="t('growth.amount')" :error="f.errors.amount">
          <amount-input v-model="amount" name="amount" :max="me ? me.balances.growth : null" />
        </el-form-item>
        <p class="muted m-small">{{ t('growth.sell_hint') }}</p>
        <div v-if="f.state.general" class="field-error m-form-error" data-test="form-error">{{ f.state.general }}</div>
        <el-button type="primary" native-type="submit" :loading="f.state.busy" class="m-block" data-test="submit">{{ t('growth.submit') }}</el-button>
      </el-form>
      <result-box :diffs="diffs" />
    </section>
  </div>`,
  setup() {
    const f = useForm(['amount'], { growth: 'amount' });
    return { f, t, fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { g: null, amount: '', diffs: [] };
  },
  computed: {
    me() {
      return session.me;
    },
    value() {
      if (!this.me || !this.g) {
        return null;
      }
      return timesDecimal(this.me.balances.growth, this.g.price);
    },
  },
  mounted() {
    loadMe().catch(() => {});
    this.loadPrice();
  },
  methods: {
    async loadPrice() {
      try {
        this.g = await api.get('/growth');
      } catch (e) {
        this.f.state.general = errorText(e);
      }
    },
    async submit() {
      this.f.clear();
      const amount = this.f.amount('amount', this.amount);
      if (amount === null) {
        return;
      }
      const before = this.me && this.me.balances;
      const res = await this.f.send('POST', '/me/growth/sell', { amount });
      if (res) {
        this.diffs = balanceDiff(before, res.balances);
        setBalances(res.balances);
        this.amount = '';
        ElMessage.success(t('wallet.done'));
        this.loadPrice();
      }
    },
  },
};

export const TokensPage = {
  components: { AmountInput, ResultBox },
  template: `
  <div class="m-page m-narrow">
    <section class="m-card m-price-card" data-test="token-price">
      <div class="muted m-small">{{ t('tokens.price') }}</div>
      <div class="m-price" data-test="price">{{ loaded ? (price === null ? t('tokens.no_price') : '¥ ' + price) : '—' }}</div>
      <div class="m-price-sub">
        <span>{{ t('tokens.holding') }} <b class="amount">{{ me ? fm(me.balances.token) : '—' }}</b></span>
      </div>
    </section>
    <section class="m-card">
      <div class="m-card-head"><h3>{{ t('tokens.convert') }}</h3></div>
      <div class="m-avail">{{ t('wallet.available', { asset: t('asset.points') }) }} <b class="amount">{{ me ? fm(me.balances.points) : '—' }}</b></div>
      <el-form label-position="top" @submit.prevent="submit" data-test="tokens-form">
        <el-form-item :label="t('tokens.points')" :error="f.errors.points">
          <amount-input v-model="points" name="points" :max="me ? me.balances.points : null" />
        </el-form-item>
        <p class="muted m-small">{{ t('tokens.hint') }}</p>
        <div v-if="f.state.general" class="field-error m-form-error" data-test="form-error">{{ f.state.general }}</div>
        <el-button type="primary" native-type="submit" :loading="f.state.busy" :disabled="loaded && price === null" class="m-block" data-test="submit">{{ t('tokens.submit') }}</el-button>
      </el-form>
      <result-box :diffs="diffs" />
    </section>
  </div>`,
  setup() {
    const f = useForm(['points']);
    return { f, t, fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { price: null, loaded: false, points: '', diffs: [] };
  },
  computed: {
    me() {
      return session.me;
    },
  },
  async mounted() {
    loadMe().catch(() => {});
    try {
      const p = await api.get('/token-price');
      this.price = p.price;
    } catch (e) {
      this.f.state.general = errorText(e);
    } finally {
      this.loaded = true;
    }
  },
  methods: {
    async submit() {
      this.f.clear();
      const points = this.f.amount('points', this.points);
      if (points === null) {
        return;
      }
      const before = this.me && this.me.balances;
      const res = await this.f.send('POST', '/me/tokens', { points });
      if (res) {
        this.diffs = balanceDiff(before, res.balances);
        setBalances(res.balances);
        this.points = '';
        ElMessage.success(t('wallet.done'));
      }
    },
  },
};

const STATUS_TYPE = { pending: 'warning', approved: 'success', rejected: 'danger' };

export const WithdrawPage = {
  components: { AmountInput, ResultBox },
  template: `
  <div class="m-page">
    <div class="m-cols">
      <section class="m-card">
        <div class="m-card-head"><h3>{{ t('nav.withdraw') }}</h3></div>
        <el-alert v-if="me && (me.frozen.withdrawals || me.frozen.all)" type="warning" :title="t('err.withdrawals_frozen')" :closable="false" show-icon class="m-gap" />
        <div class="m-avail">{{ t('wallet.available', { asset: t('asset.cash') }) }} <b class="amount">{{ me ? fm(me.balances.cash) : '—' }}</b></div>
        <el-form label-position="top" @submit.prevent="submit" data-test="withdraw-form">
          <el-form-item :label="t('withdraw.amount')" :error="f.errors.amount">
            <amount-input v-model="amount" name="amount" :max="me ? me.balances.cash : null" />
          </el-form-item>
          <p class="muted m-small">{{ t('withdraw.hint') }}</p>
          <div v-if="f.state.general" class="field-error m-form-error" data-test="form-error">{{ f.state.general }}</div>
          <el-button type="primary" native-type="submit" :loading="f.state.busy" class="m-block" data-test="submit">{{ t('withdraw.submit') }}</el-button>
        </el-form>
        <result-box :diffs="diffs" />
      </section>
      <section class="m-card" data-test="withdrawals">
        <div class="m-card-head">
          <h3>{{ t('withdraw.list') }}</h3>
          <el-select v-model="status" size="small" class="m-select-sm" :placeholder="t('withdraw.all')" clearable>
            <el-option v-for="s in statuses" :key="s" :value="s" :label="label('wstatus.', s)" />
          </el-select>
        </div>
        <el-empty v-if="!loading && !items.length" :description="t('common.none')" :image-size="60" />
        <div v-for="w in items" :key="w.request" class="m-row m-withdrawal" data-test="withdrawal">
          <div>
            <div class="amount m-strong">¥ {{ fm(w.amount) }}</div>
            <div class="muted m-small">{{ w.day }} · {{ t('withdraw.fee') }} {{ fm(w.fee) }}</div>
          </div>
          <el-tag :type="statusType[w.status]" size="small">{{ label('wstatus.', w.status) }}</el-tag>
        </div>
        <div class="m-more" v-if="cursor">
          <el-button :loading="loading" @click="load">{{ t('common.more') }}</el-button>
        </div>
      </section>
    </div>
  </div>`,
  setup() {
    const f = useForm(['amount'], { member: 'amount' });
    return { f, t, label, statusType: STATUS_TYPE, statuses: ['pending', 'approved', 'rejected'],
             fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { amount: '', diffs: [], items: [], cursor: null, loading: false, status: '' };
  },
  computed: {
    me() {
      return session.me;
    },
  },
  watch: {
    status() {
      this.reload();
    },
  },
  mounted() {
    loadMe().catch(() => {});
    this.reload();
  },
  methods: {
    async reload() {
      this.items = [];
      this.cursor = null;
      await this.load();
    },
    async load() {
      this.loading = true;
      try {
        const page = await api.get('/me/withdrawals' + qs({ status: this.status, limit: 50, cursor: this.cursor }));
        this.items.push(...page.items);
        this.cursor = page.next_cursor;
      } catch (e) {
        ElMessage.error(errorText(e));
      } finally {
        this.loading = false;
      }
    },
    async submit() {
      this.f.clear();
      const amount = this.f.amount('amount', this.amount);
      if (amount === null) {
        return;
      }
      const before = this.me && this.me.balances;
      const res = await this.f.send('POST', '/me/withdrawals', { amount });
      if (res) {
        this.diffs = balanceDiff(before, res.balances);
        setBalances(res.balances);
        this.amount = '';
        ElMessage.success(t('withdraw.done'));
        this.reload();
      }
    },
  },
};
