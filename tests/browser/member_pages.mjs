// member_pages.mjs — the member H5 pages (web/member/) in Chromium: a member registers through
// an upline's invite link, signs in, sees every balance, signs in daily, orders, exchanges,
// transfers (a bad amount and an unknown phone shown at their fields), withdraws, converts
// points to tokens, resets the password with the SMS code, and shows the invite QR code; a
// member with a settled lot sees its daily release in the lots page and the ledger; the upline
// sees the new member in the team page. Every page is visited at 375x812 and 1440x900 without a
// console error, with a screenshot of each (build/screenshots/member-*.png).
//
// The SMS code: the `log` sender only writes the message to the store's sms_outbox (it never
// prints the code), so the server runs with `--sms http` pointed at a small HTTP receiver of
// this test, which reads the code from the message the server delivers.
//
// usage: node tests/browser/member_pages.mjs path/to/jifen
import http from 'node:http';
import { DESKTOP, PHONE, runTest } from './harness.mjs';

const PASSWORD = 'member-pass-1';
const NEW_PASSWORD = 'member-pass-2';
const UPLINE = '13800000001';
const MEMBER = '13800000002';
const HIST = '13700000003'; // a member with history, from the replay (its password is fixed)
const HIST_PASSWORD = 'jifen-test-password';

// ---- the SMS receiver ------------------------------------------------------------------------
const sms = [];
const smsServer = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    try {
      sms.push(JSON.parse(body));
    } catch (e) {
      sms.push({ text: body });
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
  });
});
await new Promise((r) => smsServer.listen(0, '127.0.0.1', r));
const smsUrl = 'http://127.0.0.1:' + smsServer.address().port + '/sms';

