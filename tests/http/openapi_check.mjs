#!/usr/bin/env node
// Every operation of the OpenAPI document (docs/api/openapi.json) is called on a real server,
// and every answer is checked against the document: its status must be one the operation
// documents, its Content-Type one of that response's media types, and its body must validate
// against that response's schema (JSON Schema draft 2020-12, compiled with Ajv; $ref into
// components resolved). The operations are taken from the document itself, so a path added to
// it is covered at once: an operation without a request recipe below fails the test. Each
// recipe sends realistic requests (right auth, valid bodies) and triggers the error statuses
// the operation documents; generic checks add 401 without a token (or with the wrong kind),
// 403 for a member on an admin route, 400 for a body that is not JSON, for an over-long
// Idempotency-Key, for ?limit=500 and for a body where the operation takes none, 413 for a body
// over 64 KiB. A body the server accepted (2xx) must also validate against
// the operation's request schema, and its query parameters against theirs. Each state-changing
// admin and integration operation is sent twice with one Idempotency-Key (the second answers
// the first result, replayed) and then with the key and another request (409 naming the key).
// Last, the server runs a day back, on a settled day, and each state-changing operation must
// answer 409. At the end every
// documented status of every operation must have been seen, and every route of the server's
// route tables (src/http/*.c) must be documented.
//
// The store is prepared with `jifen replay` (members, products, orders, balances), then
// `jifen admin create` and `jifen admin apikey`; `jifen serve` runs on a free loopback port.
// STORE is an empty store to use, a SQLite path or a PostgreSQL URL (openapi_check.sh has
// tests/http/harness.py give one); without it, a SQLite file in a temporary directory.
//
// usage: node openapi_check.mjs JIFEN [STORE]
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { clockEnv } from "./clock_env.mjs";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DOC_PATH = path.join(ROOT, "docs/api/openapi.json");
const DOC_ID = "https://jifen.invalid/openapi.json";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const PAY_SECRET = "openapi-pay-secret";
const PASSWORD = "jifen-test-password"; // what `jifen replay` gives the members it registers
const ADMIN_PASSWORD = "admin-secret-1";

const failures = [];
function fail(msg) {
    failures.push(msg);
}

// ---- the document and its schemas -------------------------------------------------------------

const doc = JSON.parse(fs.readFileSync(DOC_PATH, "utf8"));

function pointer(obj, ref) {
    if (!ref.startsWith("#/")) {
        throw new Error(`only local references are supported: ${ref}`);
    }
    let v = obj;
    for (const raw of ref.slice(2).split("/")) {
        const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        if (v === undefined || v === null || !(key in v)) {
            throw new Error(`unresolved reference ${ref}`);
        }
        v = v[key];
    }
    return v;
}

// An OpenAPI object that may be a Reference Object (responses, parameters, request bodies).
function deref(o) {
    for (let i = 0; o && typeof o.$ref === "string" && i < 16; i++) {
        o = pointer(doc, o.$ref);
    }
    return o;
}

// A schema of the document with its "#/components/schemas/X" references pointed at the
// registered components schema.
function rebase(schema) {
    if (Array.isArray(schema)) {
        return schema.map(rebase);
    }
    if (schema === null || typeof schema !== "object") {
        return schema;
    }
    const out = {};
    for (const [k, v] of Object.entries(schema)) {
        if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")) {
            out[k] = DOC_ID + "#/$defs/" + v.slice("#/components/schemas/".length);
        } else if (k === "$ref" && typeof v === "string" && v.startsWith("#")) {
            throw new Error(`a schema reference outside components/schemas: ${v}`);
        } else {
            out[k] = rebase(v);
        }
    }
    return out;
}

const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addFormat("int64", { type: "number", validate: (x) => Number.isInteger(x) });
ajv.addFormat("int32", {
    type: "number",
    validate: (x) => Number.isInteger(x) && x >= -2147483648 && x <= 2147483647,
});
ajv.addVocabulary(["example", "discriminator", "xml", "externalDocs"]);
ajv.addSchema({ $id: DOC_ID, $defs: rebase(doc.components?.schemas ?? {}) });

const compiled = new Map();
function validator(schema, where) {
    if (!compiled.has(schema)) {
        try {
            compiled.set(schema, ajv.compile(rebase(schema)));
        } catch (e) {
            fail(`${where}: the schema does not compile: ${e.message}`);
            compiled.set(schema, null);
        }
    }
    return compiled.get(schema);
}

function errorsText(v) {
    return ajv.errorsText(v.errors, { dataVar: "body", separator: "; " });
}

// The operations of the document, each with a regular expression for its path.
const operations = [];
for (const [p, item] of Object.entries(doc.paths)) {
    const names = [];
    const re = new RegExp(
        "^" +
            p.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, n) => {
                names.push(n);
                return "([^/]+)";
            }) +
            "$",
    );
    const literal = p.replace(/\{[^}]+\}/g, "").length;
    for (const m of METHODS) {
        if (item[m]) {
            const params = [...(item.parameters ?? []), ...(item[m].parameters ?? [])].map(deref);
            // recipes are found by the path with every parameter named {id}
            const rkey = `${m.toUpperCase()} ${p.replace(/\{[^}]+\}/g, "{id}")}`;
            operations.push({
                key: `${m.toUpperCase()} ${p}`,
                rkey,
                method: m.toUpperCase(),
                path: p,
                re,
                literal,
                op: item[m],
                params,
                seen: new Set(),
            });
        }
    }
}

function findOperation(method, urlPath) {
    let best = null;
    for (const o of operations) {
        if (o.method === method && o.re.test(urlPath) && (!best || o.literal > best.literal)) {
            best = o;
        }
    }
    return best;
}

// The documented response for a status: the exact code, then its range ("4XX"), then default.
function documentedResponse(op, status) {
    const r = op.responses ?? {};
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in r);
    return key === undefined ? null : { key, response: deref(r[key]) };
}

// ---- HTTP ------------------------------------------------------------------------------------

let PORT = 0;

function send(method, target, headers, body) {
    return new Promise((resolve, reject) => {
        const req = http.request(
            { host: "127.0.0.1", port: PORT, method, path: target, headers, agent: false },
            (res) => {
                const chunks = [];
                res.on("data", (c) => chunks.push(c));
                res.on("end", () =>
                    resolve({
                        status: res.statusCode,
                        type: res.headers["content-type"] ?? "",
                        text: Buffer.concat(chunks).toString("utf8"),
                    }),
                );
            },
        );
        req.setTimeout(15000, () => req.destroy(new Error(`${method} ${target}: timed out`)));
        req.on("error", reject);
        if (body !== undefined) {
            req.write(body);
        }
        req.end();
    });
}

function checkParams(o, query, headers, where) {
    for (const p of o.params) {
        let value;
        if (p.in === "query") {
            value = query?.[p.name];
        } else if (p.in === "header") {
            const k = Object.keys(headers).find((h) => h.toLowerCase() === p.name.toLowerCase());
            value = k === undefined ? undefined : headers[k];
        } else {
            continue;
        }
        if (value === undefined) {
            if (p.required) {
                fail(`${where}: answered 2xx without the required ${p.in} parameter ${p.name}`);
            }
            continue;
        }
        const t = p.schema?.type;
        const typed = t === "integer" || t === "number" ? Number(value) : value;
        const v = p.schema ? validator(p.schema, `${o.key} parameter ${p.name}`) : null;
        if (v && !v(typed)) {
            fail(
                `${where}: accepted the ${p.in} parameter ${p.name}=${value} that the document ` +
                    `does not allow: ${errorsText(v)}`,
            );
        }
    }
    for (const k of Object.keys(query ?? {})) {
        if (!o.params.some((p) => p.in === "query" && p.name === k)) {
            fail(`${where}: the query parameter ${k} is not documented`);
        }
    }
}

// One request, checked against the document. `opts`: auth (a bearer token), query, headers,
// json (a body to encode) or raw (the body as is), expect (a status or a list of them).
// Returns the parsed JSON body (or the text).
async function call(method, urlPath, opts = {}) {
    const headers = { ...(opts.headers ?? {}) };
    if (opts.auth) {
        headers.Authorization = "Bearer " + opts.auth;
    }
    let body;
    if ("json" in opts) {
        body = JSON.stringify(opts.json);
    } else if ("raw" in opts) {
        body = opts.raw;
    }
    if (body !== undefined) {
        headers["Content-Type"] = "application/json";
        headers["Content-Length"] = Buffer.byteLength(body);
    }
    const qs = opts.query ? "?" + new URLSearchParams(opts.query).toString() : "";
    const res = await send(method, urlPath + qs, headers, body);
    const where = `${method} ${urlPath}${qs} -> ${res.status}`;
    const o = findOperation(method, urlPath);
    let parsed = res.text;
    if (res.type.startsWith("application/json")) {
        try {
            parsed = JSON.parse(res.text);
        } catch (e) {
            fail(`${where}: the body is not JSON: ${res.text.slice(0, 200)}`);
        }
    }
    if (o === null) {
        fail(`${where}: no operation of the document matches`);
    } else {
        o.seen.add(res.status);
        const d = documentedResponse(o.op, res.status);
        if (d === null) {
            fail(
                `${where}: status ${res.status} is not documented for ${o.key}: ` +
                    res.text.slice(0, 300),
            );
        } else {
            const mt = res.type.split(";")[0].trim();
            const content = d.response?.content;
            if (content === undefined) {
                if (res.text !== "") {
                    fail(`${where}: a body where ${o.key} ${d.key} documents none`);
                }
            } else if (!(mt in content)) {
                fail(
                    `${where}: Content-Type ${res.type} is not documented for ${o.key} ${d.key} ` +
                        `(${Object.keys(content).join(", ")})`,
                );
            } else if (!content[mt].schema) {
                fail(`${where}: ${o.key} ${d.key} ${mt} has no schema`);
            } else {
                const v = validator(content[mt].schema, `${o.key} ${d.key}`);
                if (v && !v(parsed)) {
                    fail(
                        `${where}: the body does not validate against ${o.key} ${d.key}: ` +
                            `${errorsText(v)}; body: ${res.text.slice(0, 400)}`,
                    );
                }
            }
        }
        if (res.status >= 200 && res.status < 300) {
            checkParams(o, opts.query, headers, where);
            const rb = deref(o.op.requestBody);
            const schema = rb?.content?.["application/json"]?.schema;
            if (body !== undefined && schema) {
                const v = validator(schema, `${o.key} request body`);
                let sent;
                try {
                    sent = JSON.parse(body);
                } catch (e) {
                    sent = body;
                }
                if (v && !v(sent)) {
                    fail(
                        `${where}: the server accepted a body the document does not allow: ` +
                            `${errorsText(v)}; body: ${body.slice(0, 300)}`,
                    );
                }
            } else if (body === undefined && rb?.required) {
                fail(`${where}: answered 2xx without the body that the document requires`);
            }
        }
    }
    if (opts.expect !== undefined) {
        const want = [].concat(opts.expect);
        if (!want.includes(res.status)) {
            throw new Error(`${where}: expected ${want.join(" or ")}: ${res.text.slice(0, 300)}`);
        }
    }
    return parsed;
}

