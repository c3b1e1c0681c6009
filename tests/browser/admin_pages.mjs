// admin_pages.mjs — the admin console (/admin/) in a real browser against a real server.
//
// The store is prepared with `jifen replay` three days back (an entry product, a product named
// in script text, members A ← B ← C, completed orders, cash for B and a pending withdrawal of
// B's). Then, through the pages, an admin: signs in; sees the script text of a product's name as
// text (not run); creates an entry-zone product and renames it; confirms the offline payment
// of an order a member placed (by the API) and completes it; approves the withdrawal; adjusts a
// member's points with a reason (after a typed amount with three decimals is refused at its
// field) and freezes the member's withdrawals; browses the member's team by generation; saves a
// rules change and sees the API's validation errors at the fields they name (a plain one and
// one inside a table), the rules check's warnings beside the save button, a draft's check and
// compliance.max_generations refusing the unlimited team differential; appoints an agent, enters income and sets the token price; runs the
// settlement and sees its report; sees those actions in the audit log; is sent back to the
// sign-in page when the session ends (401). Every change is verified with the API.
// Then every page is visited at 375×812 and 1440×900 with a screenshot of each
// (build/screenshots/admin-*), the language switched to English and kept across a reload. Any
// console error fails the test (the harness), but for the HTTP error answers a step provokes
// on purpose, each allowed by status while that step runs.
//
// usage: node tests/browser/admin_pages.mjs JIFEN
import { ADMIN_PASSWORD, ADMIN_USER, DESKTOP, PHONE, runTest, until } from './harness.mjs';

// Business days in Asia/Shanghai (the rules' time zone): today + offset days, YYYY-MM-DD.
function shanghaiDay(offset = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric',
                                            month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + offset * 86400000));
}

const START = shanghaiDay(-3);
const SETUP = [
  { op: 'product', id: 'pack', price: 300000, zone: 'entry' },
  { op: 'product', id: 'tea', price: 29800, zone: 'normal', stock: 50 },
  { op: 'product', id: 'odd', name: '<img src=x onerror="window.__xss=1">', price: 100,
    zone: 'normal' },
  { op: 'register', member: 'A', phone: '13800000001', at: `${START}T09:00:00+08:00` },
  { op: 'register', member: 'B', phone: '13800000002', referrer: 'A' },
  { op: 'register', member: 'C', phone: '13800000003', referrer: 'B' },
  { op: 'order', order: 'o1', member: 'B', items: [{ product: 'pack', qty: 1 }] },
  { op: 'complete', order: 'o1', at: `${START}T10:00:00+08:00` },
  { op: 'order', order: 'o2', member: 'C', items: [{ product: 'tea', qty: 2 }] },
  { op: 'complete', order: 'o2' },
  { op: 'adjust', member: 'B', asset: 'cash', amount: 50000, reason: 'seed' },
  { op: 'withdraw', request: 'w1', member: 'B', amount: 20000 },
];
const MEMBER_PASSWORD = 'jifen-test-password'; // what `jifen replay` gives its members

// The pages, each with what shows once it is drawn.
const PAGES = [
  ['dashboard', '/dashboard', '.adm-chart canvas'],
  ['members', '/members', '.adm-members-table .el-table__row'],
  ['member', '/members/B', '.adm-member-id'],
  ['products', '/products', '.adm-products-table .el-table__row'],
  ['orders', '/orders?status=completed', '.adm-orders-table .el-table__row'],
  ['withdrawals', '/withdrawals?status=approved', '.adm-withdrawals-table .el-table__row'],
  ['rules', '/rules', '.adm-rules-tabs [data-path]'],
  ['agents', '/agents', '.adm-agents-table .el-table__row'],
  ['finance', '/finance', '.adm-token-price'],
  ['settlements', '/settlements', '.adm-settlements-table .el-table__row'],
  ['audit', '/audit', '.adm-audit-table .el-table__row'],
];

async function idle(page) {
  // no loading mask left on the page
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')]
    .some((e) => e.offsetParent !== null && getComputedStyle(e).opacity !== '0'));
}

async function go(h, page, hash, ready) {
  await page.goto(h.url + '/admin/#' + hash);
  await page.waitForSelector(ready, { state: 'attached' });
  await idle(page);
}

