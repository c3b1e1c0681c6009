// lib.js — what the admin console's pages share: the admin API client, the API's errors shown
// at the form field they name (else as a message), lists paged by next_cursor, business days,
// times and the screen width (the layout changes below 768 px).
import { reactive } from '/assets/vendor/vue.esm-browser.prod.js';
import { ElMessage, ElMessageBox } from '/assets/vendor/element-plus.mjs';
import { makeClient } from '/assets/js/api.js';
import { formatMinor, parseAmount } from '/assets/js/money.js';
import { t } from '/assets/js/i18n.js';

export const api = makeClient('admin');

// ---- hash routing (the server has no fallback route: #/members/12) ----------------------------
export const route = reactive({ path: '/', parts: [], query: {} });
function readHash() {
  const h = location.hash.replace(/^#/, '') || '/';
  const i = h.indexOf('?');
  const path = i < 0 ? h : h.slice(0, i);
  route.path = path.startsWith('/') ? path : '/' + path;
  route.parts = route.path.split('/').filter(Boolean).map(decodeURIComponent);
  route.query = Object.fromEntries(new URLSearchParams(i < 0 ? '' : h.slice(i + 1)));
}
readHash();
window.addEventListener('hashchange', readHash);

// Goes to a console path: go('/members/' + id).
export function go(path) {
  if (location.hash !== '#' + path) {
    location.hash = '#' + path;
  }
}

// The path of a member's page.
export function memberPath(id) {
  return '/members/' + encodeURIComponent(id);
}

// ---- the screen ----------------------------------------------------------------------------
export const screen = reactive({ width: window.innerWidth });
window.addEventListener('resize', () => {
  screen.width = window.innerWidth;
});
export function isMobile() {
  return screen.width < 768;
}
// The width of a dialog: most of a phone's screen, else `w`.
export function dialogWidth(w = '520px') {
  return isMobile() ? '94%' : w;
}

// ---- errors ----------------------------------------------------------------------------------
// The text of an API error for a person: the network error in the console's language, else the
// API's own message (it names what is wrong).
export function errorText(e) {
  if (e && e.code === 'network') {
    return t('error.network');
  }
  if (e && e.status === 401) {
    return t('error.session');
  }
  return (e && e.message) || String(e);
}

// Shows an error: at the form field it names when `errors` (a reactive object of field ->
// message) has that field (after `map`: API field -> form field), else as a message. Returns
// the form field it was shown at, or null.
export function showError(e, errors = null, map = {}) {
  if (e && e.status === 401) {
    return null; // the sign-in page takes over
  }
  const field = e && e.field ? map[e.field] || e.field : null;
  if (errors && field && field in errors) {
    errors[field] = errorText(e);
    return field;
  }
  ElMessage.error(errorText(e));
  return null;
}

// A reactive object of form errors, all fields empty; clear() empties them again.
export function formErrors(fields) {
  const errors = reactive(Object.fromEntries(fields.map((f) => [f, ''])));
  Object.defineProperty(errors, 'clear', {
    enumerable: false,
    value() {
      for (const k of Object.keys(errors)) {
        errors[k] = '';
      }
    },
  });
  return errors;
}

// Parses an amount typed into `field` of a form: the minor units, or null after showing the
// message at the field.
export function amountOf(text, errors, field, opts) {
  const p = parseAmount(text, opts);
  if (p.error) {
    errors[field] = t(p.error);
    return null;
  }
  return p.value;
}

export function ok(msg) {
  ElMessage.success(msg || t('common.ok'));
}

// Asks before an action; true when the admin confirmed.
export async function confirmAction(text, title) {
  try {
    await ElMessageBox.confirm(text, title || t('adm.confirm_title'), {
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
      type: 'warning',
    });
    return true;
  } catch (e) {
    return false;
  }
}

// ---- lists paged by next_cursor ------------------------------------------------------------
// A list read page by page: `path()` gives the path with its query (without limit and cursor).
// state.items is the page shown; next() and prev() move; reload() goes back to the first page.
export function cursorList(path, size = 20) {
  const state = reactive({ items: [], loading: false, page: 1, hasNext: false, error: '' });
  let cursors = [null]; // the cursor of each page seen, page 1 first
  let next = null;
  let seq = 0;
  async function load(i) {
    const mine = ++seq;
    state.loading = true;
    state.error = '';
    try {
      const p = path();
      const sep = p.includes('?') ? '&' : '?';
      const c = cursors[i];
      const res = await api.get(p + sep + 'limit=' + size + (c ? '&cursor=' + c : ''));
      if (mine !== seq) {
        return;
      }
      state.items = res.items || [];
      next = res.next_cursor;
      state.hasNext = !!next;
      state.page = i + 1;
      cursors = cursors.slice(0, i + 1);
    } catch (e) {
      if (mine === seq) {
        state.items = [];
        state.hasNext = false;
        state.error = errorText(e);
        showError(e);
      }
    } finally {
      if (mine === seq) {
        state.loading = false;
      }
    }
  }
  return {
    state,
    reload() {
      cursors = [null];
      return load(0);
    },
    refresh() {
      return load(state.page - 1);
    },
    next() {
      if (next) {
        cursors.push(next);
        return load(cursors.length - 1);
      }
      return Promise.resolve();
    },
    prev() {
      return state.page > 1 ? load(state.page - 2) : Promise.resolve();
    },
  };
}

// ---- days and times --------------------------------------------------------------------------
// The rules' time zone, whose dates are the business days (read once from GET /admin/rules).
const zone = { tz: 'Asia/Shanghai', loading: null };
export function loadTimezone() {
  if (!zone.loading) {
    zone.loading = api.get('/admin/rules').then((r) => {
      const tz = r && r.rules && r.rules.timezone;
      try {
        new Intl.DateTimeFormat('en-CA', { timeZone: tz });
        zone.tz = tz;
      } catch (e) {
        // an unknown zone for this browser: the default stays
      }
    }).catch(() => {
      zone.loading = null; // read again next time
    });
  }
  return zone.loading;
}

// The business day of a time (today by default) plus some days, as YYYY-MM-DD.
export function businessDay(date = new Date(), offsetDays = 0, tz = zone.tz) {
  const d = new Date(date.getTime() + offsetDays * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit',
                                            day: '2-digit' }).format(d);
}

