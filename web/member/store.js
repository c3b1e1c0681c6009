// store.js — what the member pages share: the API client of the member session, the signed-in
// member's profile, the hash router, the shopping cart, and the helpers that turn the API's
// errors into text shown at the field they name.
import { reactive } from '/assets/vendor/vue.esm-browser.prod.js';
import { makeClient, ApiError } from '/assets/js/api.js';
import { t } from '/assets/js/i18n.js';
import { formatMinor, parseAmount } from '/assets/js/money.js';

export const api = makeClient('member');

// The signed-in member's GET /me (null before it is loaded or when signed out).
export const session = reactive({ me: null });

export async function loadMe() {
  session.me = await api.get('/me');
  return session.me;
}

// After a command that answers the member's balances (MemberCommandResult).
export function setBalances(b) {
  if (session.me && b) {
    session.me.balances = b;
  }
}

// Ends the session on the server (whatever it answers) and in this browser.
export async function signOut() {
  try {
    if (api.token()) {
      await api.post('/auth/logout');
    }
  } catch (e) {
    // an expired session is signed out already
  }
  api.setToken(null);
  session.me = null;
  go('/login');
}

export function signedIn() {
  return !!api.token();
}

// ---- hash routing: #/path?query -----------------------------------------------------------

export const route = reactive({ path: '/home', query: {} });

// The path stays as written (its segments are decoded by the router: an order id may hold an
// encoded '/'); URLSearchParams decodes the query's values.
function parseHash() {
  const h = location.hash.replace(/^#/, '') || '/home';
  const i = h.indexOf('?');
  route.path = (i < 0 ? h : h.slice(0, i)) || '/home';
  route.query = Object.fromEntries(new URLSearchParams(i < 0 ? '' : h.slice(i + 1)));
}
parseHash();
window.addEventListener('hashchange', parseHash);

// Goes to `path` (with its query), e.g. go('/orders/o1').
export function go(path) {
  const target = '#' + path;
  if (location.hash === target) {
    parseHash();
  } else {
    location.hash = target;
  }
}

// A query string of the defined values of `q`: qs({a: 1, b: ''}) -> '?a=1'.
export function qs(q) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v !== undefined && v !== null && v !== '') {
      p.set(k, String(v));
    }
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

// ---- labels --------------------------------------------------------------------------------

// The message of prefix+name when there is one, else the name itself (kinds, levels and ranks
// come from the operator's rules: a new one shows as the API names it).
export function label(prefix, name) {
  if (name === null || name === undefined || name === '') {
    return '';
  }
  const k = prefix + name;
  const s = t(k);
  return s === k ? String(name) : s;
}

export const ASSETS = ['cash', 'points', 'locked', 'contribution', 'redpacket', 'voucher',
  'ad_points', 'growth', 'token'];

// "138****8000": a phone of another member as the team list shows it.
export function maskPhone(p) {
  const s = String(p || '');
  return s.length === 11 ? s.slice(0, 3) + '****' + s.slice(7) : s;
}

// An RFC 3339 time as the member's local date and time.
export function formatTime(at) {
  if (!at) {
    return '';
  }
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) {
    return String(at);
  }
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// A signed amount: "+1.00" / "-1.00".
export function signedMinor(v) {
  const s = formatMinor(v, true);
  return s.startsWith('-') ? s : '+' + s;
}

// The business day now in the operator's default time zone (Asia/Shanghai), YYYY-MM-DD.
export function today(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(d);
  return parts;
}

// What changed between two balance objects: [{asset, delta}] for every asset that moved.
export function balanceDiff(before, after) {
  const out = [];
  if (!before || !after) {
    return out;
  }
  for (const a of ASSETS) {
    const d = BigInt(after[a] ?? 0) - BigInt(before[a] ?? 0);
    if (d !== 0n) {
      out.push({ asset: a, delta: d });
    }
  }
  return out;
}

export function diffText(diffs) {
  return diffs.map((d) => t('asset.' + d.asset) + ' ' + signedMinor(d.delta)).join('，');
}

// ---- errors --------------------------------------------------------------------------------