async function smsCode(phone, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const m = [...sms].reverse().find((x) => x.phone === phone);
    const c = m && /(\d{6})/.exec(m.text || '');
    if (c) {
      return c[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

// ---- pages -------------------------------------------------------------------------------------

// A page already signed in as the holder of `token` (the member pages keep it in localStorage).
async function signedInPage(h, name, viewport, token) {
  const page = await h.page(name, viewport);
  await page.context().addInitScript((t) => {
    localStorage.setItem('jifen.member.token', t);
  }, token);
  return page;
}

// Goes to #/path and waits until the page has drawn its main part.
async function visit(h, page, path, ready) {
  const target = h.url + '/#' + path;
  if (page.url() === target) {
    await page.reload(); // the same hash again: no navigation, so load the page anew
  } else {
    await page.goto(target);
  }
  try {
    await page.waitForSelector(ready || '.m-main > *');
  } catch (e) {
    await h.shot(page, 'member-FAILED');
    throw e;
  }
  await h.quiet(page);
}

function fieldError(page, inputName) {
  return page.locator('.el-form-item', { has: page.locator(`input[name="${inputName}"]`) })
    .locator('.el-form-item__error');
}

async function text(page, sel) {
  return (await page.locator(sel).first().innerText()).trim();
}

const REPLAY = [
  { op: 'product', id: 'tea', name: '龙井茶 250g', price: 29800, zone: 'normal', stock: 50, points: 1000 },
  { op: 'product', id: 'pack', name: '报单礼包', price: 300000, zone: 'entry' },
  { op: 'product', id: 'cup', name: '青花瓷杯', price: 0, zone: 'mall', points_price: 1000 },
  { op: 'register', member: 'hist', phone: HIST, at: '2026-01-05T09:00:00+08:00' },
  { op: 'order', order: 'h1', member: 'hist', items: [{ product: 'pack', qty: 1 }] },
  { op: 'complete', order: 'h1', at: '2026-01-05T10:00:00+08:00' },
  { op: 'settle', day: '2026-01-07' },
];

// Every member page: [name, path, a selector that shows it is drawn, what to do there first].
const PAGES = [
  ['home', '/home', '[data-test=balances] .m-balance'],
  ['shop', '/shop', '[data-test=product]', (pg) => pg.click('[data-product=pack] [data-test=add]')],
  ['checkout', '/checkout', '[data-test=line]'],
  ['orders', '/orders', '[data-test=orders]'],
  ['wallet', '/wallet', '[data-test=wallet-balances]'],
  ['exchange', '/exchange', '[data-test=exchange-form]'],
  ['transfer', '/transfer', '[data-test=transfer-form]'],
  ['growth', '/growth', '[data-test=growth-form]'],
  ['tokens', '/tokens', '[data-test=tokens-form]'],
  ['withdraw', '/withdraw', '[data-test=withdraw-form]'],
  ['lots', '/lots', '[data-test=lots]'],
  ['ledger', '/ledger', '[data-test=ledger]'],
  ['team', '/team', '[data-test=team-summary]'],
  ['invite', '/invite', '[data-test=qr]'],
  ['me', '/me', '[data-test=me]'],
];

await runTest(async (h) => {
  const admin = await h.adminToken();
  const adm = (method, p, body) => h.api(method, p, body, admin);

  // the upline registers through the API; its invite code makes the link
  const up = await h.api('POST', '/auth/register', { phone: UPLINE, password: PASSWORD });
  h.check(up.status === 201 && /^[0-9A-Z]{8}$/.test(up.body.invite_code), 'upline registered');
  const code = up.body.invite_code;

  // ---- register through the invite link, then sign in (phone) --------------------------------
  const p = await h.page('member-flow', PHONE);
  await visit(h, p, '/register?invite=' + code, '[data-test=register-form]');
  h.check((await text(p, '[data-test=invite-shown]')) === code, 'the invite code of the link is shown');
  h.check((await p.inputValue('input[name=invite_code]')) === code, 'the invite code is prefilled');
  await h.shot(p, 'member-register');
  // a bad phone and different passwords are shown at their fields before anything is sent
  await p.fill('input[name=phone]', '12345');
  await p.fill('input[name=password]', PASSWORD);
  await p.fill('input[name=password2]', 'something-else');
  await p.click('[data-test=register-submit]');
  h.check(/手机号/.test(await fieldError(p, 'phone').innerText()), 'register: bad phone at its field');
  h.check((await fieldError(p, 'password2').count()) === 1, 'register: password mismatch at its field');
  await p.fill('input[name=phone]', MEMBER);
  await p.fill('input[name=password2]', PASSWORD);
  await p.click('[data-test=register-submit]');
  await p.waitForURL(/#\/login\?/);
  h.check((await p.inputValue('input[name=phone]')) === MEMBER, 'login: the phone is prefilled after registering');
  await h.shot(p, 'member-login');
  // a wrong password: the API's 401 shown on the form, the page stays
  await p.fill('input[name=password]', 'wrong-password');
  await h.expecting(p, [401], async () => {
    await p.click('[data-test=login-submit]');
    await p.waitForSelector('[data-test=form-error]');
  });
  h.check(/错误/.test(await text(p, '[data-test=form-error]')), 'login: wrong password shown');
  await p.fill('input[name=password]', PASSWORD);
  await p.click('[data-test=login-submit]');
  await p.waitForURL(/#\/home$/);
  await p.waitForSelector('[data-test=balances] .m-balance');

  const login = await h.api('POST', '/auth/login', { phone: MEMBER, password: PASSWORD });
  const token = login.body.token;
  const me0 = await h.api('GET', '/me', undefined, token);
  h.check(me0.body.referrer === up.body.member, 'the member registered under the upline (referrer ' + me0.body.referrer + ')');
  const memberId = me0.body.member;

  // every balance is shown
  const labels = await p.locator('[data-test=balances] .m-balance-label').allInnerTexts();
  for (const name of ['零钱', '可用积分', '待释放积分', '贡献值', '红包', '消费金', '广告积分', '增值积分', '通证']) {
    h.check(labels.includes(name), 'home shows the balance ' + name);
  }
  h.check((await text(p, '[data-test=referrer]')) === up.body.member, 'home shows the referrer');

  // the platform grants some points and cash to spend
  const g1 = await adm('POST', '/admin/members/' + memberId + '/adjust', { asset: 'points', amount: 50000, reason: 'browser test' });
  const g2 = await adm('POST', '/admin/members/' + memberId + '/adjust', { asset: 'cash', amount: 20000, reason: 'browser test' });
  h.check(g1.status < 300 && g2.status < 300, 'admin grants points and cash (' + g1.status + ', ' + g2.status + ')');
  await p.reload();
  await p.waitForSelector('[data-test=hero-points]');
  await p.waitForFunction(() => document.querySelector('[data-test=hero-points]').textContent.trim() === '500.00');
  h.check((await text(p, '[data-asset=cash] .m-balance-value')) === '200.00', 'home shows the granted cash 200.00');

  // ---- daily sign-in -------------------------------------------------------------------------
  await p.click('[data-test=signin]');
  await p.waitForSelector('.el-message--success');
  h.check(/签到成功/.test(await text(p, '.el-message--success')), 'sign-in: success message');
  h.check(/已签到/.test(await text(p, '[data-test=signin]')), 'sign-in: the button says done');
  h.check((await text(p, '[data-asset=contribution] .m-balance-value')) === '100.00', 'sign-in: contribution 100.00 shown');
  const led = await h.api('GET', '/me/ledger?asset=contribution', undefined, token);
  h.check(led.body.items.some((e) => e.kind === 'signin' && e.amount === 10000), 'sign-in: in the ledger');
  await h.shot(p, 'member-home');
  await p.click('[data-test=signin]');
  await p.waitForSelector('.el-message--info');
  h.check(/今日已签到/.test(await text(p, '.el-message--info')), 'sign-in twice: already signed in');

  // ---- an order ------------------------------------------------------------------------------
  await visit(h, p, '/shop', '[data-test=product]');
  await p.click('[data-product=tea] [data-test=add]');
  await p.click('[data-test=zones] [data-zone=mall]');
  await p.waitForSelector('[data-product=cup]');
  h.check((await p.locator('[data-test=product]').count()) === 1, 'shop: the mall zone lists only its product');
  await visit(h, p, '/checkout', '[data-test=checkout-form]');
  h.check((await text(p, '[data-test=total]')) === '¥298.00', 'checkout: the total');
  // paying with more points than the rules allow: the API names pay.points, shown at the field
  await p.fill('input[name=pay_points]', '298');
  await h.expecting(p, [422, 400], async () => {
    await p.click('[data-test=place]');
    await fieldError(p, 'pay_points').waitFor();
  });
  h.check((await fieldError(p, 'pay_points').innerText()).length > 0, 'checkout: too many points shown at the points field');
  await p.fill('input[name=pay_points]', '1.234');
  await p.click('[data-test=place]');
  h.check(/两位小数/.test(await fieldError(p, 'pay_points').innerText()), 'checkout: 3 decimals refused at the field');
  await p.fill('input[name=pay_points]', '10');
  await p.fill('input[name=region]', '110101');
  await p.click('[data-test=place]');
  await p.waitForURL(/#\/orders\/[^?]+\?placed=1/);
  await p.waitForSelector('[data-test=order-status]');
  const orderId = await text(p, '[data-test=order-id]');
  h.check((await p.getAttribute('[data-test=order-status]', 'data-status')) === 'paid', 'order: placed and paid');
  await h.shot(p, 'member-order');
  const o = await h.api('GET', '/orders/' + encodeURIComponent(orderId), undefined, token);
  h.check(o.status === 200 && o.body.amount === 29800 && o.body.points_paid === 1000 &&
          o.body.cash === 28800 && o.body.region === '110101', 'order: as the API has it ' + JSON.stringify(o.body));
  const done = await adm('POST', '/admin/orders/' + encodeURIComponent(orderId) + '/complete');
  h.check(done.status === 200, 'admin completes the order (' + done.status + ')');
  await visit(h, p, '/orders', '[data-test=order]');
  h.check((await p.locator(`[data-order="${orderId}"]`).innerText()).includes('已完成'), 'orders: the order is completed');

  // ---- transfer: errors at their fields, then a good one -------------------------------------
  await visit(h, p, '/transfer', '[data-test=transfer-form]');
  await p.fill('input[name=to_phone]', UPLINE);
  await p.fill('input[name=amount]', '1.234');
  await p.click('[data-test=transfer-form] [data-test=submit]');
  h.check(/两位小数/.test(await fieldError(p, 'amount').innerText()), 'transfer: 3 decimals at the amount field');
  await p.fill('input[name=amount]', '100000');
  await h.expecting(p, [422], async () => {
    await p.click('[data-test=transfer-form] [data-test=submit]');
    await p.waitForFunction(() => /不足/.test(document.querySelector('[data-field=amount] .el-form-item__error')?.textContent || ''));
  });
  const amountErr = await fieldError(p, 'amount').innerText();
  h.check(/可用积分不足/.test(amountErr), 'transfer: more than the balance at the amount field: ' + amountErr);
  h.check((await fieldError(p, 'to_phone').count()) === 0, 'transfer: nothing at the phone field then');
  await h.shot(p, 'member-transfer-error');
  await p.fill('input[name=to_phone]', '13900000009');
  await p.fill('input[name=amount]', '1');
  await h.expecting(p, [404], async () => {
    await p.click('[data-test=transfer-form] [data-test=submit]');
    await fieldError(p, 'to_phone').waitFor();
  });
  h.check(/尚未注册/.test(await fieldError(p, 'to_phone').innerText()), 'transfer: unknown phone at the phone field');
  await p.fill('input[name=to_phone]', MEMBER);
  await h.expecting(p, [400], async () => {
    await p.click('[data-test=transfer-form] [data-test=submit]');
    await fieldError(p, 'to_phone').waitFor();
  });
  h.check(/自己/.test(await fieldError(p, 'to_phone').innerText()), 'transfer: to oneself at the phone field');
  await p.fill('input[name=to_phone]', UPLINE);
  await p.fill('input[name=amount]', '10.50');
  await p.click('[data-test=transfer-form] [data-test=submit]');
  await p.waitForSelector('[data-test=result]');
  h.check(/-10\.50/.test(await text(p, '[data-test=result]')), 'transfer: the result shows -10.50');
  const upLogin = await h.api('POST', '/auth/login', { phone: UPLINE, password: PASSWORD });
  const upMe = await h.api('GET', '/me', undefined, upLogin.body.token);
  h.check(upMe.body.balances.points === 1050, 'transfer: the upline received 10.50 points (' + upMe.body.balances.points + ')');

  // ---- exchange, withdrawal, tokens ----------------------------------------------------------
  await visit(h, p, '/exchange', '[data-test=exchange-form]');
  await p.fill('input[name=amount]', '1');
  await p.click('[data-test=exchange-form] [data-test=submit]');
  await p.waitForSelector('[data-test=result]');
  h.check(/\+100\.00/.test(await text(p, '[data-test=result]')), 'exchange: 1 point gives 100.00 contribution');

  await visit(h, p, '/withdraw', '[data-test=withdraw-form]');
  await p.fill('input[name=amount]', '100');
  await p.click('[data-test=withdraw-form] [data-test=submit]');
  await p.waitForSelector('[data-test=withdrawal]');
  h.check(/审核中/.test(await text(p, '[data-test=withdrawal]')), 'withdraw: the request is listed in review');
  const ws = await h.api('GET', '/me/withdrawals', undefined, token);
  h.check(ws.body.items.length === 1 && ws.body.items[0].amount === 10000 && ws.body.items[0].status === 'pending',
          'withdraw: pending 100.00 in the API');
  await h.shot(p, 'member-withdraw');

  await visit(h, p, '/tokens', '[data-test=tokens-form]');
  h.check(/暂未定价/.test(await text(p, '[data-test=token-price] [data-test=price]')), 'tokens: no price yet');
  const tp = await adm('POST', '/admin/token-price', { price: '0.5' });
  h.check(tp.status < 300, 'admin sets the token price (' + tp.status + ')');
  await visit(h, p, '/tokens', '[data-test=tokens-form]');
  await p.waitForFunction(() => /0\.5/.test(document.querySelector('[data-test=token-price] [data-test=price]').textContent));
  await p.fill('input[name=points]', '1');
  await p.click('[data-test=tokens-form] [data-test=submit]');
  await p.waitForSelector('[data-test=result]');
  h.check(/通证\s*\+2\.00/.test(await text(p, '[data-test=result]')), 'tokens: 1 point at 0.5 gives 2.00 tokens');

  // ---- the invite page: link and QR code -----------------------------------------------------
  await visit(h, p, '/invite', '[data-test=qr]');
  const myCode = me0.body.invite_code;
  h.check((await text(p, '[data-test=invite-code]')) === myCode, 'invite: the code');
  h.check((await text(p, '[data-test=invite-link-text]')) === h.url + '/#/register?invite=' + myCode, 'invite: the link');
  const qr = await p.evaluate(() => {
    const img = document.querySelector('[data-test=qr]');
    return { src: img.src.slice(0, 22), w: img.naturalWidth, complete: img.complete };
  });
  h.check(qr.src.startsWith('data:image/') && qr.complete && qr.w > 100, 'invite: the QR code image ' + JSON.stringify(qr));
  await h.shot(p, 'member-invite');

  // ---- language: English, kept after a reload, then Chinese again -----------------------------
  await visit(h, p, '/me', '[data-test=me]');
  await p.click('[data-test=lang-switch]');
  await p.waitForFunction(() => document.querySelector('[data-tab=home]').textContent.includes('Home'));
  await p.reload();
  await p.waitForSelector('[data-test=me]');
  h.check((await text(p, '[data-tab=wallet]')) === 'Wallet', 'language: English kept after a reload');
  await h.shot(p, 'member-me-en');
  await p.click('[data-test=lang-switch]');
  await p.waitForFunction(() => document.querySelector('[data-tab=home]').textContent.includes('首页'));

  // ---- every page at both sizes -------------------------------------------------------------
  for (const [name, path, ready, act] of PAGES) {
    await visit(h, p, path, ready);
    if (act) {
      await act(p);
    }
    await h.shot(p, 'member-' + name);
  }
  const d = await signedInPage(h, 'member-desktop', DESKTOP, token);
  for (const [name, path, ready, act] of PAGES) {
    await visit(h, d, path, ready);
    if (act) {
      await act(d);
    }
    await h.shot(d, 'member-' + name);
  }
  await visit(h, d, '/orders/' + encodeURIComponent(orderId), '[data-test=order-status]');
  await h.shot(d, 'member-order');
  h.check(await d.locator('.m-topnav').isVisible(), 'desktop: the top navigation is shown');
  h.check(!(await d.locator('[data-test=tabbar]').isVisible()), 'desktop: no bottom tab bar');
  h.check(await p.locator('[data-test=tabbar]').isVisible(), 'phone: the bottom tab bar is shown');
  await d.context().close();

  // ---- sign out -----------------------------------------------------------------------------
  await visit(h, p, '/me', '[data-test=me]');
  const uiToken = await p.evaluate(() => localStorage.getItem('jifen.member.token'));
  await p.click('[data-test=logout]');
  await p.waitForURL(/#\/login/);
  h.check(!(await p.evaluate(() => localStorage.getItem('jifen.member.token'))), 'sign-out: the token is gone');
  const after = await h.api('GET', '/me', undefined, uiToken);
  h.check(after.status === 401, 'sign-out: the session is revoked (' + after.status + ')');
  await p.goto(h.url + '/#/wallet');
  await p.waitForURL(/#\/login\?next=/);
  h.check(true, 'signed out: a member page goes to login');

  // ---- SMS reset ----------------------------------------------------------------------------
  for (const [viewport, sz] of [[PHONE, 'phone'], [DESKTOP, 'desktop']]) {
    const r = await h.page('member-open-' + sz, viewport);
    for (const path of ['/login', '/register', '/reset']) {
      await visit(h, r, path, '.m-auth-card');
      await h.shot(r, 'member-' + path.slice(1) + '-page');
    }
    await r.context().close();
  }
  await visit(h, p, '/reset?phone=' + MEMBER, '[data-test=reset-form]');
  h.check((await p.inputValue('input[name=phone]')) === MEMBER, 'reset: the phone is prefilled');
  await p.click('[data-test=send-code]');
  await p.waitForSelector('[data-test=code-sent]');
  const smsCodeValue = await smsCode(MEMBER);
  h.check(!!smsCodeValue, 'reset: the SMS code reached the SMS receiver');
  const wrong = smsCodeValue === '000000' ? '111111' : '000000';
  await p.fill('input[name=code]', wrong);
  await p.fill('input[name=new_password]', NEW_PASSWORD);
  await p.fill('input[name=password2]', NEW_PASSWORD);
  await h.expecting(p, [401], async () => {
    await p.click('[data-test=reset-submit]');
    await fieldError(p, 'code').waitFor();
  });
  h.check(/验证码错误/.test(await fieldError(p, 'code').innerText()), 'reset: a wrong code at the code field');
  await p.fill('input[name=code]', smsCodeValue || '');
  await p.click('[data-test=reset-submit]');
  await p.waitForURL(/#\/login\?.*reset=1/);
  await h.shot(p, 'member-reset-done');
  await p.fill('input[name=password]', NEW_PASSWORD);
  await p.click('[data-test=login-submit]');
  await p.waitForURL(/#\/home$/);
  h.check(true, 'reset: signed in with the new password');
  const oldPw = await h.api('POST', '/auth/login', { phone: MEMBER, password: PASSWORD });
  h.check(oldPw.status === 401, 'reset: the old password no longer works');

  // ---- a member with a settled lot: lots and the release ledger -----------------------------
  const hl = await h.api('POST', '/auth/login', { phone: HIST, password: HIST_PASSWORD });
  const hp = await signedInPage(h, 'member-history', PHONE, hl.body.token);
  await visit(h, hp, '/lots', '[data-test=lot]');
  h.check((await text(hp, '[data-test=lot-daily]')) === '36.00', 'lots: the lot releases 36.00 a day');
  await h.shot(hp, 'member-lots-history');
  await visit(h, hp, '/ledger?asset=locked', '[data-test=entry]');
  const rel = hp.locator('[data-test=entry][data-kind=release_static]');
  h.check((await rel.count()) >= 1, 'ledger: the daily release entries are listed');
  h.check((await rel.first().locator('[data-test=entry-amount]').innerText()).trim() === '-36.00', 'ledger: a release of -36.00 locked');
  const apiLed = await h.api('GET', '/me/ledger?asset=locked', undefined, hl.body.token);
  const firstRel = apiLed.body.items.find((e) => e.kind === 'release_static');
  const fmt = (n) => {
    const s = String(n).padStart(3, '0');
    return s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + s.slice(-2);
  };
  h.check((await rel.first().locator('[data-test=entry-after]').innerText()).trim() === fmt(firstRel.balance_after),
          'ledger: the balance after the release (' + fmt(firstRel.balance_after) + ')');
  await h.shot(hp, 'member-ledger-release');
  await hp.context().close();

  // ---- the upline's team ---------------------------------------------------------------------
  const tp2 = await signedInPage(h, 'member-upline', PHONE, upLogin.body.token);
  await visit(h, tp2, '/team', '[data-generation="1"]');
  h.check((await text(tp2, '[data-test=team-members]')) === '1', 'team: one member');
  await tp2.click('[data-generation="1"]');
  await tp2.waitForSelector('[data-test=team-member]');
  h.check((await text(tp2, '[data-test=team-member]')).includes('138****0002'), 'team: generation 1 lists the new member');
  h.check((await text(tp2, '[data-test=team-performance]')) === '298.00', 'team: performance of the completed order');
  await h.shot(tp2, 'member-team-upline');
  await tp2.context().close();
  await p.context().close();
}, { replay: REPLAY, args: ['--sms', 'http', '--sms-url', smsUrl] });

smsServer.close();
