// api.js — the console's client of the HTTP API (/api/v1): JSON in and out, the session token
// kept in this browser's localStorage (one for the member pages, one for the admin console),
// an Idempotency-Key on every state-changing request (a retry of the same action is applied
// once), and errors as ApiError with the API's code, message and field.

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

function randomKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// A client for one kind of session: 'member' or 'admin'.
export function makeClient(kind) {
  const storeKey = 'jifen.' + kind + '.token';
  const listeners = [];
  const client = {
    token() {
      return localStorage.getItem(storeKey);
    },
    setToken(t) {
      if (t) {
        localStorage.setItem(storeKey, t);
      } else {
        localStorage.removeItem(storeKey);
      }
    },
    // Called with the ApiError when the server answers 401 (the session ended).
    onUnauthorized(fn) {
      listeners.push(fn);
    },
    // method, path (under /api/v1, with its query), body (an object) -> the parsed answer.
    // `key`: the Idempotency-Key to send (a fresh one per call by default for POST/PUT/PATCH).
    async call(method, path, body, { key } = {}) {
      const headers = { Accept: 'application/json' };
      const t = client.token();
      if (t) {
        headers.Authorization = 'Bearer ' + t;
      }
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      if (method !== 'GET') {
        headers['Idempotency-Key'] = key || randomKey();
      }
      let res;
      try {
        res = await fetch(BASE + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (e) {
        throw new ApiError(0, 'network', String(e.message || e), null);
      }
      const text = await res.text();
      let doc = null;
      try {
        doc = text ? JSON.parse(text) : null;
      } catch (e) {
        doc = null;
      }
      if (!res.ok) {
        const e = (doc && doc.error) || {};
        const err = new ApiError(res.status, e.code || 'http_' + res.status,
                                 e.message || res.statusText, e.field);
        if (res.status === 401 && t) {
          // a session that ended; a wrong password or code on a sign-in form is not one
          listeners.forEach((fn) => fn(err));
        }
        throw err;
      }
      return doc;
    },
    get(path) {
      return client.call('GET', path);
    },
    post(path, body, opts) {
      return client.call('POST', path, body === undefined ? {} : body, opts);
    },
    put(path, body, opts) {
      return client.call('PUT', path, body, opts);
    },
    patch(path, body, opts) {
      return client.call('PATCH', path, body, opts);
    },
    // Every item of a list, following next_cursor (at most `max` items).
    async all(path, max = 1000) {
      const items = [];
      let cursor = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const page = await client.get(path + sep + 'limit=200' + (cursor ? '&cursor=' + cursor : ''));
        items.push(...(page.items || []));
        cursor = page.next_cursor;
      } while (cursor && items.length < max);
      return items;
    },
  };
  return client;
}
