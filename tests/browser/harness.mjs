// harness.mjs — what every browser test shares: a jifen server started for real on a free
// loopback port (a fresh SQLite store in a temporary directory, an admin created with the CLI),
// Debian's Chromium driven by playwright-core (no browser download), pages that fail the test
// on any console error or uncaught exception, and screenshots under build/screenshots/ for
// review.
//
//   const h = await startHarness({ jifen: process.argv[2] });
//   const page = await h.page('member-home', { width: 375, height: 812 });
//   ...; await h.shot(page, 'member-home');
//   h.check(cond, 'what'); ...; await h.finish();   // exits 1 when a check or a page failed
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { clockEnv } from '../http/clock_env.mjs';

export { clockEnv };

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1440, height: 900 };
export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'admin-password-1';

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && fs.existsSync(p)) {
      return p;
    }
  }
  throw new Error('Chromium not found (scripts/deps.sh installs the Debian package chromium)');
}

// Polls fn until it returns something true (returned), or fails after `ms` naming `what`.
export async function until(fn, what, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) {
      return v;
    }
    if (Date.now() > end) {
      throw new Error('timed out waiting for ' + what);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitHealthy(url, proc, log) {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) {
      throw new Error('jifen serve exited ' + proc.exitCode + ':\n' + log());
    }
    try {
      const r = await fetch(url + '/healthz');
      if (r.ok) {
        return;
      }
    } catch (e) {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('jifen serve did not answer /healthz:\n' + log());
}

// Starts the server and the browser. opts: jifen (the binary), args (more serve arguments),
// replay (scenario lines applied to the store before the server starts), clockDays (the
// server's clock that many days away from today; h.restart changes it).

export async function startHarness({ jifen, args = [], replay = null, clockDays = 0 } = {}) {
  if (!jifen) {
    throw new Error('usage: node TEST.mjs path/to/jifen');
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jifen-browser-'));
  const db = path.join(tmp, 'console.db');
  if (replay) {
    const scen = path.join(tmp, 'setup.jsonl');
    fs.writeFileSync(scen, replay.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)))
      .join('\n') + '\n');
    execFileSync(jifen, ['replay', '--db', db, scen], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  execFileSync(jifen, ['admin', 'create', ADMIN_USER, '--db', db],
               { input: ADMIN_PASSWORD + '\n', stdio: ['pipe', 'ignore', 'inherit'] });
  const port = await freePort();
  let out = '';
  const url = 'http://127.0.0.1:' + port;
  // the server on `port`; `env` adds to its environment (a shifted clock: see h.restart)
  const serve = async (env) => {
    const p = spawn(jifen, ['serve', '--db', db, '--bind', '127.0.0.1', '--port', String(port),
                            '--settle-at', 'off', ...args],
                    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    await waitHealthy(url, p, () => out);
    return p;
  };
  const stop = async (p) => {
    if (p.exitCode === null) {
      p.kill('SIGTERM');
      await new Promise((r) => (p.exitCode !== null ? r() : p.on('exit', r)));
    }
  };
  let proc = await serve(clockEnv(clockDays));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const shots = path.join(ROOT, 'build', 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const h = {
    url, db, tmp, jifen, browser, failures: [], checks: 0, shots,
    check(cond, what) {
      h.checks++;
      if (!cond) {
        h.failures.push(what);
        console.log('FAIL: ' + what);
      }
    },
    // A new page (its own browser context: its own localStorage) of the given size; console
    // errors and uncaught exceptions on it are failures, named by `name`. Chromium logs every
    // 4xx answer of fetch() as a console error ("Failed to load resource: ... status of 422"):
    // inside h.expecting(page, [statuses], fn) answers of /api/v1/ with those statuses are not
    // failures (a failed script or style still is). The page counts its API requests in flight
    // for h.quiet.
    async page(name, viewport = DESKTOP) {
      const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
      const page = await ctx.newPage();
      page.expectedStatuses = [];
      page.on('console', (m) => {
        if (m.type() !== 'error') {
          return;
        }
        const st = /status of (\d{3})/.exec(m.text());
        const url = (m.location() && m.location().url) || '';
        if (st && url.includes('/api/v1/') && page.expectedStatuses.includes(Number(st[1]))) {
          return;
        }
        h.check(false, name + ': console error: ' + m.text() + (url ? ' (' + url + ')' : ''));
      });
      page.on('pageerror', (e) => h.check(false, name + ': uncaught: ' + e.message));
      page.inflight = 0;
      const isApi = (r) => r.url().includes('/api/v1/');
      page.on('request', (r) => { page.inflight += isApi(r) ? 1 : 0; });
      page.on('requestfinished', (r) => { page.inflight -= isApi(r) ? 1 : 0; });
      page.on('requestfailed', (r) => { page.inflight -= isApi(r) ? 1 : 0; });
      page.setDefaultTimeout(15000);
      return page;
    },
    // Runs fn while API answers with `statuses` are expected on `page` (see h.page).
    async expecting(page, statuses, fn) {
      page.expectedStatuses = statuses;
      try {
        return await fn();
      } finally {
        await page.waitForTimeout(100); // the console event of the last answer
        page.expectedStatuses = [];
      }
    },
    // Waits until the page has had no API request in flight for a moment (a hash change is no
    // navigation: the load states do not follow it).
    async quiet(page) {
      for (let calm = 0, i = 0; calm < 3 && i < 100; i++) {
        await page.waitForTimeout(40);
        calm = page.inflight > 0 ? 0 : calm + 1;
      }
    },
    // A screenshot of the whole page, build/screenshots/NAME-WxH.png.
    async shot(page, name) {
      const v = page.viewportSize();
      await page.screenshot({ path: path.join(shots, `${name}-${v.width}x${v.height}.png`),
                              fullPage: true });
    },
    // `jifen ARGS... --db DB` (the server keeps running: use commands that read).
    run(...cmd) {
      return execFileSync(jifen, [...cmd, '--db', db], { encoding: 'utf8' });
    },
    // A JSON API call from the test itself (setup and checks), with an optional token.
    async api(method, p, body, token) {
      const headers = { 'Content-Type': 'application/json' };
      if (token) {
        headers.Authorization = 'Bearer ' + token;
      }
      if (method !== 'GET') {
        headers['Idempotency-Key'] = 'test-' + Math.random().toString(16).slice(2);
      }
      const r = await fetch(url + '/api/v1' + p, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    },
    async adminToken() {
      const r = await h.api('POST', '/admin/auth/login',
                            { username: ADMIN_USER, password: ADMIN_PASSWORD });
      return r.body.token;
    },
    // Stops the server and starts it again on the same store and port (pages keep their
    // origin, so their sessions), `clockDays` days away from today (0: today).
    async restart(clockDays = 0) {
      await stop(proc);
      proc = await serve(clockEnv(clockDays));
    },
    // What the server printed so far.
    log() {
      return out;
    },
    async finish() {
      await browser.close().catch(() => {});
      await stop(proc);
      fs.rmSync(tmp, { recursive: true, force: true });
      console.log(`${h.checks} checks, ${h.failures.length} failed; screenshots in ${shots}`);
      process.exit(h.failures.length ? 1 : 0);
    },
  };
  return h;
}

// Runs `main(h)` with a harness and always stops the server and the browser; an exception
// fails the test with its stack.
export async function runTest(main, opts = {}) {
  const h = await startHarness({ jifen: process.argv[2], ...opts });
  try {
    await main(h);
  } catch (e) {
    h.check(false, 'exception: ' + (e.stack || e));
  }
  await h.finish();
}
