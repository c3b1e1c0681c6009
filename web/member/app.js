// app.js — the member H5 pages (会员中心): hash routes (#/home, #/register?invite=CODE, ...),
// a bottom tab bar on phones and a top bar on wide screens, Chinese by default with an English
// switch kept in this browser.
import { computed, createApp, h } from '/assets/vendor/vue.esm-browser.prod.js';
import ElementPlus, { ElMessage } from '/assets/vendor/element-plus.mjs';
import zhCn from '/assets/vendor/element-plus-zh-cn.mjs';
import en from '/assets/vendor/element-plus-en.mjs';
import { LANGS, lang, setLang, t } from '/assets/js/i18n.js';
import './i18n.js';
import { MIcon } from './icons.js';
import { api, cartCount, go, loadMe, qs, route, session, signOut, signedIn } from './store.js';
import { LoginPage, RegisterPage, ResetPage } from './pages/auth.js';
import { HomePage } from './pages/home.js';
import { LedgerPage, LotsPage } from './pages/lots.js';
import { TeamPage } from './pages/team.js';
import {
  ExchangePage, GrowthPage, TokensPage, TransferPage, WalletPage, WithdrawPage,
} from './pages/wallet.js';
import { CheckoutPage, OrderPage, OrdersPage, ShopPage } from './pages/shop.js';
import { InvitePage } from './pages/invite.js';
import { MePage } from './pages/me.js';

// path pattern -> page; `tab` is the tab bar entry the page belongs to; `open` pages need no
// session.
const ROUTES = [
  { path: '/login', page: LoginPage, title: 'nav.login', open: true },
  { path: '/register', page: RegisterPage, title: 'nav.register', open: true },
  { path: '/reset', page: ResetPage, title: 'nav.reset', open: true },
  { path: '/home', page: HomePage, title: 'nav.home', tab: 'home' },
  { path: '/shop', page: ShopPage, title: 'nav.shop', tab: 'shop' },
  { path: '/checkout', page: CheckoutPage, title: 'nav.checkout', tab: 'shop', back: '/shop' },
  { path: '/orders', page: OrdersPage, title: 'nav.orders', tab: 'me', back: '/me' },
  { path: '/orders/:id', page: OrderPage, title: 'nav.order', tab: 'me', back: '/orders' },
  { path: '/wallet', page: WalletPage, title: 'nav.wallet', tab: 'wallet' },
  { path: '/exchange', page: ExchangePage, title: 'nav.exchange', tab: 'wallet', back: '/wallet' },
  { path: '/transfer', page: TransferPage, title: 'nav.transfer', tab: 'wallet', back: '/wallet' },
  { path: '/growth', page: GrowthPage, title: 'nav.growth', tab: 'wallet', back: '/wallet' },
  { path: '/tokens', page: TokensPage, title: 'nav.tokens', tab: 'wallet', back: '/wallet' },
  { path: '/withdraw', page: WithdrawPage, title: 'nav.withdraw', tab: 'wallet', back: '/wallet' },
  { path: '/lots', page: LotsPage, title: 'nav.lots', tab: 'home', back: '/home' },
  { path: '/ledger', page: LedgerPage, title: 'nav.ledger', tab: 'wallet', back: '/wallet' },
  { path: '/team', page: TeamPage, title: 'nav.team', tab: 'team' },
  { path: '/invite', page: InvitePage, title: 'nav.invite', tab: 'team', back: '/team' },
  { path: '/me', page: MePage, title: 'nav.me', tab: 'me' },
];

const TABS = [
  { id: 'home', href: '#/home', icon: 'home', label: 'nav.home' },
  { id: 'shop', href: '#/shop', icon: 'shop', label: 'nav.shop' },
  { id: 'wallet', href: '#/wallet', icon: 'wallet', label: 'nav.wallet' },
  { id: 'team', href: '#/team', icon: 'team', label: 'nav.team' },
  { id: 'me', href: '#/me', icon: 'me', label: 'nav.me' },
];

function match(path) {
  for (const r of ROUTES) {
    const names = [];
    const re = new RegExp('^' + r.path.replace(/:(\w+)/g, (_, n) => {
      names.push(n);
      return '([^/]+)';
    }) + '/?$');
    const m = re.exec(path);
    if (m) {
      const params = {};
      names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(m[i + 1]);
        } catch (e) {
          params[n] = m[i + 1];
        }
      });
      return { route: r, params };
    }
  }
  return null;
}