function check(cond, what) {
    if (!cond) {
        throw new Error(what);
    }
}

// ---- the fixture -----------------------------------------------------------------------------

// A business day (Asia/Shanghai, the rules' default zone) as YYYY-MM-DD, `days` from today.
function shanghaiDay(days = 0) {
    return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

function shanghaiNow(days = 0) {
    return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 19) + "+08:00";
}

const PHONES = { A: "13800000001", B: "13800000002", C: "13800000003", R: "13800000009" };

function fixtureScenario() {
    const lines = [
        {
            op: "product",
            id: "tea",
            name: "Tea",
            price: 29800,
            zone: "normal",
            points: 2980,
            at: shanghaiNow(-20),
        },
        { op: "product", id: "pack", name: "Starter pack", price: 300000, zone: "entry" },
        {
            op: "product",
            id: "fund",
            name: "Fund",
            price: 100000,
            zone: "normal",
            growth_ratio: "30%",
            ad_ratio: "110%",
        },
        { op: "product", id: "mug", name: "Mug", price: 0, zone: "mall", points_price: 5000 },
        { op: "register", member: "A", phone: PHONES.A },
        { op: "register", member: "B", phone: PHONES.B, referrer: "A" },
        { op: "register", member: "C", phone: PHONES.C, referrer: "B" },
        { op: "register", member: "R", phone: PHONES.R },
        // completed 20 days ago: past the refund window
        { op: "order", order: "fx-old", member: "C", items: [{ product: "tea", qty: 1 }] },
        { op: "complete", order: "fx-old" },
        // R's lot of 20 days ago: releases on every settled day since
        { op: "order", order: "fx-r", member: "R", items: [{ product: "pack", qty: 1 }] },
        { op: "complete", order: "fx-r" },
        {
            op: "adjust",
            member: "B",
            asset: "points",
            amount: 100000,
            reason: "fixture",
            at: shanghaiNow(),
        },
        { op: "adjust", member: "A", asset: "points", amount: 5000000, reason: "fixture" },
        { op: "adjust", member: "A", asset: "cash", amount: 5000000, reason: "fixture" },
        { op: "adjust", member: "A", asset: "redpacket", amount: 100000, reason: "fixture" },
        { op: "order", order: "fx-fund", member: "A", items: [{ product: "fund", qty: 1 }] },
        { op: "complete", order: "fx-fund" },
        {
            op: "order",
            order: "fx-pack",
            member: "B",
            items: [{ product: "pack", qty: 1 }],
            region: "110105",
        },
        { op: "complete", order: "fx-pack" },
    ];
    return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

// The rows of a query on the store, either kind (`?` placeholders), by tests/http/harness.py.
function storeQuery(db, sql, args) {
    const harness = path.join(ROOT, "tests", "http", "harness.py");
    return JSON.parse(
        execFileSync("python3", [harness, "query", db, sql, JSON.stringify(args)], {
            encoding: "utf8",
        }),
    );
}

// ---- recipes: one per operation ----------------------------------------------------------------

const API = "/api/v1";
let seq = 0;
const key = (p) => `${p}-${++seq}`;

function sign(body) {
    return crypto.createHmac("sha256", PAY_SECRET).update(body).digest("hex");
}

async function login(phone) {
    const r = await call("POST", API + "/auth/login", {
        json: { phone, password: PASSWORD },
        expect: 200,
    });
    return r.token;
}

async function memberOrder(ctx, who, items, extra = {}) {
    const id = key("ord");
    await call("POST", API + "/orders", {
        auth: ctx.tok[who],
        json: { order: id, items, ...extra },
        expect: 201,
    });
    return id;
}

async function withdrawal(ctx, who, amount) {
    const k = key("wd");
    await call("POST", API + "/me/withdrawals", {
        auth: ctx.tok[who],
        json: { amount },
        headers: { "Idempotency-Key": k },
        expect: 201,
    });
    const list = await call("GET", API + "/me/withdrawals", {
        auth: ctx.tok[who],
        query: { status: "pending" },
        expect: 200,
    });
    return list.items[0].request;
}

async function settleYesterday(ctx) {
    return call("POST", API + "/admin/settlements", {
        auth: ctx.admin,
        json: { day: shanghaiDay(-1) },
        expect: 200,
    });
}

const tea = [{ product: "tea", qty: 1 }];

// The same request twice with one new Idempotency-Key: the second answers the first result
// again (200 where the first was 201) with replayed: true; then the key with another request
// (`other`: another json body and/or another path) is a 409 naming Idempotency-Key. Returns the
// first answer.
async function replays(method, u, opts, other) {
    const headers = { ...(opts.headers ?? {}), "Idempotency-Key": key("idem") };
    const first = await call(method, u, { ...opts, headers });
    const again = await call(method, u, {
        ...opts,
        headers,
        expect: opts.expect === 201 ? 200 : opts.expect,
    });
    const strip = (o) => JSON.stringify({ ...o, replayed: undefined });
    check(
        again.replayed === true && strip(again) === strip(first),
        `${method} ${u} replayed: ${JSON.stringify(first)} then ${JSON.stringify(again)}`,
    );
    const c = await call(method, other.path ?? u, {
        ...opts,
        ...("json" in other ? { json: other.json } : {}),
        headers,
        expect: 409,
    });
    check(
        c.error.field === "Idempotency-Key",
        `${method} ${u} with the key and another request: ${JSON.stringify(c)}`,
    );
    return first;
}

const recipes = {
    "GET /healthz": async () => {
        const r = await call("GET", "/healthz", { expect: 200 });
        check(r.status === "ok", "healthz: " + JSON.stringify(r));
    },
    "GET /metrics": async () => {
        const r = await call("GET", "/metrics", { expect: 200 });
        check(/^# TYPE jifen_http_requests_total counter$/m.test(r), "metrics: " + r.slice(0, 200));
    },
    "GET /api/v1/openapi.json": async () => {
        const r = await call("GET", API + "/openapi.json", { expect: 200 });
        if (JSON.stringify(r) !== JSON.stringify(doc)) {
            fail(
                "GET /api/v1/openapi.json: the served document differs from " +
                    "docs/api/openapi.json (a build older than the document?)",
            );
        }
    },
    "POST /api/v1/auth/register": async (ctx) => {
        const a = await call("POST", API + "/auth/register", {
            json: { phone: "+86 139 0000 0001", password: "secret-pass-1" },
            expect: 201,
        });
        check(a.phone === "13900000001", "register: " + JSON.stringify(a));
        await call("POST", API + "/auth/register", {
            json: {
                phone: "13900000002",
                password: "secret-pass-2",
                invite_code: ctx.me.A.invite_code,
            },
            expect: 201,
        });
        await call("POST", API + "/auth/register", {
            json: { phone: "13900000001", password: "secret-pass-1" },
            expect: 409,
        });
        await call("POST", API + "/auth/register", {
            json: { phone: "123", password: "secret-pass-1" },
            expect: 400,
        });
        await call("POST", API + "/auth/register", {
            json: { phone: "13900000003", password: "secret-pass-3", invite_code: "ZZZZZZZZ" },
            expect: 404,
        });
    },
    "POST /api/v1/auth/login": async () => {
        await login(PHONES.B);
        await call("POST", API + "/auth/login", {
            json: { phone: PHONES.B, password: "wrong-password" },
            expect: 401,
        });
        await call("POST", API + "/auth/login", { json: { phone: PHONES.B }, expect: 400 });
        for (let i = 0; i < 10; i++) {
            await call("POST", API + "/auth/login", {
                json: { phone: "13700000099", password: "whatever-1" },
                expect: 401,
            });
        }
        await call("POST", API + "/auth/login", {
            json: { phone: "13700000099", password: "whatever-1" },
            expect: 429,
        });
    },
    "POST /api/v1/auth/logout": async () => {
        const t = await login(PHONES.C);
        await call("POST", API + "/auth/logout", { auth: t, expect: 200 });
        await call("GET", API + "/me", { auth: t, expect: 401 });
    },
    "GET /api/v1/me": async (ctx) => {
        const me = await call("GET", API + "/me", { auth: ctx.tok.B, expect: 200 });
        check(me.referrer === "A" && me.level === "primary", "me: " + JSON.stringify(me));
    },
    "POST /api/v1/me/signin": async (ctx) => {
        const r = await call("POST", API + "/me/signin", { auth: ctx.tok.C, expect: 201 });
        check(r.replayed === false, "signin: " + JSON.stringify(r));
        await call("POST", API + "/me/signin", { auth: ctx.tok.C, expect: 200 });
    },
    "POST /api/v1/me/exchange": async (ctx) => {
        const k = key("ex");
        const body = { from: "points", to: "contribution", amount: 100 };
        const opts = { auth: ctx.tok.A, headers: { "Idempotency-Key": k } };
        await call("POST", API + "/me/exchange", { ...opts, json: body, expect: 201 });
        await call("POST", API + "/me/exchange", { ...opts, json: body, expect: 200 });
        await call("POST", API + "/me/exchange", {
            ...opts,
            json: { ...body, amount: 200 },
            expect: 409,
        });
        await call("POST", API + "/me/exchange", {
            auth: ctx.tok.A,
            expect: 201,
            json: { from: "redpacket", to: "voucher", amount: 1000 },
        });
        await call("POST", API + "/me/exchange", {
            auth: ctx.tok.C,
            expect: 422,
            json: { from: "redpacket", to: "voucher", amount: 1000 },
        });
        await call("POST", API + "/me/exchange", {
            auth: ctx.tok.A,
            expect: 400,
            json: { from: "points", to: "contribution", amount: "5" },
        });
    },
    "POST /api/v1/me/transfers": async (ctx) => {
        const k = key("tr");
        const body = { to_phone: PHONES.B, asset: "points", amount: 100 };
        const opts = { auth: ctx.tok.A, headers: { "Idempotency-Key": k } };
        await call("POST", API + "/me/transfers", { ...opts, json: body, expect: 201 });
        await call("POST", API + "/me/transfers", { ...opts, json: body, expect: 200 });
        await call("POST", API + "/me/transfers", {
            ...opts,
            json: { ...body, amount: 101 },
            expect: 409,
        });
        await call("POST", API + "/me/transfers", {
            auth: ctx.tok.A,
            expect: 404,
            json: { ...body, to_phone: "13800000077" },
        });
        await call("POST", API + "/me/transfers", {
            auth: ctx.tok.C,
            expect: 422,
            json: { ...body, to_phone: PHONES.A, amount: 1e8 },
        });
        await call("POST", API + "/me/transfers", {
            auth: ctx.tok.A,
            expect: 400,
            json: { ...body, to_phone: "12" },
        });
    },
    "POST /api/v1/me/growth/sell": async (ctx) => {
        const k = key("sell");
        const opts = { auth: ctx.tok.A, headers: { "Idempotency-Key": k } };
        await call("POST", API + "/me/growth/sell", {
            ...opts,
            json: { amount: 1000 },
            expect: 201,
        });
        await call("POST", API + "/me/growth/sell", {
            ...opts,
            json: { amount: 1000 },
            expect: 200,
        });
        await call("POST", API + "/me/growth/sell", {
            ...opts,
            json: { amount: 999 },
            expect: 409,
        });
        await call("POST", API + "/me/growth/sell", {
            auth: ctx.tok.C,
            json: { amount: 1000 },
            expect: 422,
        });
        await call("POST", API + "/me/growth/sell", {
            auth: ctx.tok.A,
            json: { amount: 1.5 },
            expect: 400,
        });
    },
    "POST /api/v1/me/withdrawals": async (ctx) => {
        const k = key("wd");
        const opts = { auth: ctx.tok.A, headers: { "Idempotency-Key": k } };
        const r = await call("POST", API + "/me/withdrawals", {
            ...opts,
            json: { amount: 20000 },
            expect: 201,
        });
        check(r.replayed === false, "withdrawal: " + JSON.stringify(r));
        await call("POST", API + "/me/withdrawals", {
            ...opts,
            json: { amount: 20000 },
            expect: 200,
        });
        await call("POST", API + "/me/withdrawals", {
            ...opts,
            json: { amount: 30000 },
            expect: 409,
        });
        await call("POST", API + "/me/withdrawals", {
            auth: ctx.tok.A,
            json: { amount: 20000 },
            expect: 400,
        });
        await call("POST", API + "/me/withdrawals", {
            auth: ctx.tok.C,
            json: { amount: 20000 },
            headers: { "Idempotency-Key": key("wd") },
            expect: 422,
        });
    },
    "GET /api/v1/me/withdrawals": async (ctx) => {
        await withdrawal(ctx, "A", 10000);
        const r = await call("GET", API + "/me/withdrawals", { auth: ctx.tok.A, expect: 200 });
        check(r.items.length >= 1, "my withdrawals: " + JSON.stringify(r));
        await call("GET", API + "/me/withdrawals", {
            auth: ctx.tok.A,
            expect: 200,
            query: { status: "pending", limit: "1" },
        });
        await call("GET", API + "/me/withdrawals", {
            auth: ctx.tok.A,
            query: { status: "maybe" },
            expect: 400,
        });
    },
    "POST /api/v1/me/tokens": async (ctx) => {
        await call("POST", API + "/admin/token-price", {
            auth: ctx.admin,
            json: { price: "0.5" },
            expect: 200,
        });
        const k = key("tok");
        const opts = { auth: ctx.tok.A, headers: { "Idempotency-Key": k } };
        await call("POST", API + "/me/tokens", { ...opts, json: { points: 1000 }, expect: 201 });
        await call("POST", API + "/me/tokens", { ...opts, json: { points: 1000 }, expect: 200 });
        await call("POST", API + "/me/tokens", { ...opts, json: { points: 2000 }, expect: 409 });
        await call("POST", API + "/me/tokens", {
            auth: ctx.tok.C,
            json: { points: 1e8 },
            expect: 422,
        });
        await call("POST", API + "/me/tokens", {
            auth: ctx.tok.A,
            json: { points: "10" },
            expect: 400,
        });
    },
    "GET /api/v1/growth": async () => {
        const r = await call("GET", API + "/growth", { expect: 200 });
        check(r.supply > 0 && r.pool > 0, "growth: " + JSON.stringify(r));
    },
    "GET /api/v1/token-price": async () => {
        await call("GET", API + "/token-price", { expect: 200 });
    },
    "GET /api/v1/products": async () => {
        const r = await call("GET", API + "/products", { expect: 200 });
        check(
            r.items.some((p) => p.id === "mug" && p.points_price === 5000),
            "products: " + JSON.stringify(r),
        );
        await call("GET", API + "/products", { query: { zone: "entry", limit: "1" }, expect: 200 });
        await call("GET", API + "/products", { query: { zone: "moon" }, expect: 400 });
    },
    "POST /api/v1/orders": async (ctx) => {
        const id = key("ord");
        const opts = { auth: ctx.tok.A };
        const o = await call("POST", API + "/orders", {
            ...opts,
            expect: 201,
            json: { order: id, items: tea, region: "110105" },
        });
        check(o.status === "paid" && o.amount === 29800, "order: " + JSON.stringify(o));
        await call("POST", API + "/orders", {
            ...opts,
            json: { order: id, items: tea, region: "110105" },
            expect: 200,
        });
        await call("POST", API + "/orders", {
            ...opts,
            json: { order: id, items: [{ product: "tea", qty: 2 }] },
            expect: 409,
        });
        const k = { "Idempotency-Key": key("ok") };
        await call("POST", API + "/orders", {
            ...opts,
            headers: k,
            expect: 201,
            json: {
                items: [
                    { product: "tea", qty: 1 },
                    { product: "mug", qty: 1 },
                ],
                pay: { points: 2000 },
                offline: true,
            },
        });
        await call("POST", API + "/orders", { ...opts, json: { items: tea }, expect: 400 });
        await call("POST", API + "/orders", {
            ...opts,
            json: { order: key("ord"), items: [{ product: "nope", qty: 1 }] },
            expect: 404,
        });
        await call("POST", API + "/orders", {
            auth: ctx.tok.C,
            expect: 422,
            json: { order: key("ord"), items: tea, pay: { points: 8000 } },
        });
    },
    "GET /api/v1/orders": async (ctx) => {
        await memberOrder(ctx, "A", tea);
        const r = await call("GET", API + "/orders", {
            auth: ctx.tok.A,
            query: { limit: "1" },
            expect: 200,
        });
        check(r.items.length === 1 && r.next_cursor !== null, "orders: " + JSON.stringify(r));
        await call("GET", API + "/orders", {
            auth: ctx.tok.A,
            query: { limit: "1", cursor: r.next_cursor },
            expect: 200,
        });
    },
    "GET /api/v1/orders/{id}": async (ctx) => {
        const r = await call("GET", API + "/orders/fx-pack", { auth: ctx.tok.B, expect: 200 });
        check(r.status === "completed" && r.region === "110105", "order: " + JSON.stringify(r));
        await call("GET", API + "/orders/fx-pack", { auth: ctx.tok.A, expect: 404 });
        await call("GET", API + "/orders/no-such-order", { auth: ctx.tok.A, expect: 404 });
    },
    "POST /api/v1/admin/auth/logout": async () => {
        const t = (
            await call("POST", API + "/admin/auth/login", {
                json: { username: "boss", password: ADMIN_PASSWORD },
                expect: 200,
            })
        ).token;
        await call("GET", API + "/admin/rules", { auth: t, expect: 200 });
        await call("POST", API + "/admin/auth/logout", { auth: t, expect: 200 });
        await call("GET", API + "/admin/rules", { auth: t, expect: 401 });
        await call("POST", API + "/admin/auth/logout", { auth: t, expect: 401 });
    },
    "POST /api/v1/admin/auth/login": async () => {
        await call("POST", API + "/admin/auth/login", {
            json: { username: "boss", password: ADMIN_PASSWORD },
            expect: 200,
        });
        await call("POST", API + "/admin/auth/login", {
            json: { username: "boss", password: "wrong-password" },
            expect: 401,
        });
        await call("POST", API + "/admin/auth/login", { json: { username: "boss" }, expect: 400 });
        for (let i = 0; i < 10; i++) {
            await call("POST", API + "/admin/auth/login", {
                json: { username: "ghost", password: "whatever-1" },
                expect: 401,
            });
        }
        await call("POST", API + "/admin/auth/login", {
            json: { username: "ghost", password: "whatever-1" },
            expect: 429,
        });
    },
    "POST /api/v1/admin/products": async (ctx) => {
        const book = {
            id: "book",
            name: "Book",
            price: 5000,
            zone: "normal",
            stock: 100,
            points: 500,
        };
        const r = await replays(
            "POST",
            API + "/admin/products",
            { auth: ctx.admin, expect: 201, json: book },
            { json: { ...book, price: 5001 } },
        );
        check(r.id === "book" && r.replayed === false, "product: " + JSON.stringify(r));
        await call("POST", API + "/admin/products", {
            auth: ctx.admin,
            expect: 201,
            json: { id: "pen", price: 100, zone: "mall", points_price: 300 },
        });
        await call("POST", API + "/admin/products", {
            auth: ctx.admin,
            expect: 400,
            json: { id: "x", price: 1, zone: "moon" },
        });
    },
    "POST /api/v1/admin/orders/{id}/confirm-payment": async (ctx) => {
        const id = await memberOrder(ctx, "A", tea, { offline: true });
        const u = `${API}/admin/orders/${id}/confirm-payment`;
        const r = await replays(
            "POST",
            u,
            { auth: ctx.admin, expect: 200 },
            { path: `${API}/admin/orders/no-such-order/confirm-payment` },
        );
        check(r.status === "paid" && r.replayed === false, "confirm: " + JSON.stringify(r));
        await call("POST", u, { auth: ctx.admin, expect: 200 });
        const cancelled = await memberOrder(ctx, "A", tea, { offline: true });
        await call("POST", `${API}/admin/orders/${cancelled}/refund`, {
            auth: ctx.admin,
            expect: 200,
        });
        await call("POST", `${API}/admin/orders/${cancelled}/confirm-payment`, {
            auth: ctx.admin,
            expect: 409,
        });
        await call("POST", `${API}/admin/orders/no-such-order/confirm-payment`, {
            auth: ctx.admin,
            expect: 404,
        });
    },
    "POST /api/v1/admin/orders/{id}/complete": async (ctx) => {
        const id = await memberOrder(ctx, "A", tea);
        const r = await replays(
            "POST",
            `${API}/admin/orders/${id}/complete`,
            { auth: ctx.admin, expect: 200 },
            { path: `${API}/admin/orders/${id}/refund` },
        );
        check(r.status === "completed", "complete: " + JSON.stringify(r));
        const pending = await memberOrder(ctx, "A", tea, { offline: true });
        await call("POST", `${API}/admin/orders/${pending}/complete`, {
            auth: ctx.admin,
            expect: 409,
        });
        await call("POST", `${API}/admin/orders/no-such-order/complete`, {
            auth: ctx.admin,
            expect: 404,
        });
    },
    "POST /api/v1/admin/orders/{id}/refund": async (ctx) => {
        const id = await memberOrder(ctx, "A", tea);
        const r = await replays(
            "POST",
            `${API}/admin/orders/${id}/refund`,
            { auth: ctx.admin, expect: 200 },
            { path: `${API}/admin/orders/fx-pack/refund` },
        );
        check(r.status === "refunded", "refund: " + JSON.stringify(r));
        await call("POST", `${API}/admin/orders/${id}/refund`, { auth: ctx.admin, expect: 200 });
        const pending = await memberOrder(ctx, "A", tea, { offline: true });
        const c = await call("POST", `${API}/admin/orders/${pending}/refund`, {
            auth: ctx.admin,
            expect: 200,
        });
        check(c.status === "refunded", "cancel: " + JSON.stringify(c));
        await call("POST", `${API}/admin/orders/fx-old/refund`, { auth: ctx.admin, expect: 422 });
        await call("POST", `${API}/admin/orders/no-such-order/refund`, {
            auth: ctx.admin,
            expect: 404,
        });
    },
    "POST /api/v1/admin/members/{id}/adjust": async (ctx) => {
        const u = `${API}/admin/members/C/adjust`;
        const before = await call("GET", API + "/me", { auth: ctx.tok.C, expect: 200 });
        const grant = { asset: "cash", amount: 100, reason: "goodwill" };
        const r = await replays(
            "POST",
            u,
            { auth: ctx.admin, expect: 200, json: grant },
            { json: { ...grant, amount: 101 } },
        );
        check(r.amount === 100 && r.member === "C", "adjust: " + JSON.stringify(r));
        const after = await call("GET", API + "/me", { auth: ctx.tok.C, expect: 200 });
        check(
            after.balances.cash === before.balances.cash + 100,
            `adjust applied once: ${before.balances.cash} -> ${after.balances.cash}`,
        );
        await call("POST", u, {
            auth: ctx.admin,
            json: { asset: "cash", amount: -1000000, reason: "x" },
            expect: 422,
        });
        await call("POST", u, {
            auth: ctx.admin,
            json: { asset: "gold", amount: 1, reason: "x" },
            expect: 400,
        });
        await call("POST", `${API}/admin/members/nobody/adjust`, {
            auth: ctx.admin,
            expect: 404,
            json: { asset: "cash", amount: 1, reason: "x" },
        });
    },
    "POST /api/v1/admin/members/{id}/freeze": async (ctx) => {
        const u = `${API}/admin/members/R/freeze`;
        const r = await replays(
            "POST",
            u,
            { auth: ctx.admin, json: { withdrawals: true, all: false }, expect: 200 },
            { json: { withdrawals: false } },
        );
        check(r.member === "R", "freeze: " + JSON.stringify(r));
        await call("POST", u, { auth: ctx.admin, json: { withdrawals: false }, expect: 200 });
        await call("POST", u, { auth: ctx.admin, json: { all: true }, expect: 400 });
        await call("POST", `${API}/admin/members/nobody/freeze`, {
            auth: ctx.admin,
            json: { withdrawals: true },
            expect: 404,
        });
    },
    "POST /api/v1/admin/withdrawals/{id}/approve": async (ctx) => {
        const w = await withdrawal(ctx, "A", 10000);
        const u = `${API}/admin/withdrawals/${w}/approve`;
        const r = await replays(
            "POST",
            u,
            { auth: ctx.admin, expect: 200 },
            { path: `${API}/admin/withdrawals/${w}/reject` },
        );
        check(r.status === "approved" && r.replayed === false, "approve: " + JSON.stringify(r));
        await call("POST", u, { auth: ctx.admin, expect: 200 });
        await call("POST", `${API}/admin/withdrawals/${w}/reject`, {
            auth: ctx.admin,
            expect: 409,
        });
        await call("POST", `${API}/admin/withdrawals/wnothing/approve`, {
            auth: ctx.admin,
            expect: 404,
        });
    },
    "POST /api/v1/admin/withdrawals/{id}/reject": async (ctx) => {
        const w = await withdrawal(ctx, "A", 10000);
        const u = `${API}/admin/withdrawals/${w}/reject`;
        const r = await replays(
            "POST",
            u,
            { auth: ctx.admin, expect: 200 },
            { path: `${API}/admin/withdrawals/wnothing/reject` },
        );
        check(r.status === "rejected", "reject: " + JSON.stringify(r));
        await call("POST", `${API}/admin/withdrawals/${w}/approve`, {
            auth: ctx.admin,
            expect: 409,
        });
        await call("POST", `${API}/admin/withdrawals/wnothing/reject`, {
            auth: ctx.admin,
            expect: 404,
        });
    },
    "GET /api/v1/admin/rules": async (ctx) => {
        const r = await call("GET", API + "/admin/rules", { auth: ctx.admin, expect: 200 });
        check(r.rules.timezone === "Asia/Shanghai", "rules: " + JSON.stringify(r).slice(0, 200));
    },
    "PUT /api/v1/admin/rules": async (ctx) => {
        const r = await replays(
            "PUT",
            API + "/admin/rules",
            { auth: ctx.admin, expect: 200, json: { withdraw: { fee: "1%" } } },
            { json: { withdraw: { fee: "2%" } } },
        );
        check(r.version >= 2, "rules: " + JSON.stringify(r));
        await call("PUT", API + "/admin/rules", {
            auth: ctx.admin,
            expect: 400,
            json: { release: { daily_rate: "1,2%" } },
        });
        await call("PUT", API + "/admin/rules", {
            auth: ctx.admin,
            expect: 409,
            json: { timezone: "Asia/Tokyo" },
        });
        // the compliance limit refuses the default team differential (unlimited)
        const refused = await call("PUT", API + "/admin/rules", {
            auth: ctx.admin,
            expect: 422,
            json: { compliance: { max_generations: 2 } },
        });
        check(
            refused.error.field === "rules.compliance.max_generations" &&
                refused.error.message.includes("release.ranks (unlimited)"),
            "max_generations: " + JSON.stringify(refused),
        );
    },
    "POST /api/v1/admin/income": async (ctx) => {
        const r = await replays(
            "POST",
            API + "/admin/income",
            { auth: ctx.admin, expect: 200, json: { day: shanghaiDay(), amount: 100000 } },
            { json: { day: shanghaiDay(), amount: 100001 } },
        );
        check(r.amount === 100000 && r.replayed === false, "income: " + JSON.stringify(r));
        await call("POST", API + "/admin/income", {
            auth: ctx.admin,
            expect: 400,
            json: { day: "2026-13-01", amount: 1 },
        });
        await settleYesterday(ctx);
        await call("POST", API + "/admin/income", {
            auth: ctx.admin,
            expect: 409,
            json: { day: shanghaiDay(-1), amount: 1 },
        });
    },
    "POST /api/v1/admin/agents": async (ctx) => {
        const r = await replays(
            "POST",
            API + "/admin/agents",
            {
                auth: ctx.admin,
                expect: 200,
                json: { member: "A", level: "city", region: "110100" },
            },
            { json: { member: "A", level: "county", region: "110101" } },
        );
        check(r.level === "city", "agent: " + JSON.stringify(r));
        await call("POST", API + "/admin/agents", {
            auth: ctx.admin,
            expect: 409,
            json: { member: "B", level: "city", region: "110100" },
        });
        await call("POST", API + "/admin/agents", {
            auth: ctx.admin,
            expect: 400,
            json: { member: "A", level: "county", region: "110100" },
        });
        await call("POST", API + "/admin/agents", {
            auth: ctx.admin,
            expect: 404,
            json: { member: "nobody", level: "county", region: "110101" },
        });
    },
    "POST /api/v1/admin/token-price": async (ctx) => {
        const r = await replays(
            "POST",
            API + "/admin/token-price",
            { auth: ctx.admin, expect: 200, json: { price: "0.5" } },
            { json: { price: "0.6" } },
        );
        check(r.price === "0.5", "token price: " + JSON.stringify(r));
        await call("POST", API + "/admin/token-price", {
            auth: ctx.admin,
            json: { price: "cheap" },
            expect: 400,
        });
    },
    "POST /api/v1/admin/settlements": async (ctx) => {
        await settleYesterday(ctx);
        const r = await settleYesterday(ctx);
        check(
            r.already === true && r.replayed === true && r.settled_to === shanghaiDay(-1),
            "settle: " + JSON.stringify(r),
        );
        await replays(
            "POST",
            API + "/admin/settlements",
            { auth: ctx.admin, expect: 200, json: { day: shanghaiDay(-1) } },
            { json: { day: shanghaiDay(-2) } },
        );
        await call("POST", API + "/admin/settlements", {
            auth: ctx.admin,
            json: { day: "2026-13-01" },
            expect: 400,
        });
        await call("POST", API + "/admin/settlements", {
            auth: ctx.admin,
            json: { day: "2099-01-01" },
            expect: 422,
        });
    },
    "GET /api/v1/admin/settlements": async (ctx) => {
        await settleYesterday(ctx);
        const r = await call("GET", API + "/admin/settlements", { auth: ctx.admin, expect: 200 });
        check(
            r.items.length >= 1 && r.items[0].day === shanghaiDay(-1),
            "settlements: " + JSON.stringify(r).slice(0, 300),
        );
    },
    "POST /api/v1/payments/callback": async (ctx) => {
        const id = await memberOrder(ctx, "A", tea, { offline: true });
        const u = API + "/payments/callback";
        const body = JSON.stringify({ order: id });
        const r = await call("POST", u, {
            raw: body,
            headers: { "X-Jifen-Signature": sign(body) },
            expect: 200,
        });
        check(
            r.status === "paid" && r.order === id && r.replayed === false,
            "callback: " + JSON.stringify(r),
        );
        await call("POST", u, {
            raw: body,
            headers: { "X-Jifen-Signature": sign(body) },
            expect: 200,
        });
        await call("POST", u, { raw: body, expect: 401 });
        await call("POST", u, {
            raw: body,
            headers: { "X-Jifen-Signature": "0".repeat(64) },
            expect: 401,
        });
        const unknown = JSON.stringify({ order: "no-such-order" });
        await call("POST", u, {
            raw: unknown,
            headers: { "X-Jifen-Signature": sign(unknown) },
            expect: 404,
        });
        const bad = JSON.stringify({ order: id, amount: 1 });
        await call("POST", u, {
            raw: bad,
            headers: { "X-Jifen-Signature": sign(bad) },
            expect: 400,
        });
        const cancelled = await memberOrder(ctx, "A", tea, { offline: true });
        await call("POST", `${API}/admin/orders/${cancelled}/refund`, {
            auth: ctx.admin,
            expect: 200,
        });
        const gone = JSON.stringify({ order: cancelled });
        await call("POST", u, {
            raw: gone,
            headers: { "X-Jifen-Signature": sign(gone) },
            expect: 409,
        });
        await call("POST", `${API}/admin/orders/${id}/complete`, { auth: ctx.admin, expect: 200 });
        const done = await call("POST", u, {
            raw: body,
            headers: { "X-Jifen-Signature": sign(body) },
            expect: 200,
        });
        check(
            done.status === "completed" && done.replayed === true,
            "callback after completion: " + JSON.stringify(done),
        );
    },
    "GET /api/v1/me/lots": async (ctx) => {
        const r = await call("GET", API + "/me/lots", { auth: ctx.tok.B, expect: 200 });
        check(
            r.items.length === 1 && r.items[0].total === 750000 && r.next_cursor === null,
            "lots: " + JSON.stringify(r),
        );
        const p = await call("GET", API + "/me/lots", {
            auth: ctx.tok.B,
            query: { limit: "1" },
            expect: 200,
        });
        check(p.items.length === 1 && p.next_cursor !== null, "lots page: " + JSON.stringify(p));
        const rest = await call("GET", API + "/me/lots", {
            auth: ctx.tok.B,
            query: { limit: "1", cursor: p.next_cursor },
            expect: 200,
        });
        check(
            rest.items.length === 0 && rest.next_cursor === null,
            "lots: " + JSON.stringify(rest),
        );
    },
    "GET /api/v1/admin/withdrawals": async (ctx) => {
        await withdrawal(ctx, "A", 10000);
        const r = await call("GET", API + "/admin/withdrawals", {
            auth: ctx.admin,
            query: { status: "pending" },
            expect: 200,
        });
        check(r.items.length >= 1, "admin withdrawals: " + JSON.stringify(r));
        await call("GET", API + "/admin/withdrawals", {
            auth: ctx.admin,
            query: { limit: "1" },
            expect: 200,
        });
        await call("GET", API + "/admin/withdrawals", {
            auth: ctx.admin,
            query: { status: "lost" },
            expect: 400,
        });
    },
    "POST /api/v1/integration/orders": async (ctx) => {
        const body = { order: key("shop"), phone: PHONES.C, items: tea, region: "110105" };
        const u = API + "/integration/orders";
        const r = await call("POST", u, { auth: ctx.shop, json: body, expect: 201 });
        check(r.member === "C" && r.replayed === false, "shop order: " + JSON.stringify(r));
        await call("POST", u, { auth: ctx.shop, json: body, expect: 200 });
        const keyed = { ...body, order: key("shop") };
        await replays(
            "POST",
            u,
            { auth: ctx.shop, json: keyed, expect: 201 },
            { json: { ...keyed, order: key("shop") } },
        );
        await call("POST", u, {
            auth: ctx.shop,
            json: { ...body, items: [{ product: "tea", qty: 3 }] },
            expect: 409,
        });
        await call("POST", u, { auth: ctx.tok.C, json: body, expect: 401 });
        await call("POST", u, {
            auth: ctx.shop,
            json: { ...body, order: key("shop"), phone: "13800000077" },
            expect: 404,
        });
        await call("POST", u, {
            auth: ctx.shop,
            json: { ...body, order: key("shop"), items: [] },
            expect: 400,
        });
    },
    "POST /api/v1/integration/orders/{id}/complete": async (ctx) => {
        const id = key("shop");
        await call("POST", API + "/integration/orders", {
            auth: ctx.shop,
            expect: 201,
            json: { order: id, phone: PHONES.C, items: tea },
        });
        const u = `${API}/integration/orders/${id}/complete`;
        const r = await replays(
            "POST",
            u,
            { auth: ctx.shop, expect: 200 },
            { path: `${API}/integration/orders/no-such-order/complete` },
        );
        check(r.order === id && r.replayed === false, "shop complete: " + JSON.stringify(r));
        await call("POST", u, { auth: ctx.shop, expect: 200 });
        const pending = await memberOrder(ctx, "A", tea, { offline: true });
        await call("POST", `${API}/integration/orders/${pending}/complete`, {
            auth: ctx.shop,
            expect: 409,
        });
        await call("POST", `${API}/integration/orders/no-such-order/complete`, {
            auth: ctx.shop,
            expect: 404,
        });
    },
    "POST /api/v1/integration/orders/{id}/refund": async (ctx) => {
        const id = key("shop");
        await call("POST", API + "/integration/orders", {
            auth: ctx.shop,
            expect: 201,
            json: { order: id, phone: PHONES.C, items: tea },
        });
        const u = `${API}/integration/orders/${id}/refund`;
        const r = await replays(
            "POST",
            u,
            { auth: ctx.shop, expect: 200 },
            { path: `${API}/integration/orders/${id}/complete` },
        );
        check(r.order === id && r.replayed === false, "shop refund: " + JSON.stringify(r));
        await call("POST", u, { auth: ctx.shop, expect: 200 });
        await call("POST", `${API}/integration/orders/fx-old/refund`, {
            auth: ctx.shop,
            expect: 422,
        });
        await call("POST", `${API}/integration/orders/no-such-order/refund`, {
            auth: ctx.shop,
            expect: 404,
        });
    },
    "POST /api/v1/integration/tasks": async (ctx) => {
        const u = API + "/integration/tasks";
        const task = { phone: PHONES.C, kind: "video", contribution: 500 };
        const r = await replays(
            "POST",
            u,
            { auth: ctx.shop, expect: 200, json: task },
            { json: { ...task, contribution: 501 } },
        );
        check(r.member === "C" && r.kind === "video", "task: " + JSON.stringify(r));
        await call("POST", u, {
            auth: ctx.shop,
            json: { phone: PHONES.C, kind: "dance", contribution: 500 },
            expect: 400,
        });
        await call("POST", u, {
            auth: ctx.shop,
            json: { phone: "13800000077", kind: "video", contribution: 5 },
            expect: 404,
        });
    },
    "POST /api/v1/integration/ad-tasks": async (ctx) => {
        const u = API + "/integration/ad-tasks";
        const r = await replays(
            "POST",
            u,
            { auth: ctx.shop, json: { phone: PHONES.A, day: shanghaiDay() }, expect: 200 },
            { json: { phone: PHONES.C, day: shanghaiDay() } },
        );
        check(r.member === "A" && r.replayed === false, "ad task: " + JSON.stringify(r));
        await call("POST", u, {
            auth: ctx.shop,
            json: { phone: PHONES.A, day: "today" },
            expect: 400,
        });
        await call("POST", u, {
            auth: ctx.shop,
            json: { phone: "13800000077", day: shanghaiDay() },
            expect: 404,
        });
        await settleYesterday(ctx);
        await call("POST", u, {
            auth: ctx.shop,
            json: { phone: PHONES.A, day: shanghaiDay(-1) },
            expect: 409,
        });
    },
    "POST /api/v1/integration/income": async (ctx) => {
        const u = API + "/integration/income";
        const r = await replays(
            "POST",
            u,
            { auth: ctx.shop, json: { day: shanghaiDay(), amount: 5000 }, expect: 200 },
            { json: { day: shanghaiDay(), amount: 5001 } },
        );
        check(r.amount === 5000 && r.replayed === false, "shop income: " + JSON.stringify(r));
        await call("POST", u, {
            auth: ctx.shop,
            json: { day: shanghaiDay(), amount: "5" },
            expect: 400,
        });
        await settleYesterday(ctx);
        await call("POST", u, {
            auth: ctx.shop,
            json: { day: shanghaiDay(-1), amount: 5 },
            expect: 409,
        });
    },
    "GET /api/v1/me/team/summary": async (ctx) => {
        const r = await call("GET", API + "/me/team/summary", { auth: ctx.tok.A, expect: 200 });
        check(r.members >= 2 && r.generations.length >= 2, "team summary: " + JSON.stringify(r));
    },
    "GET /api/v1/me/team": async (ctx) => {
        const r = await call("GET", API + "/me/team", {
            auth: ctx.tok.A,
            query: { generation: "2" },
            expect: 200,
        });
        check(
            r.items.some((m) => m.member === "C"),
            "team: " + JSON.stringify(r),
        );
        await call("GET", API + "/me/team", { auth: ctx.tok.A, expect: 200 });
        await call("GET", API + "/me/team", {
            auth: ctx.tok.A,
            query: { generation: "0" },
            expect: 400,
        });
    },
    "GET /api/v1/admin/members": async (ctx) => {
        const r = await call("GET", API + "/admin/members", {
            auth: ctx.admin,
            query: { q: "1380000000" },
            expect: 200,
        });
        check(r.items.length >= 4, "admin members: " + JSON.stringify(r));
        await call("GET", API + "/admin/members", {
            auth: ctx.admin,
            query: { limit: "2" },
            expect: 200,
        });
    },
    "GET /api/v1/admin/members/{id}": async (ctx) => {
        const r = await call("GET", API + "/admin/members/A", { auth: ctx.admin, expect: 200 });
        const mine = await call("GET", API + "/me/ledger", {
            auth: ctx.tok.A,
            query: { limit: "20" },
            expect: 200,
        });
        const me = await call("GET", API + "/me", { auth: ctx.tok.A, expect: 200 });
        check(
            r.team.members >= 2 &&
                JSON.stringify(r.debts) === JSON.stringify(me.debts) &&
                JSON.stringify(r.ledger) === JSON.stringify(mine),
            "admin member: " + JSON.stringify(r).slice(0, 600),
        );
        await call("GET", API + "/admin/members/nobody", { auth: ctx.admin, expect: 404 });
    },
    "GET /api/v1/admin/members/{id}/ledger": async (ctx) => {
        const u = API + "/admin/members/A/ledger";
        const r = await call("GET", u, { auth: ctx.admin, query: { limit: "2" }, expect: 200 });
        const mine = await call("GET", API + "/me/ledger", {
            auth: ctx.tok.A,
            query: { limit: "2" },
            expect: 200,
        });
        check(
            r.items.length === 2 && JSON.stringify(r) === JSON.stringify(mine),
            "admin member ledger: " + JSON.stringify(r),
        );
        const next = await call("GET", u, {
            auth: ctx.admin,
            query: { asset: "points", cursor: r.next_cursor },
            expect: 200,
        });
        const all = await call("GET", u, { auth: ctx.admin, query: { limit: "200" }, expect: 200 });
        const older = all.items.slice(2).filter((e) => e.asset === "points");
        check(
            all.next_cursor === null &&
                next.items.length === Math.min(50, older.length) &&
                JSON.stringify(next.items) === JSON.stringify(older.slice(0, next.items.length)),
            "admin member ledger, next page: " + JSON.stringify(next).slice(0, 300),
        );
        await call("GET", u, { auth: ctx.admin, query: { asset: "gold" }, expect: 400 });
        await call("GET", API + "/admin/members/nobody/ledger", { auth: ctx.admin, expect: 404 });
    },
    "GET /api/v1/admin/members/{id}/team": async (ctx) => {
        const u = API + "/admin/members/A/team";
        const r = await call("GET", u, { auth: ctx.admin, query: { generation: "2" }, expect: 200 });
        const mine = await call("GET", API + "/me/team", {
            auth: ctx.tok.A,
            query: { generation: "2" },
            expect: 200,
        });
        check(
            r.items.some((m) => m.member === "C") && JSON.stringify(r) === JSON.stringify(mine),
            "admin member team: " + JSON.stringify(r),
        );
        const first = await call("GET", u, { auth: ctx.admin, query: { limit: "1" }, expect: 200 });
        check(first.items.length === 1, "admin member team, generation 1: " + JSON.stringify(first));
        await call("GET", u, { auth: ctx.admin, query: { generation: "0" }, expect: 400 });
        await call("GET", API + "/admin/members/nobody/team", { auth: ctx.admin, expect: 404 });
    },
    "GET /api/v1/admin/members/{id}/lots": async (ctx) => {
        const r = await call("GET", API + "/admin/members/B/lots", { auth: ctx.admin, expect: 200 });
        const mine = await call("GET", API + "/me/lots", { auth: ctx.tok.B, expect: 200 });
        check(
            r.items.length >= 1 && JSON.stringify(r) === JSON.stringify(mine),
            "admin member lots: " + JSON.stringify(r),
        );
        await call("GET", API + "/admin/members/B/lots", {
            auth: ctx.admin,
            query: { cursor: "x" },
            expect: 400,
        });
        await call("GET", API + "/admin/members/nobody/lots", { auth: ctx.admin, expect: 404 });
    },
    "GET /api/v1/me/ledger": async (ctx) => {
        const r = await call("GET", API + "/me/ledger", { auth: ctx.tok.A, expect: 200 });
        check(r.items.length > 0, "ledger: " + JSON.stringify(r));
        // R's lot releases on every settled day: its ledger holds the release legs, and the
        // balances after add up to R's balances
        await settleYesterday(ctx);
        const auth = await login(PHONES.R); // before the password reset's recipe
        const me = await call("GET", API + "/me", { auth, expect: 200 });
        const all = await call("GET", API + "/me/ledger", {
            auth,
            query: { limit: "200" },
            expect: 200,
        });
        const legs = all.items.filter((e) => e.id === null);
        const sums = {};
        let exact = all.next_cursor === null;
        for (const e of [...all.items].reverse()) {
            sums[e.asset] = (sums[e.asset] ?? 0) + e.amount;
            exact &&= e.balance_after === sums[e.asset];
        }
        check(
            exact &&
                legs.length >= 36 &&
                legs.every((e) => e.kind === "release_static") &&
                Object.entries(sums).every(([a, v]) => me.balances[a] === v),
            "R's ledger: " + JSON.stringify(all).slice(0, 600),
        );
        await call("GET", API + "/me/ledger", {
            auth: ctx.tok.A,
            query: { asset: "points", limit: "2" },
            expect: 200,
        });
        await call("GET", API + "/me/ledger", {
            auth: ctx.tok.A,
            query: { asset: "gold" },
            expect: 400,
        });
    },
    "GET /api/v1/me/releases": async (ctx) => {
        await settleYesterday(ctx);
        const q = { from: shanghaiDay(-30), to: shanghaiDay() };
        const auth = await login(PHONES.R); // before the password reset's recipe
        const all = await call("GET", API + "/me/releases", { auth, query: q, expect: 200 });
        check(
            all.items.length === 19 &&
                all.items[0].day === shanghaiDay(-1) &&
                all.next_cursor === null,
            "releases: " + JSON.stringify(all).slice(0, 300),
        );
        const p = await call("GET", API + "/me/releases", {
            auth,
            query: { ...q, limit: "5" },
            expect: 200,
        });
        const rest = await call("GET", API + "/me/releases", {
            auth,
            query: { ...q, cursor: p.next_cursor },
            expect: 200,
        });
        check(
            p.items.length === 5 &&
                JSON.stringify([...p.items, ...rest.items]) === JSON.stringify(all.items) &&
                rest.next_cursor === null,
            "releases paged: " + JSON.stringify([p, rest]).slice(0, 300),
        );
        await call("GET", API + "/me/releases", {
            auth: ctx.tok.B,
            query: { from: shanghaiDay() },
            expect: 400,
        });
        await call("GET", API + "/me/releases", {
            auth: ctx.tok.B,
            expect: 400,
            query: { from: "2026-01-01", to: "2027-06-01" },
        });
    },
    "POST /api/v1/auth/sms-code": async () => {
        const u = API + "/auth/sms-code";
        const r = await call("POST", u, {
            json: { phone: PHONES.A, purpose: "reset_password" },
            expect: 200,
        });
        check(r.sent === true, "sms: " + JSON.stringify(r));
        await call("POST", u, {
            json: { phone: PHONES.A, purpose: "reset_password" },
            expect: 429,
        });
        await call("POST", u, { json: { phone: PHONES.A, purpose: "chat" }, expect: 400 });
    },
    "POST /api/v1/auth/reset-password": async (ctx) => {
        await call("POST", API + "/auth/sms-code", {
            json: { phone: PHONES.R, purpose: "reset_password" },
            expect: 200,
        });
        const rows = storeQuery(
            ctx.db,
            "SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC",
            [PHONES.R],
        );
        const code = /(\d{6})/.exec(rows[0][0])[1];
        const wrong = String((Number(code) + 1) % 1000000).padStart(6, "0");
        const u = API + "/auth/reset-password";
        await call("POST", u, {
            json: { phone: PHONES.R, code: wrong, new_password: "brand-new-pass" },
            expect: 401,
        });
        await call("POST", u, {
            json: { phone: PHONES.R, code, new_password: "short" },
            expect: 400,
        });
        await call("POST", u, {
            json: { phone: PHONES.R, code, new_password: "brand-new-pass" },
            expect: 200,
        });
        await call("POST", u, {
            json: { phone: PHONES.R, code, new_password: "brand-new-pass" },
            expect: 422,
        });
    },
    "GET /api/v1/admin/orders": async (ctx) => {
        const r = await call("GET", API + "/admin/orders", {
            auth: ctx.admin,
            query: { status: "completed" },
            expect: 200,
        });
        check(
            r.items.some((o) => o.id === "fx-pack"),
            "admin orders: " + JSON.stringify(r).slice(0, 300),
        );
        await call("GET", API + "/admin/orders", {
            auth: ctx.admin,
            query: { limit: "1" },
            expect: 200,
        });
        await call("GET", API + "/admin/orders", {
            auth: ctx.admin,
            query: { status: "lost" },
            expect: 400,
        });
    },
    "GET /api/v1/admin/products": async (ctx) => {
        const r = await call("GET", API + "/admin/products", { auth: ctx.admin, expect: 200 });
        const fund = r.items.find((p) => p.id === "fund");
        check(
            fund && fund.growth_ratio !== null && fund.ad_ratio !== null,
            "admin products: " + JSON.stringify(fund),
        );
        await call("GET", API + "/admin/products", {
            auth: ctx.admin,
            query: { zone: "mall", limit: "1" },
            expect: 200,
        });
        await call("GET", API + "/admin/products", {
            auth: ctx.admin,
            query: { zone: "moon" },
            expect: 400,
        });
    },
    "PATCH /api/v1/admin/products/{id}": async (ctx) => {
        await call("POST", API + "/admin/products", {
            auth: ctx.admin,
            expect: 201,
            json: { id: "cap", name: "Cap", price: 1900, zone: "normal" },
        });
        const u = API + "/admin/products/cap";
        const k = { "Idempotency-Key": key("patch") };
        const r = await call("PATCH", u, {
            auth: ctx.admin,
            headers: k,
            expect: 200,
            json: { price: 2100, stock: 10, points_rate: "10%" },
        });
        check(r.price === 2100 && r.stock === 10, "patch: " + JSON.stringify(r));
        await call("PATCH", u, {
            auth: ctx.admin,
            headers: k,
            expect: 200,
            json: { price: 2100, stock: 10, points_rate: "10%" },
        });
        await call("PATCH", u, { auth: ctx.admin, headers: k, json: { price: 2200 }, expect: 409 });
        await call("PATCH", u, {
            auth: ctx.admin,
            json: { active: false, stock: null },
            expect: 200,
        });
        await call("PATCH", u, { auth: ctx.admin, json: { price: "cheap" }, expect: 400 });
        await call("PATCH", API + "/admin/products/no-such-product", {
            auth: ctx.admin,
            json: { price: 1 },
            expect: 404,
        });
    },
    "GET /api/v1/admin/rules/versions": async (ctx) => {
        await call("PUT", API + "/admin/rules", {
            auth: ctx.admin,
            json: { withdraw: { min: 10000 } },
            expect: 200,
        });
        const r = await call("GET", API + "/admin/rules/versions", {
            auth: ctx.admin,
            query: { limit: "1" },
            expect: 200,
        });
        check(r.items.length === 1 && r.next_cursor !== null, "versions: " + JSON.stringify(r));
        await call("GET", API + "/admin/rules/versions", {
            auth: ctx.admin,
            expect: 200,
            query: { limit: "1", cursor: r.next_cursor },
        });
    },
    "GET /api/v1/admin/rules/versions/{id}": async (ctx) => {
        const r = await call("GET", API + "/admin/rules/versions/1", {
            auth: ctx.admin,
            expect: 200,
        });
        check(
            r.version === 1 && r.rules.timezone === "Asia/Shanghai",
            "version: " + JSON.stringify(r).slice(0, 300),
        );
        await call("GET", API + "/admin/rules/versions/999999", { auth: ctx.admin, expect: 404 });
        await call("GET", API + "/admin/rules/versions/latest", { auth: ctx.admin, expect: 400 });
    },
    "GET /api/v1/admin/rules/check": async (ctx) => {
        const r = await call("GET", API + "/admin/rules/check", { auth: ctx.admin, expect: 200 });
        const team = r.rewards.find((w) => w.id === "team");
        check(
            r.version >= 1 && r.draft === false && team.reach === "unlimited" &&
                r.warnings.some((w) => w.code === "beyond_two_generations"),
            "rules check: " + JSON.stringify(r).slice(0, 300),
        );
    },
    "POST /api/v1/admin/rules/check": async (ctx) => {
        const before = (await call("GET", API + "/admin/rules", { auth: ctx.admin, expect: 200 }))
            .version;
        // a draft without the team differential and the friend rewards: no warning, not saved
        const r = await call("POST", API + "/admin/rules/check", {
            auth: ctx.admin,
            expect: 200,
            json: {
                release: { ranks: [], share: ["50%", "30%"] },
                contribution: { enabled: false },
                ad: { referral: ["20%"] },
                commission: { enabled: false },
                compliance: { max_generations: 2 },
            },
        });
        check(
            r.draft === true && r.version === before && r.warnings.length === 0 &&
                r.compliance.deepest_generations === 2 && r.compliance.max_generations === 2,
            "draft check: " + JSON.stringify(r).slice(0, 400),
        );
        const after = (await call("GET", API + "/admin/rules", { auth: ctx.admin, expect: 200 }))
            .version;
        check(after === before, "a checked draft is not saved");
        await call("POST", API + "/admin/rules/check", {
            auth: ctx.admin,
            expect: 400,
            json: { release: { daily_rate: "1,2%" } },
        });
        const refused = await call("POST", API + "/admin/rules/check", {
            auth: ctx.admin,
            expect: 422,
            json: { compliance: { max_generations: 2 } },
        });
        check(
            refused.error.field === "rules.compliance.max_generations",
            "draft refused: " + JSON.stringify(refused),
        );
    },
    "GET /api/v1/admin/reports/liabilities": async (ctx) => {
        await call("GET", API + "/admin/reports/liabilities", { auth: ctx.admin, expect: 200 });
    },
    "GET /api/v1/admin/reports/daily": async (ctx) => {
        await settleYesterday(ctx);
        const r = await call("GET", API + "/admin/reports/daily", {
            auth: ctx.admin,
            expect: 200,
            query: { from: shanghaiDay(-3), to: shanghaiDay() },
        });
        check(r.items.length === 4, "daily report: " + JSON.stringify(r).slice(0, 300));
        await call("GET", API + "/admin/reports/daily", {
            auth: ctx.admin,
            query: { from: shanghaiDay() },
            expect: 400,
        });
        await call("GET", API + "/admin/reports/daily", {
            auth: ctx.admin,
            expect: 400,
            query: { from: shanghaiDay(), to: shanghaiDay(-1) },
        });
    },
    "GET /api/v1/admin/audit": async (ctx) => {
        const r = await call("GET", API + "/admin/audit", {
            auth: ctx.admin,
            query: { limit: "200" },
            expect: 200,
        });
        check(r.items.length > 0, "audit: " + JSON.stringify(r).slice(0, 300));
    },
};

// The state-changing operations refused once the business day is settled: 409, naming the day.
// Run last, by a server whose clock is a day back, on yesterday, settled. Each entry prepares
// what it needs before the settlement.
const afterSettled = {
    "POST /api/v1/auth/register": () => [
        { json: { phone: "13900000009", password: "secret-pass-9" } },
    ],
    "POST /api/v1/me/signin": (ctx) => [{ auth: ctx.tok.B }],
    "POST /api/v1/me/exchange": (ctx) => [
        { auth: ctx.tok.A, json: { from: "points", to: "contribution", amount: 100 } },
    ],
    "POST /api/v1/me/transfers": (ctx) => [
        { auth: ctx.tok.A, json: { to_phone: PHONES.B, asset: "points", amount: 100 } },
    ],
    "POST /api/v1/me/growth/sell": (ctx) => [{ auth: ctx.tok.A, json: { amount: 100 } }],
    "POST /api/v1/me/withdrawals": (ctx) => [
        { auth: ctx.tok.A, json: { amount: 10000 }, headers: { "Idempotency-Key": key("wd") } },
    ],
    "POST /api/v1/me/tokens": (ctx) => [{ auth: ctx.tok.A, json: { points: 100 } }],
    "POST /api/v1/orders": (ctx) => [{ auth: ctx.tok.A, json: { order: key("ord"), items: tea } }],
    "POST /api/v1/admin/orders/{id}/confirm-payment": (ctx) => [
        { auth: ctx.admin, id: ctx.late.pending },
    ],
    "POST /api/v1/admin/orders/{id}/complete": (ctx) => [{ auth: ctx.admin, id: ctx.late.paid }],
    "POST /api/v1/admin/orders/{id}/refund": (ctx) => [{ auth: ctx.admin, id: ctx.late.paid }],
    "POST /api/v1/admin/members/{id}/adjust": (ctx) => [
        { auth: ctx.admin, id: "A", json: { asset: "cash", amount: 1, reason: "x" } },
    ],
    "POST /api/v1/admin/withdrawals/{id}/approve": (ctx) => [
        { auth: ctx.admin, id: ctx.late.withdrawal },
    ],
    "POST /api/v1/admin/withdrawals/{id}/reject": (ctx) => [
        { auth: ctx.admin, id: ctx.late.withdrawal },
    ],
    "POST /api/v1/admin/income": (ctx) => [
        { auth: ctx.admin, json: { day: shanghaiDay(-1), amount: 1 } },
    ],
    "POST /api/v1/integration/orders": (ctx) => [
        { auth: ctx.shop, json: { order: key("shop"), phone: PHONES.C, items: tea } },
    ],
    "POST /api/v1/integration/orders/{id}/complete": (ctx) => [
        { auth: ctx.shop, id: ctx.late.shop },
    ],
    "POST /api/v1/integration/orders/{id}/refund": (ctx) => [{ auth: ctx.shop, id: ctx.late.shop }],
    "POST /api/v1/integration/tasks": (ctx) => [
        { auth: ctx.shop, json: { phone: PHONES.C, kind: "video", contribution: 1 } },
    ],
    "POST /api/v1/integration/ad-tasks": (ctx) => [
        { auth: ctx.shop, json: { phone: PHONES.B, day: shanghaiDay(-1) } },
    ],
    "POST /api/v1/integration/income": (ctx) => [
        { auth: ctx.shop, json: { day: shanghaiDay(-1), amount: 1 } },
    ],
};

// ---- generic checks --------------------------------------------------------------------------

function samplePath(o) {
    return o.path.replace(/\{[^}]+\}/g, "none");
}

async function genericChecks(o, ctx) {
    const schemes = (o.op.security ?? doc.security ?? []).flatMap((s) => Object.keys(s));
    const u = samplePath(o);
    const hasBody = deref(o.op.requestBody) !== undefined;
    const body = hasBody ? { json: {} } : {};
    if (schemes.length > 0) {
        await call(o.method, u, { ...body, expect: 401 });
    }
    if (schemes.includes("admin")) {
        await call(o.method, u, { ...body, auth: ctx.tok.C, expect: 403 });
    }
    if (schemes.includes("member")) {
        await call(o.method, u, { ...body, auth: ctx.admin, expect: 401 });
    }
    if (schemes.includes("apikey")) {
        await call(o.method, u, { ...body, auth: ctx.tok.C, expect: 401 });
    }
    const auth = schemes.includes("admin")
        ? ctx.admin
        : schemes.includes("apikey")
          ? ctx.shop
          : schemes.includes("member")
            ? ctx.tok.C
            : undefined;
    if (hasBody && o.path !== "/api/v1/payments/callback") {
        await call(o.method, u, { auth, raw: "[1,2", expect: 400 });
    }
    if (o.params.some((p) => p.in === "header" && p.name === "Idempotency-Key")) {
        await call(o.method, u, {
            ...body,
            auth,
            headers: { "Idempotency-Key": "k".repeat(100) },
            expect: 400,
        });
    }
    if (o.params.some((p) => p.in === "query" && p.name === "limit")) {
        await call(o.method, u, { auth, query: { limit: "500" }, expect: 400 });
    }
    if (!hasBody && "400" in (o.op.responses ?? {})) {
        // an operation that takes no body refuses one, naming its field
        const r = await call(o.method, u, { auth, json: { unexpected: 1 }, expect: 400 });
        check(r.error.field === "unexpected", `${o.key} with a body: ` + JSON.stringify(r));
    }
    if ("413" in (o.op.responses ?? {})) {
        const r = await call(o.method, u, { auth, raw: " ".repeat(70000), expect: 413 });
        check(r.error.field === "body", `${o.key} with 70,000 bytes: ` + JSON.stringify(r));
    }
}

// Every "METHOD /path" of the server's route tables (src/http/*.c), to compare with the document.
function serverRoutes() {
    const out = new Set();
    const dir = path.join(ROOT, "src/http");
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".c"))) {
        const text = fs.readFileSync(path.join(dir, f), "utf8");
        for (const m of text.matchAll(/\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"(\/[^"]*)"/g)) {
            out.add(`${m[1]} ${m[2].replace(/\{\}/g, "{}")}`);
        }
    }
    return out;
}

