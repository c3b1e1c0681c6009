// flow.mjs — the whole path of an order through the web console, in one browser session per
// person against one real server:
//
//   the day before yesterday (the server's clock shifted back two days with libfaketime):
//     an admin signs in and creates an entry-zone product (报单区) in the admin console;
//     an upline buys one too (through the API: it needs a lot of its own to receive a share);
//     a new member opens the upline's invite link, registers, signs in, orders the product
//     paying offline; the admin confirms the payment and completes the order in the console;
//     the member tries a transfer larger than their points and sees the API's error at the
//     amount field;
//   today (the server restarted on the same store with the real clock):
//     the admin settles through yesterday in the console (the last day that has ended) and
//     sees its report;
//     the member sees the lot and its daily release (lots page, ledger);
//     the upline sees the share of the member's release (分享收益) in their ledger.
//
// Every step is checked through the page and against the API. usage: node flow.mjs JIFEN
import { ADMIN_PASSWORD, ADMIN_USER, DESKTOP, PHONE, runTest, until } from './harness.mjs';

const UPLINE = '13800000001';
const MEMBER = '13800000002';
const PASSWORD = 'flow-password-1';
const PRODUCT = 'gift-pack';

// Today's business day in Asia/Shanghai (the default rules' time zone), YYYY-MM-DD.
function shanghaiDay(offset = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric',
                                            month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + offset * 86400000));
}

function fieldError(page, inputName) {
  return page.locator('.el-form-item', { has: page.locator(`input[name="${inputName}"]`) })
    .locator('.el-form-item__error');
}

async function memberVisit(h, page, path, ready) {
  const target = h.url + '/#' + path;
  if (page.url() === target) {
    await page.reload();
  } else {
    await page.goto(target);
  }
  await page.waitForSelector(ready);
  await h.quiet(page);
}

async function adminVisit(h, page, path, ready) {
  await page.goto(h.url + '/admin/#' + path);
  await page.waitForSelector(ready, { state: 'attached' });
  await h.quiet(page);
}

