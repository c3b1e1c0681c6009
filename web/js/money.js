// money.js — amounts as the API sends them (integers in minor units: fen, 1/100 point) shown
// with two decimals, and what a person types turned back into minor units. Strings and BigInt
// only: no floating point touches an amount, shown or sent.

const MAX_MINOR = 9223372036854775807n; // int64, as the server stores amounts

// "12.34" for 1234, "-0.05" for -5; accepts a number (an integer from JSON), a BigInt or a
// string of digits. Thousands separated by commas when `group` is true.
export function formatMinor(v, group = false) {
  if (v === null || v === undefined || v === '') {
    return '';
  }
  let n = typeof v === 'bigint' ? v : BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));
  const neg = n < 0n;
  if (neg) {
    n = -n;
  }
  let whole = (n / 100n).toString();
  const cents = (n % 100n).toString().padStart(2, '0');
  if (group) {
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  return (neg ? '-' : '') + whole + '.' + cents;
}

// A rate in parts per million as a percentage with up to 4 decimals: 100000 -> "10%".
export function formatPpm(ppm) {
  let n = BigInt(ppm);
  const neg = n < 0n;
  if (neg) {
    n = -n;
  }
  const whole = (n / 10000n).toString();
  const frac = (n % 10000n).toString().padStart(4, '0').replace(/0+$/, '');
  return (neg ? '-' : '') + whole + (frac ? '.' + frac : '') + '%';
}

// A price in millionths of a yuan (the growth and token prices): 1234500 -> "1.2345".
export function formatMicros(v) {
  let n = BigInt(v);
  const neg = n < 0n;
  if (neg) {
    n = -n;
  }
  const whole = (n / 1000000n).toString();
  const frac = (n % 1000000n).toString().padStart(6, '0').replace(/0+$/, '');
  return (neg ? '-' : '') + whole + '.' + (frac.length >= 2 ? frac : frac.padEnd(2, '0'));
}

// Minor units of a decimal typed by a person: "12", "12.3", "12.34" (and "1,234.50") -> 1234
// ... as a Number when it is a safe integer (what JSON.stringify sends), else a string error.
// Returns {value} or {error} (a message key of i18n.js); never rounds: a third decimal is an
// error, not a cent lost.
export function parseAmount(text, { allowZero = false, allowNegative = false } = {}) {
  const s = String(text ?? '').trim().replace(/,/g, '');
  const m = /^(-)?(\d{1,17})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) {
    return { error: /^-?\d*\.\d{3,}$/.test(s) ? 'amount.too_precise' : 'amount.invalid' };
  }
  if (m[1] && !allowNegative) {
    return { error: 'amount.negative' };
  }
  let n = BigInt(m[2]) * 100n + BigInt((m[3] || '').padEnd(2, '0') || '0');
  if (m[1]) {
    n = -n;
  }
  if (n === 0n && !allowZero) {
    return { error: 'amount.zero' };
  }
  if (n > MAX_MINOR || n > BigInt(Number.MAX_SAFE_INTEGER) || -n > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { error: 'amount.too_large' };
  }
  return { value: Number(n) };
}
