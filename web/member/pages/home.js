// home.js — the member's home: every balance, debts, level and rank, referrer, daily sign-in.
import { ElMessage } from '/assets/vendor/element-plus.mjs';
import { formatMinor } from '/assets/js/money.js';
import {
  api, ASSETS, balanceDiff, diffText, errorText, label, loadMe, maskPhone, session, setBalances,
  t, today,
} from '../store.js';

export const HomePage = {
  template: `
  <div class="m-page m-home">
    <section class="m-hero" data-test="hero">
      <div class="m-hero-top">
        <div class="m-avatar">{{ avatar }}</div>
        <div class="m-hero-who">
          <div class="m-hero-phone" data-test="my-phone">{{ me ? maskPhone(me.phone) : '' }}</div>
          <div class="m-hero-tags">
            <span class="m-pill" data-test="level">{{ t('home.level') }} · {{ me && me.level ? label('level.', me.level) : t('home.none') }}</span>
            <span class="m-pill" data-test="rank">{{ t('home.rank') }} · {{ me && me.rank ? label('rank.', me.rank) : t('home.none') }}</span>
          </div>
        </div>
        <el-button class="m-signin" :class="{ done: signed }" round :loading="busy"
                   @click="signin" data-test="signin">
          <m-icon :name="signed ? 'check' : 'calendar'" :size="16" />
          <span>{{ signed ? t('home.signed') : t('home.signin') }}</span>
        </el-button>
      </div>
      <div class="m-hero-main" v-if="me">
        <div class="m-hero-item">
          <div class="m-hero-label">{{ t('asset.points') }}</div>
          <div class="m-hero-value amount" data-test="hero-points">{{ fm(me.balances.points) }}</div>
        </div>
        <div class="m-hero-item">
          <div class="m-hero-label">{{ t('asset.cash') }}</div>
          <div class="m-hero-value amount">{{ fm(me.balances.cash) }}</div>
        </div>
        <div class="m-hero-item">
          <div class="m-hero-label">{{ t('asset.locked') }}</div>
          <div class="m-hero-value amount">{{ fm(me.balances.locked) }}</div>
        </div>
      </div>
    </section>

    <el-alert v-if="me && me.frozen.all" type="error" :title="t('home.frozen_all')" :closable="false" show-icon class="m-gap" />
    <el-alert v-else-if="me && me.frozen.withdrawals" type="warning" :title="t('home.frozen_withdrawals')" :closable="false" show-icon class="m-gap" />

    <div class="m-cols">
      <section class="m-card" data-test="balances">
        <div class="m-card-head">
          <h3>{{ t('home.balances') }}</h3>
          <a href="#/ledger" class="m-link">{{ t('home.ledger') }}</a>
        </div>
        <div class="m-balance-grid">
          <a v-for="a in assets" :key="a" class="m-balance" :href="'#/ledger?asset=' + a" :data-asset="a">
            <div class="m-balance-label">{{ t('asset.' + a) }}</div>
            <div class="m-balance-value amount">{{ me ? fm(me.balances[a]) : '—' }}</div>
            <div v-if="me && me.debts[a]" class="m-balance-debt">{{ t('home.debt') }} {{ fm(me.debts[a]) }}</div>
          </a>
        </div>
      </section>

      <div class="m-stack">
        <section class="m-card" v-if="debtList.length" data-test="debts">
          <div class="m-card-head"><h3>{{ t('home.debts') }}</h3></div>
          <p class="muted m-small">{{ t('home.debts_hint') }}</p>
          <div v-for="d in debtList" :key="d.asset" class="m-row">
            <span>{{ t('asset.' + d.asset) }}</span>
            <span class="amount m-neg">{{ fm(d.amount) }}</span>
          </div>
        </section>

        <section class="m-card" data-test="profile">
          <div class="m-card-head"><h3>{{ t('home.account') }}</h3></div>
          <div class="m-row"><span class="muted">{{ t('home.member_id') }}</span><span class="m-mono">{{ me && me.member }}</span></div>
          <div class="m-row"><span class="muted">{{ t('home.referrer') }}</span><span class="m-mono" data-test="referrer">{{ me && me.referrer ? me.referrer : t('home.no_referrer') }}</span></div>
          <div class="m-row"><span class="muted">{{ t('home.level') }}</span><span>{{ me && me.level ? label('level.', me.level) : t('home.none') }}</span></div>
          <div class="m-row"><span class="muted">{{ t('home.rank') }}</span><span>{{ me && me.rank ? label('rank.', me.rank) : t('home.none') }}</span></div>
          <div class="m-row"><span class="muted">{{ t('invite.code') }}</span><a href="#/invite" class="m-mono m-link">{{ me && me.invite_code }}</a></div>
        </section>

        <section class="m-card">
          <div class="m-shortcuts">
            <a v-for="s in shortcuts" :key="s.href" :href="s.href" class="m-shortcut">
              <m-icon :name="s.icon" />
              <span>{{ t(s.label) }}</span>
            </a>
          </div>
        </section>
      </div>
    </div>
  </div>`,
  setup() {
    return { t, label, maskPhone, fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { busy: false, signed: false };
  },
  computed: {
    me() {
      return session.me;
    },
    assets() {
      return ASSETS;
    },
    avatar() {
      return this.me ? this.me.phone.slice(-2) : '';
    },
    debtList() {
      const d = (this.me && this.me.debts) || {};
      return Object.keys(d).map((a) => ({ asset: a, amount: d[a] }));
    },
    shortcuts() {
      return [
        { href: '#/lots', icon: 'lots', label: 'nav.lots' },
        { href: '#/orders', icon: 'orders', label: 'nav.orders' },
        { href: '#/exchange', icon: 'exchange', label: 'nav.exchange' },
        { href: '#/transfer', icon: 'transfer', label: 'nav.transfer' },
        { href: '#/growth', icon: 'growth', label: 'nav.growth' },
        { href: '#/tokens', icon: 'token', label: 'nav.tokens' },
        { href: '#/withdraw', icon: 'withdraw', label: 'nav.withdraw' },
        { href: '#/invite', icon: 'invite', label: 'nav.invite' },
      ];
    },
  },
  async mounted() {
    try {
      await loadMe();
      // signed in today? the newest entries hold today's sign-in when there is one
      const day = today();
      const page = await api.get('/me/ledger?limit=50');
      this.signed = (page.items || []).some((e) => e.kind === 'signin' && e.ref.endsWith(':' + day));
    } catch (e) {
      // a failed load shows in the empty values; a lost session goes to login
    }
  },
  methods: {
    async signin() {
      if (this.busy) {
        return;
      }
      this.busy = true;
      const before = this.me && this.me.balances;
      try {
        const res = await api.post('/me/signin');
        if (res.replayed) {
          ElMessage.info(t('home.signed_already'));
        } else {
          const d = balanceDiff(before, res.balances);
          ElMessage.success(t('home.signin_done') + (d.length ? '：' + diffText(d) : ''));
        }
        setBalances(res.balances);
        this.signed = true;
      } catch (e) {
        ElMessage.error(errorText(e));
      } finally {
        this.busy = false;
      }
    },
  },
};