// A lost session (401 on a signed-in page) goes back to the login page, then to where it was.
api.onUnauthorized(() => {
  const m = match(route.path);
  if (m && m.route.open) {
    return; // wrong password or SMS code: the page shows it
  }
  api.setToken(null);
  session.me = null;
  go('/login' + qs({ next: route.path + qs(route.query) }));
});

const LangSwitch = {
  template: `
  <button type="button" class="m-lang" @click="toggle" data-test="lang-switch" :title="t('common.language')">
    <m-icon name="globe" :size="16" /><span>{{ other }}</span>
  </button>`,
  setup() {
    const other = computed(() => (lang.value === 'en' ? LANGS['zh-CN'] : LANGS.en));
    return {
      t, other, toggle: () => setLang(lang.value === 'en' ? 'zh-CN' : 'en'),
    };
  },
};

const App = {
  components: { LangSwitch },
  template: `
  <el-config-provider :locale="epLocale">
    <div class="m-shell" :class="{ 'm-open': isOpen }">
      <header class="m-top" v-if="!isOpen">
        <a v-if="current && current.route.back" :href="'#' + current.route.back" class="m-back" data-test="back">‹</a>
        <a href="#/home" class="m-brand"><span class="m-logo small">积</span><span class="m-brand-name">{{ t('app.name') }}</span></a>
        <h1 class="m-title">{{ title }}</h1>
        <nav class="m-topnav">
          <a v-for="tb in tabs" :key="tb.id" :href="tb.href" :class="{ on: tab === tb.id }">{{ t(tb.label) }}</a>
        </nav>
        <div class="m-top-right">
          <a href="#/checkout" class="m-top-cart" v-if="count" :title="t('nav.checkout')"><m-icon name="cart" :size="20" /><span class="m-badge">{{ count }}</span></a>
          <lang-switch />
          <button type="button" class="m-top-logout" @click="signOut" data-test="top-logout">{{ t('common.logout') }}</button>
        </div>
      </header>
      <div class="m-open-top" v-else><lang-switch /></div>
      <main class="m-main">
        <component v-if="current && (current.route.open || signedIn())" :is="current.route.page" :key="pageKey" v-bind="current.params" />
      </main>
      <nav class="m-tabbar" v-if="!isOpen" data-test="tabbar">
        <a v-for="tb in tabs" :key="tb.id" :href="tb.href" :class="{ on: tab === tb.id }" :data-tab="tb.id">
          <m-icon :name="tb.icon" />
          <span>{{ t(tb.label) }}</span>
        </a>
      </nav>
    </div>
  </el-config-provider>`,
  setup() {
    const current = computed(() => match(route.path));
    const isOpen = computed(() => !current.value || !!current.value.route.open);
    return {
      t, tabs: TABS, current, isOpen, signOut, signedIn,
      epLocale: computed(() => (lang.value === 'en' ? en : zhCn)),
      title: computed(() => (current.value ? t(current.value.route.title) : '')),
      tab: computed(() => (current.value ? current.value.route.tab : '')),
      pageKey: computed(() => route.path),
      count: computed(() => cartCount()),
    };
  },
};

// Sends the browser where it may be: an unknown path home, a member page to login when signed
// out, the login page home when signed in.
function guard() {
  const m = match(route.path);
  if (!m) {
    go(signedIn() ? '/home' : '/login');
    return;
  }
  if (!m.route.open && !signedIn()) {
    go('/login' + qs({ next: route.path + qs(route.query) }));
    return;
  }
  if (m.route.path === '/login' && signedIn() && !route.query.registered && !route.query.reset) {
    go('/home');
  }
  document.title = t(m.route.title) + ' · ' + t('app.name');
}
window.addEventListener('hashchange', () => {
  ElMessage.closeAll(); // the messages of the page left behind
  guard();
});
guard();

if (signedIn()) {
  loadMe().catch(() => {});
}

const app = createApp({ render: () => h(App) });
app.use(ElementPlus, { locale: lang.value === 'en' ? en : zhCn });
app.component('MIcon', MIcon);
app.mount('#app');
