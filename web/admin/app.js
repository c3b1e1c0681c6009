// app.js — the admin console (积分管理后台): sign-in, the layout of Chinese admin consoles
// (side menu, a header with the language switch and sign-out), hash routing and the pages.
import { computed, createApp, reactive, ref, watch } from '/assets/vendor/vue.esm-browser.prod.js';
import ElementPlus from '/assets/vendor/element-plus.mjs';
import zhCn from '/assets/vendor/element-plus-zh-cn.mjs';
import en from '/assets/vendor/element-plus-en.mjs';
import { LANGS, lang, setLang, t } from '/assets/js/i18n.js';
import { formatMinor } from '/assets/js/money.js';
import './i18n.js';
import { api, errorText, go, isMobile, route, screen } from './lib.js';
import { registerComponents } from './components.js';
import { DashboardPage } from './pages/dashboard.js';
import { MemberPage, MembersPage } from './pages/members.js';
import { ProductsPage } from './pages/products.js';
import { OrdersPage } from './pages/orders.js';
import { WithdrawalsPage } from './pages/withdrawals.js';
import { RulesPage } from './pages/rules.js';
import { AgentsPage, FinancePage } from './pages/operations.js';
import { SettlementsPage } from './pages/settlements.js';
import { AuditPage } from './pages/audit.js';

// The side menu, by group; each entry a route of its own.
const MENU = [
  { group: 'menu.overview', items: [{ path: '/dashboard', label: 'menu.dashboard' }] },
  { group: 'menu.members', items: [{ path: '/members', label: 'menu.members' }] },
  {
    group: 'menu.shop',
    items: [
      { path: '/products', label: 'menu.products' },
      { path: '/orders', label: 'menu.orders' },
    ],
  },
  {
    group: 'menu.finance',
    items: [
      { path: '/withdrawals', label: 'menu.withdrawals' },
      { path: '/finance', label: 'menu.finance_ops' },
      { path: '/settlements', label: 'menu.settlements' },
    ],
  },
  {
    group: 'menu.system',
    items: [
      { path: '/rules', label: 'menu.rules' },
      { path: '/agents', label: 'menu.agents' },
      { path: '/audit', label: 'menu.audit' },
    ],
  },
];

const ROUTES = [
  { re: /^\/dashboard$/, comp: DashboardPage, menu: '/dashboard' },
  { re: /^\/members$/, comp: MembersPage, menu: '/members' },
  { re: /^\/members\/([^/]+)$/, comp: MemberPage, menu: '/members', param: 'id' },
  { re: /^\/products$/, comp: ProductsPage, menu: '/products' },
  { re: /^\/orders$/, comp: OrdersPage, menu: '/orders' },
  { re: /^\/withdrawals$/, comp: WithdrawalsPage, menu: '/withdrawals' },
  { re: /^\/finance$/, comp: FinancePage, menu: '/finance' },
  { re: /^\/settlements$/, comp: SettlementsPage, menu: '/settlements' },
  { re: /^\/rules$/, comp: RulesPage, menu: '/rules' },
  { re: /^\/agents$/, comp: AgentsPage, menu: '/agents' },
  { re: /^\/audit$/, comp: AuditPage, menu: '/audit' },
];

const USER_KEY = 'jifen.admin.user';
const session = reactive({ token: api.token(), user: localStorage.getItem(USER_KEY) || '' });

// A session that ended (401 anywhere): back to the sign-in page, then here again.
api.onUnauthorized(() => {
  api.setToken(null);
  session.token = null;
  if (route.path !== '/login') {
    go('/login?next=' + encodeURIComponent(route.path));
  }
});

function guard() {
  if (!session.token && route.path !== '/login') {
    go('/login?next=' + encodeURIComponent(route.path === '/' ? '/dashboard' : route.path));
  } else if (route.path === '/' || (session.token && route.path === '/login')) {
    go('/dashboard');
  }
}

const LoginPage = {
  name: 'LoginPage',
  setup() {
    const form = reactive({ username: '', password: '' });
    const errors = reactive({ username: '', password: '' });
    const busy = ref(false);
    const failed = ref('');
    async function submit() {
      errors.username = form.username.trim() ? '' : t('login.need_username');
      errors.password = form.password ? '' : t('login.need_password');
      failed.value = '';
      if (errors.username || errors.password) {
        return;
      }
      busy.value = true;
      try {
        const r = await api.post('/admin/auth/login',
                                 { username: form.username.trim(), password: form.password });
        api.setToken(r.token);
        localStorage.setItem(USER_KEY, form.username.trim());
        session.token = r.token;
        session.user = form.username.trim();
        const next = route.query.next;
        go(next && next.startsWith('/') && next !== '/login' ? next : '/dashboard');
      } catch (e) {
        if (e.field && e.field in errors) {
          errors[e.field] = errorText(e);
        } else {
          failed.value = e.status === 401 ? t('login.wrong') : errorText(e);
        }
      } finally {
        busy.value = false;
      }
    }
    return { form, errors, busy, failed, submit, LANGS, lang, setLang };
  },
  template: `
    <div class="adm-login">
      <div class="adm-login-lang">
        <el-radio-group :model-value="lang" size="small" @change="setLang">
          <el-radio-button v-for="(name, code) in LANGS" :key="code" :value="code">{{ name }}</el-radio-button>
        </el-radio-group>
      </div>
      <el-card class="adm-login-card" shadow="always">
        <div class="adm-login-title">{{ t('app.title') }}</div>
        <div class="adm-login-sub muted">{{ t('login.subtitle') }}</div>
        <el-form label-position="top" @submit.prevent="submit" class="adm-login-form">
          <el-form-item :label="t('login.username')" :error="errors.username">
            <el-input v-model="form.username" name="username" autocomplete="username" />
          </el-form-item>
          <el-form-item :label="t('login.password')" :error="errors.password">
            <el-input v-model="form.password" name="password" type="password" show-password
                      autocomplete="current-password" @keyup.enter="submit" />
          </el-form-item>
          <el-alert v-if="failed" :title="failed" type="error" :closable="false" show-icon class="adm-mb" />
          <el-button type="primary" native-type="submit" :loading="busy" class="adm-login-btn">{{ t('common.login') }}</el-button>
        </el-form>
      </el-card>
    </div>`,
};

