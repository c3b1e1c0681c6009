// clock_env.mjs — the environment that runs a server with its clock shifted (the browser tests
// and the OpenAPI check use it).
import fs from 'node:fs';

// The environment that runs the server `days` days away from today (negative: in the past):
// Debian's libfaketime shifts its clock (the server's business day follows its clock). 0: none.
export function clockEnv(days) {
  if (!days) {
    return {};
  }
  const lib = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
               '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1'].find((p) => fs.existsSync(p));
  if (!lib) {
    throw new Error('libfaketime not found (scripts/deps.sh installs the Debian package faketime)');
  }
  return {
    LD_PRELOAD: lib,
    FAKETIME: (days > 0 ? '+' : '') + days + 'd',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    // a sanitizer build wants its runtime first; the preloaded clock comes before it
    ASAN_OPTIONS: [process.env.ASAN_OPTIONS, 'verify_asan_link_order=0'].filter(Boolean).join(':'),
  };
}
