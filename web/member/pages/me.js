// me.js — the member's own page: who they are, links to their records, language, sign-out.
import { LANGS, lang, setLang } from '/assets/js/i18n.js';
import { formatMinor } from '/assets/js/money.js';
import { label, loadMe, qs, session, signOut, t } from '../store.js';

export const MePage = {
  template: `
  <div class="m-page m-narrow">
    <section class="m-card m-me-head" data-test="me">
      <div class="m-avatar big">{{ me ? me.phone.slice(-2) : '' }}</div>
      <div>
        <div class="m-strong" data-test="me-phone">{{ me && me.phone }}</div>
        <div class="muted m-small m-mono">{{ me && me.member }}</div>
        <div class="m-hero-tags">
          <el-tag size="small" type="warning" effect="plain">{{ me && me.level ? label('level.', me.level) : t('home.no_level') }}</el-tag>
          <el-tag size="small" effect="plain" v-if="me && me.rank">{{ label('rank.', me.rank) }}</el-tag>
        </div>
      </div>
    </section>
    <section class="m-card">
      <a v-for="l in links" :key="l.href" :href="l.href" class="m-action" :data-href="l.href">
        <span class="m-action-icon"><m-icon :name="l.icon" /></span>
        <span class="m-action-text"><span class="m-action-label">{{ t(l.label) }}</span></span>
        <m-icon name="right" :size="16" class="muted" />
      </a>
      <a :href="'#/reset' + qs({ phone: me ? me.phone : '' })" class="m-action" data-href="#/reset">
        <span class="m-action-icon"><m-icon name="key" /></span>
        <span class="m-action-text"><span class="m-action-label">{{ t('me.password') }}</span></span>
        <m-icon name="right" :size="16" class="muted" />
      </a>
    </section>
    <section class="m-card">
      <div class="m-row">
        <span><m-icon name="globe" :size="18" /> {{ t('common.language') }}</span>
        <el-radio-group :model-value="lang" size="small" @change="setLang" data-test="lang">
          <el-radio-button v-for="(name, code) in langs" :key="code" :value="code">{{ name }}</el-radio-button>
        </el-radio-group>
      </div>
    </section>
    <el-button class="m-block" size="large" type="danger" plain @click="signOut" data-test="logout">
      <m-icon name="logout" :size="18" /> {{ t('common.logout') }}
    </el-button>
  </div>`,
  setup() {
    return { t, label, qs, langs: LANGS, setLang, signOut, fm: (v) => formatMinor(v, true) };
  },
  computed: {
    me() {
      return session.me;
    },
    lang() {
      return lang.value;
    },
    links() {
      return [
        { href: '#/orders', icon: 'orders', label: 'nav.orders' },
        { href: '#/lots', icon: 'lots', label: 'nav.lots' },
        { href: '#/ledger', icon: 'ledger', label: 'nav.ledger' },
        { href: '#/withdraw', icon: 'withdraw', label: 'nav.withdraw' },
        { href: '#/invite', icon: 'invite', label: 'nav.invite' },
      ];
    },
  },
  mounted() {
    loadMe().catch(() => {});
  },
};