// Messages of the API that the pages say in the member's language (the API speaks English);
// any other message is shown after the error code's own label.
const KNOWN = [
  [/^insufficient (\w+): (-?\d+) available, (\d+) needed/, (m) => t('err.insufficient', {
    asset: label('asset.', m[1]), available: formatMinor(m[2]), needed: formatMinor(m[3]) })],
  [/^the minimum withdrawal is (\d+) fen/, (m) => t('err.withdraw_min', { min: formatMinor(m[1]) })],
  [/^no member with phone/, () => t('err.no_member_phone')],
  [/^cannot transfer to oneself/, () => t('err.self_transfer')],
  [/is not a mainland mobile number/, () => t('err.phone_format')],
  [/^wrong phone or password/, () => t('err.wrong_login')],
  [/^wrong code/, () => t('err.wrong_code')],
  [/^no live code/, () => t('err.no_code')],
  [/^too many tries/, () => t('err.too_many_tries')],
  [/^one code a minute/, () => t('err.code_wait')],
  [/^too many sign-in attempts/, () => t('err.login_wait')],
  [/^a password has 8 to 128 bytes/, () => t('err.password_length')],
  [/^referrer '.*' not found/, () => t('err.no_referrer')],
  [/is already registered/, () => t('err.phone_taken')],
  [/^no token price has been set/, () => t('err.no_token_price')],
  [/is frozen/, () => t('err.frozen')],
  [/^withdrawals of .* are frozen/, () => t('err.withdrawals_frozen')],
];

export function errorText(e) {
  if (!(e instanceof ApiError)) {
    return String((e && e.message) || e);
  }
  if (e.code === 'network') {
    return t('error.network');
  }
  for (const [re, fn] of KNOWN) {
    const m = re.exec(e.message || '');
    if (m) {
      return fn(m);
    }
  }
  const head = label('err.', e.code);
  return e.message ? head + '：' + e.message : head;
}

function randomKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return 'm-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// The state of one form: an error per field (shown by <el-form-item :error>), a general error
// for what names no field of the form, a busy flag, and the Idempotency-Key of the action: the
// same key is sent again only when the same request is retried after an answer that was lost
// (a network error or a 5xx), so a retry is applied once; any definite answer ends the key.
// aliases: a field the API names -> the form's field that shows it.
export function useForm(fields, aliases = {}) {
  const errors = reactive(Object.fromEntries(fields.map((f) => [f, ''])));
  const state = reactive({ general: '', busy: false, last: null });
  let pending = null; // {body, key}
  const form = {
    errors,
    state,
    clear() {
      for (const f of fields) {
        errors[f] = '';
      }
      state.general = '';
      state.last = null;
    },
    // Shows an error (an ApiError, or an i18n key for a field) at its field.
    show(e, field) {
      if (typeof e === 'string') {
        errors[field] = t(e);
        return;
      }
      state.last = e;
      const msg = errorText(e);
      let f = e instanceof ApiError ? e.field : null;
      if (f && aliases[f]) {
        f = aliases[f];
      }
      if (f && f in errors) {
        errors[f] = msg;
      } else {
        state.general = msg;
      }
    },
    // The minor units typed in `field` (text), or null with the error shown at the field.
    amount(field, text, opts) {
      const r = parseAmount(text, opts);
      if (r.error) {
        errors[field] = t(r.error);
        return null;
      }
      return r.value;
    },
    // Sends `method path body` with the form's key; clears the errors first; shows an error
    // at its field and answers null when the request fails.
    async send(method, path, body) {
      form.clear();
      const text = JSON.stringify(body ?? null);
      if (!pending || pending.body !== text) {
        pending = { body: text, key: randomKey() };
      }
      state.busy = true;
      try {
        const res = await api.call(method, path, body, { key: pending.key });
        pending = null;
        return res;
      } catch (e) {
        if (!(e instanceof ApiError && (e.status === 0 || e.status >= 500))) {
          pending = null;
        }
        form.show(e);
        return null;
      } finally {
        state.busy = false;
      }
    },
  };
  return form;
}

// ---- the cart ------------------------------------------------------------------------------

const CART_KEY = 'jifen.member.cart';

function loadCart() {
  try {
    const c = JSON.parse(localStorage.getItem(CART_KEY) || '[]');
    return Array.isArray(c) ? c.filter((l) => l && l.product && l.product.id && l.qty > 0) : [];
  } catch (e) {
    return [];
  }
}

// [{product: a Product of GET /products, qty}]
export const cart = reactive({ lines: loadCart() });

export function saveCart() {
  localStorage.setItem(CART_KEY, JSON.stringify(cart.lines));
}

export function addToCart(product, qty = 1) {
  const l = cart.lines.find((x) => x.product.id === product.id);
  if (l) {
    l.qty += qty;
    l.product = product;
  } else {
    cart.lines.push({ product, qty });
  }
  saveCart();
}

export function cartCount() {
  return cart.lines.reduce((n, l) => n + l.qty, 0);
}

export { t };