// Every day from `from` to `to` (YYYY-MM-DD), in order.
export function daysBetween(from, to) {
  const out = [];
  let d = new Date(from + 'T00:00:00Z');
  const end = new Date(to + 'T00:00:00Z');
  while (d <= end && out.length < 400) {
    out.push(d.toISOString().slice(0, 10));
    d = new Date(d.getTime() + 86400000);
  }
  return out;
}

// An RFC 3339 time shown in the browser's time zone: 2026-03-02 18:00:00.
export function formatTime(s) {
  if (!s) {
    return '';
  }
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) {
    return s;
  }
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// ---- formatting ------------------------------------------------------------------------------
export const ASSETS = ['cash', 'points', 'locked', 'contribution', 'redpacket', 'voucher',
                       'ad_points', 'growth', 'token'];
// What an admin may add or remove (SPEC §7: every asset but locked).
export const ADJUSTABLE = ASSETS.filter((a) => a !== 'locked');
export const ZONES = ['normal', 'entry', 'repurchase', 'mall'];
export const ORDER_STATUSES = ['pending', 'paid', 'completed', 'refunded'];
export const WITHDRAWAL_STATUSES = ['pending', 'approved', 'rejected'];

// The message of prefix + key, or the key itself when there is none (a kind of transfer or an
// audit action added later shows as it is named).
export function label(prefix, key) {
  const s = t(prefix + key);
  return s === prefix + key ? key : s;
}

export function money(v) {
  return formatMinor(v, true);
}

// A count typed by a person (stock): a whole number, or null when empty; {error} otherwise.
export function parseCount(text) {
  const s = String(text ?? '').trim();
  if (s === '') {
    return { value: null };
  }
  if (!/^\d{1,15}$/.test(s)) {
    return { error: 'adm.count_invalid' };
  }
  return { value: Number(s) };
}

// A tag type of Element Plus for a status.
export function statusType(s) {
  return { pending: 'warning', paid: 'primary', completed: 'success', refunded: 'info',
           approved: 'success', rejected: 'danger' }[s] || 'info';
}