const SideMenu = {
  name: 'SideMenu',
  props: { active: { type: String, default: '' } },
  emits: ['pick'],
  setup(props, { emit }) {
    function select(path) {
      emit('pick');
      go(path);
    }
    return { MENU, select };
  },
  template: `
    <div class="adm-brand">
      <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="10" fill="#409eff"/><text x="12" y="16.5" text-anchor="middle" font-size="12" fill="#fff" font-weight="bold">积</text></svg>
      <span>{{ t('app.title') }}</span>
    </div>
    <el-menu :default-active="active" class="adm-menu" background-color="#001529" text-color="#c0c4cc"
             active-text-color="#ffffff" @select="select">
      <el-menu-item-group v-for="g in MENU" :key="g.group">
        <template #title><span class="adm-menu-group">{{ t(g.group) }}</span></template>
        <el-menu-item v-for="it in g.items" :key="it.path" :index="it.path" :data-path="it.path">{{ t(it.label) }}</el-menu-item>
      </el-menu-item-group>
    </el-menu>`,
};

const Root = {
  name: 'AdminRoot',
  components: { LoginPage, SideMenu },
  setup() {
    const drawer = ref(false);
    const mobile = computed(() => isMobile());
    const current = computed(() => {
      for (const r of ROUTES) {
        const m = r.re.exec(route.path);
        if (m) {
          return { comp: r.comp, menu: r.menu, props: r.param ? { [r.param]: route.parts[1] } : {} };
        }
      }
      return null;
    });
    const title = computed(() => {
      const c = current.value;
      if (!c) {
        return '';
      }
      for (const g of MENU) {
        for (const it of g.items) {
          if (it.path === c.menu) {
            return t(it.label);
          }
        }
      }
      return '';
    });
    const epLocale = computed(() => (lang.value === 'en' ? en : zhCn));
    watch(() => route.path, () => {
      guard();
      drawer.value = false;
    });
    watch(lang, () => {
      document.title = t('app.title');
    }, { immediate: true });
    guard();
    async function logout() {
      try {
        await api.post('/admin/auth/logout');
      } catch (e) {
        // the session may have ended already
      }
      api.setToken(null);
      session.token = null;
      go('/login');
    }
    return { route, session, drawer, mobile, current, title, epLocale, LANGS, lang, setLang,
             logout, screen };
  },
  template: `
    <el-config-provider :locale="epLocale">
      <login-page v-if="route.path === '/login'" />
      <el-container v-else-if="session.token" class="adm-layout">
        <el-aside v-if="!mobile" width="210px" class="adm-aside">
          <side-menu :active="current ? current.menu : ''" />
        </el-aside>
        <el-container direction="vertical" class="adm-body">
          <el-header class="adm-header" height="56px">
            <div class="adm-header-left">
              <el-button v-if="mobile" class="adm-burger" text @click="drawer = true" :aria-label="t('adm.menu')">
                <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true"><path d="M3 6h18M3 12h18M3 18h18" stroke="#303133" stroke-width="2" fill="none"/></svg>
              </el-button>
              <span class="adm-title">{{ title }}</span>
            </div>
            <div class="adm-header-right">
              <el-dropdown trigger="click" @command="setLang">
                <el-button text class="adm-lang">{{ LANGS[lang] }} ▾</el-button>
                <template #dropdown>
                  <el-dropdown-menu>
                    <el-dropdown-item v-for="(name, code) in LANGS" :key="code" :command="code">{{ name }}</el-dropdown-item>
                  </el-dropdown-menu>
                </template>
              </el-dropdown>
              <span v-if="!mobile && session.user" class="adm-user muted">{{ session.user }}</span>
              <el-button text type="primary" class="adm-logout" @click="logout">{{ t('common.logout') }}</el-button>
            </div>
          </el-header>
          <el-main class="adm-main">
            <component v-if="current" :is="current.comp" :key="route.path" v-bind="current.props" />
            <el-empty v-else :description="t('adm.not_found')" />
          </el-main>
        </el-container>
        <el-drawer v-model="drawer" direction="ltr" size="220px" :with-header="false" class="adm-drawer">
          <side-menu :active="current ? current.menu : ''" @pick="drawer = false" />
        </el-drawer>
      </el-container>
    </el-config-provider>`,
};

const app = createApp(Root);
app.use(ElementPlus);
app.config.globalProperties.t = t;
app.config.globalProperties.fmt = formatMinor;
registerComponents(app);
app.mount('#app');