await runTest(async (h) => {
  // the day of the orders, and the next day (the first a lot releases on), which the admin
  // settles once it has ended
  const orderDay = shanghaiDay(-2);
  const settleDay = shanghaiDay(-1);
  const admin = await h.adminToken();
  const adm = (m, p, b) => h.api(m, p, b, admin);

  // ---- the admin creates an entry-zone product in the console --------------------------------
  const ap = await h.page('flow-admin', DESKTOP);
  await ap.goto(h.url + '/admin/');
  await ap.waitForSelector('.adm-login-card');
  await ap.fill('input[name=username]', ADMIN_USER);
  await ap.fill('input[name=password]', ADMIN_PASSWORD);
  await ap.click('.adm-login-btn');
  await ap.waitForSelector('.adm-layout');
  await adminVisit(h, ap, '/products', '.adm-products-table');
  await ap.click('.adm-new-product');
  const dlg = ap.locator('.adm-product-dialog');
  await dlg.locator('input[name=id]').fill(PRODUCT);
  await dlg.locator('input[name=name]').fill('报单礼包');
  await dlg.locator('.adm-zone-select').click();
  await ap.locator('.el-select-dropdown__item:visible', { hasText: '报单区' }).first().click();
  await dlg.locator('input[name=price]').fill('3000.00');
  await dlg.locator('input[name=stock]').fill('100');
  await dlg.locator('.adm-submit').click();
  await ap.locator('.el-message--success').last().waitFor();
  const prod = (await adm('GET', '/admin/products?zone=entry')).body.items.find((p) => p.id === PRODUCT);
  h.check(prod && prod.price === 300000 && prod.zone === 'entry',
          'the entry product created in the console: ' + JSON.stringify(prod));
  await h.shot(ap, 'flow-admin-product');

  // ---- the upline registers and buys the product (API): a lot to receive shares into ---------
  const up = await h.api('POST', '/auth/register', { phone: UPLINE, password: PASSWORD });
  h.check(up.status === 201, 'the upline registered (' + up.status + ')');
  const upToken = (await h.api('POST', '/auth/login', { phone: UPLINE, password: PASSWORD })).body.token;
  const upOrder = await h.api('POST', '/orders', { items: [{ product: PRODUCT, qty: 1 }], offline: true },
                              upToken);
  h.check(upOrder.status === 201, 'the upline ordered (' + upOrder.status + ')');
  const upId = encodeURIComponent(upOrder.body.id);
  h.check((await adm('POST', '/admin/orders/' + upId + '/confirm-payment')).status === 200 &&
          (await adm('POST', '/admin/orders/' + upId + '/complete')).status === 200,
          "the upline's order paid and completed");

  // ---- the member registers through the invite link and signs in -----------------------------
  const mp = await h.page('flow-member', PHONE);
  await memberVisit(h, mp, '/register?invite=' + up.body.invite_code, '[data-test=register-form]');
  h.check((await mp.inputValue('input[name=invite_code]')) === up.body.invite_code,
          'the invite code of the link is prefilled');
  await mp.fill('input[name=phone]', MEMBER);
  await mp.fill('input[name=password]', PASSWORD);
  await mp.fill('input[name=password2]', PASSWORD);
  await mp.click('[data-test=register-submit]');
  await mp.waitForURL(/#\/login\?/);
  await mp.fill('input[name=password]', PASSWORD);
  await mp.click('[data-test=login-submit]');
  await mp.waitForURL(/#\/home$/);
  await mp.waitForSelector('[data-test=balances] .m-balance');
  const token = (await h.api('POST', '/auth/login', { phone: MEMBER, password: PASSWORD })).body.token;
  const me = (await h.api('GET', '/me', undefined, token)).body;
  h.check(me.referrer === up.body.member, 'the member is under the upline (' + me.referrer + ')');

  // ---- the member orders the entry product, paying offline -----------------------------------
  await memberVisit(h, mp, '/shop?zone=entry', `[data-product="${PRODUCT}"]`);
  await mp.click(`[data-product="${PRODUCT}"] [data-test=add]`);
  await memberVisit(h, mp, '/checkout', '[data-test=checkout-form]');
  const total = (await mp.locator('[data-test=total]').innerText()).trim();
  h.check(/^¥3,?000\.00$/.test(total), 'checkout: the total ' + total);
  await mp.click('[data-test=offline]');
  await mp.click('[data-test=place]');
  await mp.waitForURL(/#\/orders\/[^?]+\?placed=1/);
  await mp.waitForSelector('[data-test=order-status]');
  const orderId = (await mp.locator('[data-test=order-id]').innerText()).trim();
  h.check((await mp.getAttribute('[data-test=order-status]', 'data-status')) === 'pending',
          'the order waits for its offline payment');
  await h.shot(mp, 'flow-member-order');

  // ---- the admin confirms the payment and completes the order in the console ---------------
  const status = async () => (await h.api('GET', '/orders/' + encodeURIComponent(orderId), undefined, token))
    .body.status;
  await adminVisit(h, ap, '/orders', `.adm-row-actions[data-order="${orderId}"]`);
  await ap.click(`.adm-row-actions[data-order="${orderId}"] .adm-confirm-payment`);
  await ap.locator('.el-message-box .el-button--primary').click();
  await until(async () => (await status()) === 'paid', 'the payment confirmed');
  await ap.locator('.adm-status-filter .el-radio-button', { hasText: '已付款' }).click();
  await ap.waitForSelector(`.adm-row-actions[data-order="${orderId}"] .adm-complete`);
  await ap.click(`.adm-row-actions[data-order="${orderId}"] .adm-complete`);
  await ap.locator('.el-message-box .el-button--primary').click();
  await until(async () => (await status()) === 'completed', 'the order completed');
  const lots = (await h.api('GET', '/me/lots', undefined, token)).body.items;
  h.check(lots.length === 1 && lots[0].remaining > 0, 'the member holds a lot: ' + JSON.stringify(lots));

  // ---- a bad transfer: the API's error at the amount field ---------------------------------
  await memberVisit(h, mp, '/transfer', '[data-test=transfer-form]');
  await mp.fill('input[name=to_phone]', UPLINE);
  await mp.fill('input[name=amount]', '100000');
  await h.expecting(mp, [422], async () => {
    await mp.click('[data-test=transfer-form] [data-test=submit]');
    await fieldError(mp, 'amount').waitFor();
  });
  const err = (await fieldError(mp, 'amount').innerText()).trim();
  h.check(/不足/.test(err), 'the refused transfer is shown at the amount field: ' + err);
  await h.shot(mp, 'flow-member-transfer-error');

  // ---- two days later: the admin settles through the day after the orders, now ended --------
  await h.restart(0);
  await adminVisit(h, ap, '/settlements', '.adm-settle-form');
  const dayInput = ap.locator('.adm-settle-form input').first();
  await dayInput.fill(settleDay);
  await dayInput.press('Enter');
  await ap.click('.adm-settle-btn');
  await ap.locator('.el-message-box .el-button--primary').click();
  await ap.locator(`.adm-report[data-day="${settleDay}"]`).waitFor();
  const days = (await adm('GET', '/admin/settlements?limit=5')).body.items;
  h.check(days[0] && days[0].day === settleDay && days.some((d) => d.day === orderDay),
          'settled through ' + settleDay + ': ' + days.map((d) => d.day).join(', '));
  const release = days[0].steps.release;
  h.check(release.static > 0 && release.share > 0, 'the day released and paid a share: ' +
          JSON.stringify(release));
  await h.shot(ap, 'flow-admin-settlement');

  // ---- the member sees the lot release ------------------------------------------------------
  const after = (await h.api('GET', '/me/lots', undefined, token)).body.items[0];
  await memberVisit(h, mp, '/lots', '[data-test=lot]');
  h.check(after.remaining < lots[0].remaining, 'the lot released: ' + lots[0].remaining + ' -> ' + after.remaining);
  await mp.waitForSelector('[data-test=releases] tbody tr');
  h.check((await mp.locator('[data-test=releases]').innerText()).includes(settleDay), "the lots page shows the settled day's release");
  await memberVisit(h, mp, '/ledger?asset=locked', '[data-test=entry]');
  h.check(await mp.locator('[data-test=entry][data-kind=release_static]').count() >= 1,
          'the ledger shows the static release');
  await h.shot(mp, 'flow-member-release');

  // ---- the upline sees the share --------------------------------------------------------------
  const upLedger = (await h.api('GET', '/me/ledger?asset=points', undefined, upToken)).body.items;
  const share = upLedger.find((e) => e.kind === 'release_share');
  h.check(share && share.amount > 0, "the upline's ledger has the share: " + JSON.stringify(share));
  const upPage = await h.page('flow-upline', PHONE);
  await upPage.goto(h.url + '/#/login');
  await upPage.waitForSelector('input[name=phone]');
  await upPage.fill('input[name=phone]', UPLINE);
  await upPage.fill('input[name=password]', PASSWORD);
  await upPage.click('[data-test=login-submit]');
  await upPage.waitForURL(/#\/home$/);
  await memberVisit(h, upPage, '/ledger?asset=points', '[data-test=entry]');
  h.check(await upPage.locator('[data-test=entry][data-kind=release_share]').count() >= 1,
          "the upline's ledger page shows the share");
  await h.shot(upPage, 'flow-upline-share');
}, { clockDays: -2 });