// ---- main ------------------------------------------------------------------------------------

function waitForPort(srv) {
    return new Promise((resolve, reject) => {
        let buf = "";
        const t = setTimeout(() => reject(new Error("the server did not start in 20 s")), 20000);
        srv.stdout.on("data", (d) => {
            buf += d;
            const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(buf);
            if (m) {
                clearTimeout(t);
                resolve(Number(m[1]));
            }
        });
        srv.on("exit", (code) => reject(new Error(`the server exited with ${code}`)));
    });
}

async function main() {
    const jifen = process.argv[2];
    if (!jifen) {
        console.error("usage: node openapi_check.mjs JIFEN [STORE]");
        return 2;
    }
    // the recipes name today and yesterday: do not start within two minutes of midnight
    const toMidnight = 86400 - Math.floor((Date.now() / 1000 + 8 * 3600) % 86400);
    if (toMidnight < 120) {
        await new Promise((resolve) => setTimeout(resolve, (toMidnight + 2) * 1000));
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jifen-openapi-"));
    const db = process.argv[3] ?? path.join(tmp, "s.db");
    const scen = path.join(tmp, "fixture.jsonl");
    fs.writeFileSync(scen, fixtureScenario());
    execFileSync(jifen, ["replay", "--db", db, scen], { stdio: ["ignore", "ignore", "inherit"] });
    execFileSync(jifen, ["admin", "create", "boss", "--db", db], {
        input: ADMIN_PASSWORD + "\n",
        stdio: ["pipe", "ignore", "inherit"],
    });
    const shopKey = execFileSync(jifen, ["admin", "apikey", "shop-1", "--db", db], {
        encoding: "utf8",
    }).trim();
    let stderr = "";
    // the server on the store, its clock `days` days away from today (clockEnv)
    const serve = (days) => {
        const s = spawn(jifen, ["serve", "--db", db, "--port", "0", "--settle-at", "off"], {
            env: { ...process.env, JIFEN_PAYMENT_SECRET: PAY_SECRET, ...clockEnv(days) },
            stdio: ["ignore", "pipe", "pipe"],
        });
        s.stderr.on("data", (d) => {
            stderr = (stderr + d).slice(-4000);
        });
        return s;
    };
    const stop = async (s) => {
        s.kill("SIGTERM");
        const rc = await new Promise((resolve) => s.on("exit", (code) => resolve(code)));
        if (rc !== 0) {
            fail(`the server exited with status ${rc} after SIGTERM`);
        }
    };
    let srv = serve(0);
    let calls = 0;
    try {
        PORT = await waitForPort(srv);
        const ctx = { db, shop: shopKey, tok: {}, me: {} };
        for (const who of ["A", "B", "C"]) {
            ctx.tok[who] = await login(PHONES[who]);
            ctx.me[who] = await call("GET", API + "/me", { auth: ctx.tok[who], expect: 200 });
        }
        ctx.admin = (
            await call("POST", API + "/admin/auth/login", {
                json: { username: "boss", password: ADMIN_PASSWORD },
                expect: 200,
            })
        ).token;

        for (const o of operations) {
            const recipe = recipes[o.rkey];
            if (recipe === undefined) {
                fail(`${o.key}: no request recipe in tests/http/openapi_check.mjs`);
                continue;
            }
            try {
                await genericChecks(o, ctx);
                await recipe(ctx);
            } catch (e) {
                fail(`${o.key}: ${e.message}`);
            }
        }
        for (const k of Object.keys(recipes)) {
            if (!operations.some((o) => o.rkey === k)) {
                console.log(`note: the recipe for ${k} has no operation in the document`);
            }
        }

        // the business day settled: the state-changing operations answer 409. Neither the API
        // nor `jifen settle` settles a day that has not ended, so the server is started again
        // with its clock a day back (as a clock set back would be), on yesterday, which the
        // settlement recipe settled.
        try {
            ctx.late = {
                pending: await memberOrder(ctx, "A", tea, { offline: true }),
                paid: await memberOrder(ctx, "A", tea),
                withdrawal: await withdrawal(ctx, "A", 10000),
                shop: key("shop"),
            };
            await call("POST", API + "/integration/orders", {
                auth: ctx.shop,
                expect: 201,
                json: { order: ctx.late.shop, phone: PHONES.C, items: tea },
            });
            await call("POST", API + "/admin/settlements", {
                auth: ctx.admin,
                json: { day: shanghaiDay(-1) },
                expect: 200,
            });
            await stop(srv);
            srv = serve(-1);
            PORT = await waitForPort(srv);
            for (const o of operations) {
                const make = afterSettled[o.rkey];
                for (const c of make ? make(ctx) : []) {
                    const u = c.id ? o.path.replace(/\{[^}]+\}/, c.id) : o.path;
                    const r = await call(o.method, u, { ...c, expect: 409 });
                    check(
                        /already settled/.test(r.error.message),
                        `${o.key} after settling: ` + JSON.stringify(r),
                    );
                }
            }
        } catch (e) {
            fail(`after the business day was settled: ${e.message}`);
        }

        // every documented status was answered at least once
        for (const o of operations) {
            for (const k of Object.keys(o.op.responses ?? {})) {
                const hit = /^\dXX$/.test(k)
                    ? [...o.seen].some((s) => String(s)[0] === k[0])
                    : k === "default"
                      ? o.seen.size > 0
                      : o.seen.has(Number(k));
                if (!hit) {
                    fail(`${o.key}: documented status ${k} was never answered`);
                }
            }
        }
        // every route the server has is documented
        const documented = new Set(
            operations.map((o) => `${o.method} ${o.path.replace(/\{[^}]+\}/g, "{}")}`),
        );
        const routes = serverRoutes();
        for (const r of routes) {
            if (!documented.has(r)) {
                fail(`${r}: a route of the server that the document does not describe`);
            }
        }
        calls = operations.reduce((n, o) => n + o.seen.size, 0);
        await stop(srv);
    } catch (e) {
        fail(e.stack ?? String(e));
    } finally {
        if (srv.exitCode === null) {
            srv.kill("SIGKILL");
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    if (failures.length > 0) {
        for (const f of failures) {
            console.log("FAIL " + f);
        }
        if (stderr) {
            console.log("server log (tail):\n" + stderr.split("\n").slice(-15).join("\n"));
        }
        console.log(`openapi check: ${failures.length} failures`);
        return 1;
    }
    console.log(
        `openapi check: ${operations.length} operations of the document answered as ` +
            `documented (${calls} distinct operation/status pairs validated)`,
    );
    return 0;
}

process.exitCode = await main();