async function signIn(h, page) {
  await page.goto(h.url + '/admin/');
  await page.waitForSelector('.adm-login-card');
  await page.fill('input[name=username]', ADMIN_USER);
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('.adm-login-btn');
  await page.waitForSelector('.adm-layout');
}

// The visible option of an open Element Plus select.
async function pick(page, text) {
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

async function confirmBox(page) {
  await page.locator('.el-message-box .el-button--primary').click();
}

async function successMessage(page) {
  await page.locator('.el-message--success').last().waitFor();
}

async function main(h) {
  const admin = await h.adminToken();
  const api = (m, p, b) => h.api(m, p, b, admin);
  const page = await h.page('admin-desktop', DESKTOP);

  // --- sign-in through the page; the session is kept across a reload
  await page.goto(h.url + '/admin/');
  await page.waitForSelector('.adm-login-card');
  h.check((await page.evaluate(() => location.hash)).startsWith('#/login'), 'no session: sign-in page');
  await h.shot(page, 'admin-login');
  await page.fill('input[name=username]', ADMIN_USER);
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('.adm-login-btn');
  await page.waitForSelector('.adm-stat');
  h.check((await page.evaluate(() => location.hash)) === '#/dashboard', 'signed in: the dashboard');
  await page.reload();
  await page.waitForSelector('.adm-stat');
  h.check(await page.evaluate(() => !!localStorage.getItem('jifen.admin.token')), 'session kept');

  // --- products: script text in a name is shown as text, never run; a new entry-zone
  // product, then renamed (PATCH)
  await go(h, page, '/products', '.adm-products-table .el-table__row');
  await page.locator('.adm-products-table .el-table__row',
                     { hasText: '<img src=x onerror="window.__xss=1">' }).waitFor();
  h.check(await page.evaluate(() => window.__xss === undefined), 'a product name ran as script');
  await page.click('.adm-new-product');
  const dlg = page.locator('.adm-product-dialog');
  await dlg.locator('input[name=id]').fill('vip-pack');
  await dlg.locator('input[name=name]').fill('报单礼包');
  await dlg.locator('.adm-zone-select').click();
  await pick(page, '报单区');
  await dlg.locator('input[name=price]').fill('3000.00');
  await dlg.locator('input[name=stock]').fill('100');
  await dlg.locator('.adm-submit').click();
  await successMessage(page);
  let prods = await api('GET', '/admin/products?zone=entry');
  let vip = prods.body.items.find((p) => p.id === 'vip-pack');
  h.check(vip && vip.price === 300000 && vip.zone === 'entry' && vip.stock === 100 && vip.active,
          'entry product created through the page: ' + JSON.stringify(vip));
  await page.locator('.adm-products-table .el-table__row', { hasText: 'vip-pack' })
    .locator('.adm-edit').click();
  await dlg.locator('input[name=name]').fill('报单礼包 A');
  await dlg.locator('.adm-submit').click();
  await until(async () => (await api('GET', '/admin/products?zone=entry')).body.items
    .some((p) => p.id === 'vip-pack' && p.name === '报单礼包 A'), 'the product renamed');
  await page.locator('.adm-products-table .el-table__row', { hasText: '报单礼包 A' }).waitFor();

  // --- orders: C orders the new product, paying offline; confirm the payment, then complete
  const c = await h.api('POST', '/auth/login', { phone: '13800000003', password: MEMBER_PASSWORD });
  const placed = await h.api('POST', '/orders', { items: [{ product: 'vip-pack', qty: 1 }],
                                                  offline: true }, c.body.token);
  h.check(placed.status === 201 && placed.body.status === 'pending',
          'an offline order is pending: ' + JSON.stringify(placed));
  const oid = placed.body.id;
  const orderStatus = async () => (await api('GET', '/admin/orders?limit=200')).body.items
    .find((o) => o.id === oid)?.status;
  await go(h, page, '/orders', `.adm-row-actions[data-order="${oid}"]`);
  await page.click(`.adm-row-actions[data-order="${oid}"] .adm-confirm-payment`);
  await confirmBox(page);
  await until(async () => (await orderStatus()) === 'paid', 'the order paid');
  await successMessage(page);
  await page.locator('.adm-status-filter .el-radio-button', { hasText: '已付款' }).click();
  await page.click(`.adm-row-actions[data-order="${oid}"] .adm-complete`);
  await confirmBox(page);
  await until(async () => (await orderStatus()) === 'completed', 'the order completed');

  // --- withdrawals: approve B's
  await go(h, page, '/withdrawals', '.adm-row-actions[data-request="w1"]');
  await page.click('.adm-row-actions[data-request="w1"] .adm-approve');
  await confirmBox(page);
  await until(async () => (await api('GET', '/admin/withdrawals?status=approved')).body.items
    .some((w) => w.request === 'w1' && w.member === 'B'), 'w1 approved');

  // --- members: find B by phone, adjust its points with a reason, freeze its withdrawals
  await go(h, page, '/members', '.adm-members-table');
  await page.fill('input[name=q]', '13800000002');
  await page.keyboard.press('Enter');
  // the unfiltered list shows the phone too: wait for the answer of the search itself
  h.check(await until(async () => await page.locator('.adm-members-table .el-table__row').count() === 1 &&
                      await page.locator('.adm-members-table .el-table__row', { hasText: '13800000002' }).count() === 1,
                      'the search result').catch(() => false), 'search by phone');
  await page.locator('.adm-members-table a.adm-link', { hasText: 'B' }).click();
  await page.waitForSelector('.adm-member-id');
  await idle(page);
  const before = (await api('GET', '/admin/members/B')).body;
  await page.click('.adm-adjust-btn');
  const adj = page.locator('.adm-adjust-dialog');
  await adj.locator('input[name=amount]').fill('12.345');
  await adj.locator('input[name=reason]').fill('客服补偿');
  await adj.locator('.adm-submit').click();
  await adj.locator('.el-form-item__error').first().waitFor();
  h.check((await adj.locator('.el-form-item__error').first().textContent()).includes('两位小数'),
          'an amount with three decimals is refused at its field');
  await adj.locator('input[name=amount]').fill('12.34');
  await adj.locator('.adm-submit').click();
  await until(async () => (await api('GET', '/admin/members/B')).body.balances.points ===
                          before.balances.points + 1234, 'points adjusted');
  const audit1 = (await api('GET', '/admin/audit?limit=50')).body.items;
  h.check(audit1.some((a) => a.action === 'adjust' && a.target === 'B/points' &&
                             a.after.includes('客服补偿')), 'the adjustment and its reason audited');
  await page.click('.adm-freeze-btn');
  await page.locator('.adm-freeze-dialog .el-checkbox', { hasText: '冻结提现' }).click();
  await page.locator('.adm-freeze-dialog .adm-submit').click();
  await until(async () => (await api('GET', '/admin/members/B')).body.frozen.withdrawals,
              'B frozen for withdrawals');
  await page.locator('.adm-frozen-state', { hasText: '提现已冻结' }).waitFor();
  // the team, generation by generation
  await page.click('#tab-team');
  await page.locator('.adm-team-table .el-table__row', { hasText: 'C' }).waitFor();
  h.check(await page.locator('.adm-gen-table .el-table__row').count() >= 1, 'team generations');
  await idle(page);
  await h.shot(page, 'admin-member-team');

  // --- rules: a change saved, then the API's validation errors at their fields
  const rules0 = (await api('GET', '/admin/rules')).body;
  await go(h, page, '/rules', '.adm-rules-tabs [data-path]');
  await page.click('#tab-points');
  await page.fill('input[name="points.default_rate"]', '5%');
  await page.click('.adm-rules-save');
  await until(async () => (await api('GET', '/admin/rules')).body.version === rules0.version + 1,
              'a new rules version');
  const rules1 = (await api('GET', '/admin/rules')).body;
  h.check(rules1.rules.points.default_rate === '5%', 'rules change saved: ' +
          rules1.rules.points.default_rate);
  await page.locator('.adm-rules-version', { hasText: 'v' + rules1.version }).waitFor();
  await page.click('#tab-release');
  await page.fill('input[name="release.daily_rate"]', '1.2.3');
  const rateItem = page.locator('.el-form-item.is-error[data-path="release.daily_rate"]');
  await h.expecting(page, [400], async () => {
    await page.click('.adm-rules-save');
    await rateItem.waitFor();
  });
  h.check((await rateItem.locator('.el-form-item__error').textContent()).includes('1.2.3'),
          'the validation error at release.daily_rate');
  await page.fill('input[name="release.daily_rate"]', '1.2%');
  await page.locator('[data-path="release.tiers[1].multiplier"] input').fill('3,5');
  const cell = page.locator('.el-form-item.is-error[data-path="release.tiers[1].multiplier"]');
  await h.expecting(page, [400], async () => {
    await page.click('.adm-rules-save');
    await cell.waitFor();
  });
  h.check(await page.locator('.el-form-item.is-error[data-path="release.daily_rate"]').count() === 0,
          'the fixed field has no error left');
  h.check((await api('GET', '/admin/rules')).body.version === rules1.version,
          'a refused rules change makes no version');
  await page.evaluate(() => window.scrollTo(0, 0));
  await h.shot(page, 'admin-rules-error');

  // --- rules check: the warnings of the rules in force beside the save button; a draft's check;
  // compliance.max_generations refusing the default team differential at its field
  await page.reload();
  await page.waitForSelector('.adm-rules-tabs [data-path]');
  await idle(page);
  const footer = page.locator('.adm-rules-footer');
  const deep = footer.locator('.adm-rules-warning[data-code="beyond_two_generations"]');
  await deep.waitFor();
  h.check(await footer.locator('.adm-rules-warning[data-code="recruiting"]').count() === 1,
          'the recruiting warning beside the save button');
  h.check((await deep.textContent()).includes('《禁止传销条例》'), 'the warning names the law');
  h.check(await footer.locator('.adm-rules-save').count() === 1, 'the save button in the footer');
  const saveBox = await footer.locator('.adm-rules-save').boundingBox();
  const warnBox = await deep.boundingBox();
  h.check(saveBox && warnBox && saveBox.y < warnBox.y + warnBox.height + 200 &&
          warnBox.y < saveBox.y + saveBox.height + 200,
          'the warnings beside the save button: ' + JSON.stringify([warnBox, saveBox]));
  await deep.scrollIntoViewIfNeeded();
  await h.shot(page, 'admin-rules-check');
  // a draft without the recruiting bonuses: checked, not saved
  await page.click('#tab-contribution');
  await page.fill('input[name="contribution.friend_first_reach"]', '0');
  await page.fill('input[name="contribution.friend_first_purchase"]', '0');
  await page.click('.adm-rules-check-draft');
  await footer.locator('.adm-rules-check[data-draft="yes"]').waitFor();
  h.check(await footer.locator('.adm-rules-warning[data-code="recruiting"]').count() === 0 &&
          await footer.locator('.adm-rules-warning[data-code="beyond_two_generations"]').count() === 1,
          'the draft\'s check: no recruiting warning');
  h.check((await api('GET', '/admin/rules')).body.version === rules1.version,
          'a checked draft makes no version');
  // a generation limit of 2 refuses the unlimited team differential, at its field
  await page.click('#tab-compliance');
  await page.fill('input[name="compliance.max_generations"]', '2');
  const limitItem = page.locator('.el-form-item.is-error[data-path="compliance.max_generations"]');
  await h.expecting(page, [422], async () => {
    await page.click('.adm-rules-save');
    await limitItem.waitFor();
  });
  h.check((await limitItem.locator('.el-form-item__error').textContent()).includes('release.ranks'),
          'the limit names the team differential');
  h.check((await api('GET', '/admin/rules')).body.version === rules1.version,
          'rules deeper than the limit make no version');
  await page.click('.adm-form-actions .el-button >> nth=0'); // discard the changes
  await footer.locator('.adm-rules-check[data-draft="no"]').waitFor();

  // --- agents, income, token price
  await go(h, page, '/agents', '.adm-agent-form');
  await page.fill('.adm-agent-form input[name=member]', 'A');
  await page.keyboard.press('Escape');
  await page.fill('.adm-agent-form input[name=region]', '110105');
  await page.click('.adm-agent-form .adm-submit');
  await page.locator('.adm-agents-table .el-table__row', { hasText: '110105' }).waitFor();
  await go(h, page, '/finance', '.adm-token-price');
  await page.fill('.adm-income-form input[name=amount]', '1000.00');
  await page.click('.adm-income-form .adm-submit');
  await page.fill('.adm-price-form input[name=price]', '1.5');
  await page.click('.adm-price-form .adm-submit');
  await until(async () => (await h.api('GET', '/token-price')).body.price === '1.5', 'token price');
  await page.locator('.adm-token-price', { hasText: '1.5' }).waitFor();
  const audit2 = (await api('GET', '/admin/audit?limit=50')).body.items;
  h.check(audit2.some((a) => a.action === 'agent' && a.target === 'county:110105' && a.after === 'A'),
          'agent appointed through the page');
  h.check(audit2.some((a) => a.action === 'income' && a.after === '100000'), 'income entered');

  // --- settlement through yesterday, and its report
  const yesterday = shanghaiDay(-1);
  await go(h, page, '/settlements', '.adm-settle-form');
  await page.click('.adm-settle-btn');
  await confirmBox(page);
  const report = page.locator(`.adm-report[data-day="${yesterday}"]`);
  await report.waitFor();
  const settled = (await api('GET', '/admin/settlements?limit=5')).body.items;
  h.check(settled[0] && settled[0].day === yesterday, 'settled through yesterday: ' +
          (settled[0] && settled[0].day));
  const text = await report.textContent();
  h.check(text.includes(yesterday) && text.includes('积分释放') && settled[0].steps.release.static > 0,
          'the report of the day shown');
  const liab = (await api('GET', '/admin/reports/liabilities')).body;
  h.check(liab.day_settled === yesterday, 'liabilities settled through yesterday');

  // --- the audit log shows the actions
  await go(h, page, '/audit', '.adm-audit-table .el-table__row');
  for (const a of ['product_put', 'product_patch', 'confirm_payment', 'withdrawal_approve',
                   'adjust', 'freeze', 'rules_update', 'agent', 'income', 'token_price']) {
    h.check(await page.locator(`.adm-audit-action[data-action="${a}"]`).count() > 0,
            'audit log shows ' + a);
  }

  // --- a session that ended: back to the sign-in page, then where the admin was
  await page.evaluate(() => localStorage.setItem('jifen.admin.token', 'x'.repeat(43)));
  await h.expecting(page, [401], async () => {
    await page.goto(h.url + '/admin/#/members');
    await page.waitForSelector('.adm-login-card');
  });
  h.check((await page.evaluate(() => location.hash)).startsWith('#/login?next=%2Fmembers'),
          '401: the sign-in page, then back');
  await page.fill('input[name=username]', ADMIN_USER);
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('.adm-login-btn');
  await page.waitForSelector('.adm-members-table');
  h.check((await page.evaluate(() => location.hash)) === '#/members', 'back at the page after sign-in');

  // --- every page at 1440×900, then at 375×812 (then in English)
  for (const [name, hash, ready] of PAGES) {
    await go(h, page, hash, ready);
    await h.shot(page, 'admin-' + name);
  }
  await page.click('.adm-logout');
  await page.waitForSelector('.adm-login-card');
  h.check(!(await page.evaluate(() => localStorage.getItem('jifen.admin.token'))), 'signed out');

  const phone = await h.page('admin-phone', PHONE);
  await phone.goto(h.url + '/admin/');
  await phone.waitForSelector('.adm-login-card');
  await h.shot(phone, 'admin-login');
  await signIn(h, phone);
  for (const [name, hash, ready] of PAGES) {
    await go(h, phone, hash, ready);
    await h.shot(phone, 'admin-' + name);
  }
  // the menu in its drawer, on a phone
  await phone.click('.adm-burger');
  await phone.locator('.adm-drawer .el-menu-item[data-path="/orders"]').click();
  await phone.waitForSelector('.adm-orders-table');
  h.check((await phone.evaluate(() => location.hash)) === '#/orders', 'phone menu navigates');
  // English, kept across a reload
  await phone.click('.adm-lang');
  await phone.locator('.el-dropdown-menu__item:visible', { hasText: 'English' }).click();
  await phone.locator('.adm-title', { hasText: 'Orders' }).waitFor();
  await phone.reload();
  await phone.locator('.adm-title', { hasText: 'Orders' }).waitFor();
  h.check(await phone.evaluate(() => document.documentElement.lang) === 'en', 'English kept');
  await go(h, phone, '/dashboard', '.adm-chart canvas');
  // a chart follows the width of its box
  const width = () => phone.evaluate(() => [window.innerWidth,
                                            document.querySelector('.adm-chart canvas').width]);
  const [, narrow] = await width();
  await phone.setViewportSize({ width: 1024, height: 812 });
  await until(async () => (await width())[1] > 375, 'the charts resized');
  await phone.setViewportSize(PHONE);
  await until(async () => (await width())[1] === narrow, 'the charts back to the phone width');
  h.check(narrow <= 375, 'charts fit the phone: ' + narrow);
  await h.shot(phone, 'admin-dashboard-en');
}

runTest(main, { replay: SETUP });
