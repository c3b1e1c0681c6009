#!/usr/bin/env python3
"""Hostile input on every endpoint of the OpenAPI document, end to end.

The document is read from the server (GET /api/v1/openapi.json), and every operation in it must
have an entry in TABLE below, and every entry an operation: an endpoint added without one fails
this test. From each operation's entry (who calls it, valid path ids, a valid body) and from its
parameters and body schema in the document, a table of hostile requests is generated:
  - every body field, nested ones too: each wrong JSON type; integers beyond int64
    (9223372036854775808, -9223372036854775809), beyond a double (1e400), as reals (1.5, 1e2),
    as decimal strings ("12.345"), below the documented minimum (negative, zero) and above the
    maximum; strings longer than the documented or the server's limit, outside the documented
    enum or pattern, with an escaped NUL, invalid UTF-8 (stray, overlong, a surrogate), a lone
    surrogate escape, SQL text ("' OR 1=1 --", "'; DROP TABLE accounts; --") and script text;
    10,000 levels of [ as a field's value;
  - the body: empty, not JSON, truncated, an array or a scalar, 10,000 levels of [ and of {,
    trailing data, two documents, a byte-order mark, a raw NUL, unknown fields (SQL, invalid
    UTF-8, 500-byte and multibyte names), a duplicate key, a wrong or missing Content-Type,
    larger than the server's body cap (413); any body where the operation takes none;
  - path ids: ../ traversal (plain and encoded), encoded slashes and NUL, invalid UTF-8,
    unicode, SQL text, 65 and 4,000 bytes; another member's order;
  - query parameters: below and above the documented range, 10^30, not numbers, outside the
    enum or pattern, impossible dates, invalid UTF-8, an encoded NUL, too long, a required one
    left out;
  - headers: no, malformed, unknown and wrong-role credentials; an Idempotency-Key that is
    empty, too long or not printable ASCII (and none where one is required); a payment callback
    unsigned, badly signed or signed over another body.
Each answer must be a 4xx that the document lists for the operation (or 413 for a body over the
cap), never 2xx or 5xx, with a JSON error body {"error": {"code", "message", "field"}} whose
field names the input at fault where there is one; and nothing may change: a digest of every
table of the store (balances, debts, transfers, orders, withdrawals, products, rules versions,
the audit log, the idempotency keys, sessions, ...) is the same after each operation's table as
before it. Then free text (product names, adjustment reasons, passwords, the member search)
takes SQL and script text as data: stored and answered byte for byte, and matching nothing it
should not; the sign-in limit counts an account however its phone or name is written; an SMS
code asked for a phone nobody has is answered alike and sends nothing; a SQLite store and its
log are readable by their owner only. Last, the server stops cleanly and `jifen verify` passes.

Prints the cases per operation and in all.

usage: hostile.py JIFEN"""
import collections
import datetime
import hashlib
import hmac
import json
import os
import sqlite3
import sys
import tempfile
import time
import urllib.parse

import harness

PASSWORD = "jifen-test-password"  # what `jifen replay` gives the members it registers
SECRET = "hostile-payment-secret"
PHONES = harness.SHOP_PHONES
NEW_PHONE = "13900000050"  # nobody's
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
BODY_CAP = 64 * 1024  # the server's body cap (src/http/server.c)
METHODS = ("get", "put", "post", "delete", "patch")

SQL = ["' OR 1=1 --", "'; DROP TABLE accounts; --", "1); DELETE FROM transfers; --",
       "\" OR \"\"=\""]
SCRIPT = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)"]
TEXT = SQL + SCRIPT + ["会员积分🙂", " ", "a\tb\nc", "%00", "../../etc/passwd"]


class Raw:
    """JSON text (or any bytes) put into a body as it is."""

    def __init__(self, text):
        self.text = text if isinstance(text, bytes) else text.encode()

    def __repr__(self):
        return "Raw(%r)" % self.text[:40]


def enc(v):
    """JSON text of a value whose parts may be Raw."""
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, list):
        return b"[" + b",".join(enc(x) for x in v) + b"]"
    if isinstance(v, dict):
        return obj(list(v.items()))
    return json.dumps(v, ensure_ascii=False).encode()


def obj(members):
    """A JSON object of (key, value) pairs, in order; either may be Raw."""
    return b"{" + b",".join(enc(k) + b":" + enc(v) for k, v in members) + b"}"


ANY = object()  # the answer's field is not checked


class Prefix(str):
    """A field that may be cut short: any field that starts with it."""
NO_FIELD = (None, "Authorization")  # credentials: no field, or the header


class Case:
    """One hostile request: `body` is bytes (or None), `headers` replace the defaults (a None
    value drops the header), `token` replaces the operation's caller's, `field` is the field the
    error must name (a name: that name or a path below it; a tuple: one of them; ANY), and
    `statuses` narrows the 4xx the document lists."""

    def __init__(self, what, path=None, query="", body=None, headers=None, token=ANY,
                 field=ANY, statuses=None, sign=True):
        self.what, self.path, self.query, self.body = what, path, query, body
        self.headers, self.token, self.field, self.statuses = headers or {}, token, field, statuses
        self.sign = sign
        self.kind = None  # set by cases_of


def field_ok(got, want):
    if want is ANY:
        return True
    if isinstance(want, tuple):
        return any(field_ok(got, w) for w in want)
    if want is None:
        return got is None
    if isinstance(want, Prefix):
        return got is not None and got.startswith(want)
    return got is not None and (got == want or got.startswith(want + "[")
                                or got.startswith(want + "."))


# ---- the values ---------------------------------------------------------------------------------

WRONG_TYPES = {
    "string": [1, -1, 1.5, True, False, [], ["x"], {}, {"x": "y"}],
    "integer": ["1", "12.345", 1.5, Raw("1e2"), Raw("1.0"), Raw("-0.0"), True, [], [1], {},
                {"v": 1}],
    "boolean": ["true", 1, 0, "yes", [], [True], {}],
    "array": ["x", 1, True, {}, {"0": {}}],
    "object": ["x", 1, True, [], [{}]],
}
BAD_NUMBERS = [Raw("9223372036854775808"), Raw("-9223372036854775809"), Raw("1e400"),
               Raw("-1e400"), Raw("1" + "0" * 30), Raw("18446744073709551616"), Raw("0x10"),
               Raw("NaN"), Raw("Infinity"), Raw("-"), Raw("+1"), Raw("01")]
BAD_STRINGS = [Raw('"\\u0000"'), Raw('"a\\u0000b"'), Raw(b'"\xff\xfe"'), Raw(b'"a\xc0\xafb"'),
               Raw(b'"\xed\xa0\x80"'), Raw(b'"\xf8\x88\x80\x80\x80"'), Raw('"\\ud800"'),
               Raw('"\\udc00x"'), Raw(b'"a\x01b"'), Raw('"a\nb"'), Raw(b'"a\x00b"')]
DEEP = Raw("[" * 10000 + "]" * 10000)
NESTED = Raw("[" * 1000 + "]" * 1000)  # within a parser's depth: a well-formed wrong type


def types_of(schema):
    t = schema.get("type", "object" if "properties" in schema else None)
    return [t] if isinstance(t, str) else list(t or [])


def resolve(doc, schema):
    while "$ref" in schema:
        node = doc
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def value_cases(doc, schema, required, free):
    """(what, value) pairs that the schema (and the server) must refuse for one field."""
    schema = resolve(doc, schema)
    types = types_of(schema)
    kind = next((t for t in types if t != "null"), None)
    out = [("%s: %s" % (kind, v.text[:24] if isinstance(v, Raw) else json.dumps(v)), v)
           for v in WRONG_TYPES.get(kind, [])]
    if "null" not in types and required:
        out.append(("null", None))
    out += [("10,000 levels of [", DEEP), ("1,000 levels of [", NESTED)]
    if kind == "integer":
        out += [("number %s" % v.text.decode(), v) for v in BAD_NUMBERS]
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if lo is not None:
            out += [("below the minimum", lo - 1), ("int64 min", -2 ** 63)]
            if lo > 0:
                out += [("zero", 0), ("negative", -1)]
        if hi is not None:
            out += [("above the maximum", hi + 1), ("int64 max", 2 ** 63 - 1)]
    if kind == "string":
        out += [("string %r" % v.text[:16], v) for v in BAD_STRINGS]
        limit = schema.get("maxLength", 256)
        out += [("%d bytes" % (limit + 1), "x" * (limit + 1)), ("5,000 bytes", "x" * 5000),
                ("%d bytes of 会" % (3 * limit), "会" * limit)]
        if not free:
            out += [("text %r" % s, s) for s in TEXT]
        if "enum" in schema:
            out.append(("outside the enum", schema["enum"][0] + "x"))
        if schema.get("format") == "date":
            out += [("date %s" % d, d) for d in ("2026-02-30", "2026-13-01", "26-01-01",
                                                 "2026-01-01T00:00:00Z", "1999-12-31",
                                                 "2200-01-01", "")]
        if schema.get("minLength", 0) >= 1 or not free:
            out.append(("empty string", ""))
    if kind == "array":
        item = resolve(doc, schema.get("items", {}))
        if schema.get("minItems", 0) >= 1:
            out.append(("no items", []))
        if "maxItems" in schema:
            out.append(("%d items" % (schema["maxItems"] + 1),
                        [example(doc, item)] * (schema["maxItems"] + 1)))
        out += [("items: %s" % json.dumps(v), [v]) for v in (1, "x", None, [], True)]
        if "properties" in item:
            for what, v in object_cases(doc, item, example(doc, item), set()):
                out.append(("an item's " + what, [v]))
    if kind == "object" and "properties" in schema:
        out += object_cases(doc, schema, {}, set())
    return out


def object_cases(doc, schema, base, free):
    """(what, value) pairs of objects that are `base` with one member made hostile, or with an
    unknown member."""
    out = []
    for name, sub in schema.get("properties", {}).items():
        req = name in schema.get("required", [])
        for what, v in value_cases(doc, sub, req, name in free):
            out.append(("%s %s" % (name, what), Raw(obj(list(without(base, name).items())
                                                        + [(name, v)]))))
    out.append(("unknown member", Raw(obj(list(base.items()) + [("evil", 1)]))))
    return out


def example(doc, schema):
    """A valid value of a schema, for the items of a list."""
    schema = resolve(doc, schema)
    if "properties" in schema:
        return {k: example(doc, v) for k, v in schema["properties"].items()
                if k in schema.get("required", [])}
    kind = next((t for t in types_of(schema) if t != "null"), "string")
    return {"integer": 1, "boolean": True, "array": [], "object": {}}.get(kind, "tea")


def without(d, key):
    return {k: v for k, v in d.items() if k != key}


# ---- the operations -----------------------------------------------------------------------------

def today():
    return datetime.datetime.now(SHANGHAI).date().isoformat()


def yesterday():
    return (datetime.datetime.now(SHANGHAI) - datetime.timedelta(days=1)).date().isoformat()


def table(ctx):
    """Each operation: who calls it ("member" is A, "admin", "shop" the API key, "payment" a
    signed callback, None anyone), its path ids, a valid body (or None: it takes none), its free
    text fields (any string is data there), and cases of its own."""
    tea = [{"product": "tea", "qty": 1}]
    rules_cases = [
        Case("a rule of the wrong type", body=obj([("points", {"transfer_fee": 5})]),
             field="rules.points.transfer_fee"),
        Case("an unknown program", body=obj([("nope", {})]), field="rules.nope"),
        Case("an unknown rule", body=obj([("points", {"nope": 1})]), field="rules.points.nope"),
        Case("a negative minimum", body=obj([("withdraw", {"min": -1})]),
             field="rules.withdraw.min"),
        Case("a rate of 7 decimals", body=obj([("release", {"daily_rate": "1.2345678%"})]),
             field="rules.release.daily_rate"),
        Case("a rate of 1e400", body=obj([("release", {"daily_rate": Raw("1e400")})]),
             field="rules.release.daily_rate"),
        Case("a fee of 150%", body=obj([("points", {"transfer_fee": "150%"})]),
             field="rules.points.transfer_fee"),
        Case("a minimum beyond int64", body=obj([("withdraw", {"min":
                                                              Raw("9223372036854775808")})]),
             field="rules.withdraw.min"),
        Case("an unknown time zone", body=obj([("timezone", "Mars/Olympus")]),
             field="rules.timezone"),
        Case("script as a rate", body=obj([("release", {"daily_rate": SCRIPT[0]})]),
             field="rules.release.daily_rate"),
        Case("SQL as a rate", body=obj([("release", {"daily_rate": SQL[1]})]),
             field="rules.release.daily_rate"),
        Case("100 levels of objects", body=b'{"release":' * 100 + b"1" + b"}" * 100,
             field="rules.release"),
        Case("a list where an object goes", body=obj([("points", [1, 2])]),
             field="rules.points"),
        Case("invalid UTF-8 in a rule", body=obj([("timezone", Raw(b'"\xff"'))]),
             field="rules.timezone"),
    ]
    return {
        ("GET", "/healthz"): dict(caller=None),
        ("GET", "/metrics"): dict(caller=None),
        ("GET", "/api/v1/openapi.json"): dict(caller=None),
        ("POST", "/api/v1/auth/register"): dict(
            caller=None, body={"phone": NEW_PHONE, "password": "hostile-pass-1",
                               "invite_code": ctx["invite"]}, free={"password"}),
        ("POST", "/api/v1/auth/login"): dict(
            caller=None, body={"phone": PHONES["A"], "password": "not-the-password"},
            free={"password"}),
        ("POST", "/api/v1/auth/logout"): dict(caller="member"),
        ("GET", "/api/v1/me"): dict(caller="member"),
        ("POST", "/api/v1/me/signin"): dict(caller="member"),
        ("POST", "/api/v1/me/exchange"): dict(
            caller="member", body={"from": "points", "to": "contribution", "amount": 100}),
        ("POST", "/api/v1/me/transfers"): dict(
            caller="member", body={"to_phone": PHONES["B"], "asset": "points", "amount": 100}),
        ("POST", "/api/v1/me/growth/sell"): dict(caller="member", body={"amount": 100}),
        ("GET", "/api/v1/me/withdrawals"): dict(caller="member"),
        ("POST", "/api/v1/me/withdrawals"): dict(caller="member", body={"amount": 20000},
                                                 key_required=True),
        ("POST", "/api/v1/me/tokens"): dict(caller="member", body={"points": 100}),
        ("GET", "/api/v1/growth"): dict(caller=None),
        ("GET", "/api/v1/token-price"): dict(caller=None),
        ("GET", "/api/v1/products"): dict(caller=None),
        ("POST", "/api/v1/orders"): dict(
            caller="member", body={"order": "h-new-1", "items": tea, "pay": {"points": 0},
                                   "region": "110101", "offline": True}),
        ("GET", "/api/v1/orders"): dict(caller="member"),
        ("GET", "/api/v1/orders/{id}"): dict(
            caller="member", ids={"id": "o-paid"},
            extra=[Case("another member's order", path={"id": "o-b"}, field="id",
                        statuses={404})]),
        ("POST", "/api/v1/admin/auth/login"): dict(
            caller=None, body={"username": "boss", "password": "not-the-password"},
            free={"password"}),
        ("POST", "/api/v1/admin/auth/logout"): dict(caller="admin"),
        ("GET", "/api/v1/admin/products"): dict(caller="admin"),
        ("POST", "/api/v1/admin/products"): dict(
            caller="admin", body={"id": "h-prod", "name": "Hostile", "price": 1000,
                                  "zone": "normal", "stock": 5, "points": 10},
            free={"name"}),
        ("POST", "/api/v1/admin/orders/{id}/confirm-payment"): dict(
            caller="admin", ids={"id": "o-pending"}),
        ("POST", "/api/v1/admin/orders/{id}/complete"): dict(caller="admin",
                                                              ids={"id": "o-paid"}),
        ("POST", "/api/v1/admin/orders/{id}/refund"): dict(caller="admin", ids={"id": "o-paid"}),
        ("POST", "/api/v1/admin/members/{id}/adjust"): dict(
            caller="admin", ids={"id": "A"},
            body={"asset": "points", "amount": 100, "reason": "hostile"}, free={"reason"},
            extra=[Case("amount zero", body=obj([("asset", "points"), ("amount", 0),
                                                 ("reason", "x")]), field="amount"),
                   Case("a removal beyond int64", body=obj([("asset", "points"),
                                                            ("amount", -2 ** 63),
                                                            ("reason", "x")]), field="amount"),
                   Case("a removal beyond the balance", body=obj([("asset", "points"),
                                                                  ("amount", -10 ** 15),
                                                                  ("reason", "x")]),
                        field="amount"),
                   Case("locked", body=obj([("asset", "locked"), ("amount", 1),
                                            ("reason", "x")]), field="asset")]),
        ("POST", "/api/v1/admin/members/{id}/freeze"): dict(
            caller="admin", ids={"id": "C"}, body={"withdrawals": True, "all": False}),
        ("POST", "/api/v1/admin/withdrawals/{id}/approve"): dict(caller="admin",
                                                                  ids={"id": "w-1"}),
        ("POST", "/api/v1/admin/withdrawals/{id}/reject"): dict(caller="admin",
                                                                 ids={"id": "w-1"}),
        ("GET", "/api/v1/admin/rules"): dict(caller="admin"),
        ("PUT", "/api/v1/admin/rules"): dict(caller="admin", rules=True, extra=rules_cases),
        ("POST", "/api/v1/admin/income"): dict(caller="admin",
                                               body={"day": today(), "amount": 1000}),
        ("POST", "/api/v1/admin/agents"): dict(
            caller="admin", body={"member": "B", "level": "county", "region": "110101"}),
        ("POST", "/api/v1/admin/token-price"): dict(caller="admin", body={"price": "0.6"}),
        ("GET", "/api/v1/admin/settlements"): dict(caller="admin"),
        ("POST", "/api/v1/admin/settlements"): dict(caller="admin", body={"day": yesterday()}),
        ("POST", "/api/v1/payments/callback"): dict(caller="payment",
                                                    body={"order": "o-pending"}),
        ("GET", "/api/v1/me/lots"): dict(caller="member"),
        ("GET", "/api/v1/admin/withdrawals"): dict(caller="admin"),
        ("POST", "/api/v1/integration/orders"): dict(
            caller="shop", body={"order": "h-int-1", "phone": PHONES["B"], "items": tea,
                                 "region": "110101"}),
        ("POST", "/api/v1/integration/orders/{id}/complete"): dict(caller="shop",
                                                                    ids={"id": "o-paid"}),
        ("POST", "/api/v1/integration/orders/{id}/refund"): dict(caller="shop",
                                                                  ids={"id": "o-paid"}),
        ("POST", "/api/v1/integration/tasks"): dict(
            caller="shop", body={"phone": PHONES["C"], "kind": "video", "contribution": 300}),
        ("POST", "/api/v1/integration/ad-tasks"): dict(
            caller="shop", body={"phone": PHONES["A"], "day": today()}),
        ("POST", "/api/v1/integration/income"): dict(caller="shop",
                                                     body={"day": today(), "amount": 1000}),
        ("GET", "/api/v1/me/team/summary"): dict(caller="member"),
        ("GET", "/api/v1/me/team"): dict(caller="member"),
        ("GET", "/api/v1/admin/members"): dict(caller="admin"),
        ("GET", "/api/v1/admin/members/{id}"): dict(caller="admin", ids={"id": "A"}),
        ("GET", "/api/v1/admin/members/{id}/ledger"): dict(caller="admin", ids={"id": "A"}),
        ("GET", "/api/v1/admin/members/{id}/team"): dict(caller="admin", ids={"id": "A"}),
        ("GET", "/api/v1/admin/members/{id}/lots"): dict(caller="admin", ids={"id": "A"}),
        ("GET", "/api/v1/me/ledger"): dict(caller="member"),
        ("GET", "/api/v1/me/releases"): dict(caller="member",
                                             query={"from": yesterday(), "to": today()}),
        ("POST", "/api/v1/auth/sms-code"): dict(
            caller=None, body={"phone": PHONES["C"], "purpose": "reset_password"}),
        ("POST", "/api/v1/auth/reset-password"): dict(
            caller=None, body={"phone": PHONES["A"], "code": "123456",
                               "new_password": "new-password-1"}, free={"new_password"}),
        ("GET", "/api/v1/admin/orders"): dict(caller="admin"),
        ("GET", "/api/v1/admin/audit"): dict(caller="admin"),
        ("PATCH", "/api/v1/admin/products/{id}"): dict(
            caller="admin", ids={"id": "tea"}, body={"name": "Tea again", "price": 29900},
            free={"name"}),
        ("GET", "/api/v1/admin/rules/versions"): dict(caller="admin"),
        ("GET", "/api/v1/admin/rules/versions/{id}"): dict(caller="admin", ids={"id": "1"}),
        ("GET", "/api/v1/admin/rules/check"): dict(caller="admin"),
        ("POST", "/api/v1/admin/rules/check"): dict(caller="admin", rules=True,
                                                    extra=rules_cases),
        ("GET", "/api/v1/admin/reports/liabilities"): dict(caller="admin"),
        ("GET", "/api/v1/admin/reports/daily"): dict(
            caller="admin", query={"from": yesterday(), "to": today()}),
    }


def body_cases(base):
    """The body itself made hostile; `base` is a valid body (a dict)."""
    good = obj(list(base.items()))
    first = next(iter(base))
    json_ct = {"Content-Type": "application/json"}
    return [
        Case("empty body", body=b"", field="body"),
        Case("not JSON", body=b"hello", field="body"),
        Case("truncated", body=good[:-1], field=ANY),
        Case("an array", body=b"[" + good + b"]", field="body"),
        Case("a string", body=b'"x"', field="body"),
        Case("a number", body=b"1", field="body"),
        Case("null", body=b"null", field="body"),
        Case("10,000 levels of [", body=DEEP.text, field="body"),
        Case("10,000 levels of {", body=b'{"a":' * 10000 + b"1" + b"}" * 10000,
             field=("body", "a")),
        Case("trailing data", body=good + b" x", field="body"),
        Case("two documents", body=good + good, field="body"),
        Case("a byte-order mark", body=b"\xef\xbb\xbf" + good, field="body"),
        Case("a raw NUL", body=b"{\x00" + good[1:], field="body"),
        Case("a raw NUL before the end", body=good[:-1] + b"\x00}", field=ANY),
        Case("single quotes", body=b"{'%s': 1}" % first.encode(), field="body"),
        Case("a comment", body=b"{/* x */}", field="body"),
        Case("an unknown field", body=obj(list(base.items()) + [("evil", 1)]), field="evil"),
        Case("an unknown field named in SQL",
             body=obj(list(base.items()) + [(SQL[1], 1)]), field=SQL[1]),
        Case("an unknown field named in invalid UTF-8",
             body=obj([(Raw(b'"\xff\xfe"'), 1)] + list(base.items())), field="body"),
        Case("an empty key", body=obj(list(base.items()) + [("", 1)]), field="body"),
        Case("an unknown field of 500 bytes",
             body=obj(list(base.items()) + [("k" * 500, 1)]), field=Prefix("k" * 60)),
        Case("an unknown field of 200 multibyte characters",
             body=obj(list(base.items()) + [("会" * 200, 1)]), field=ANY),
        Case("a duplicate key", body=good[:-1] + b"," + obj([(first, base[first])])[1:],
             field=first),
        Case("Content-Type text/plain", body=good, headers={"Content-Type": "text/plain"},
             field="Content-Type"),
        Case("Content-Type of a form", body=good,
             headers={"Content-Type": "application/x-www-form-urlencoded"},
             field="Content-Type"),
        Case("Content-Type application/jsonx", body=good,
             headers={"Content-Type": "application/jsonx"}, field="Content-Type"),
        Case("no Content-Type", body=good, headers={"Content-Type": None},
             field="Content-Type"),
        Case("a body over the cap", body=obj(list(base.items()) + [("pad", "x" * BODY_CAP)]),
             headers=json_ct, field="body", statuses={413}),
    ]


def no_body_cases():
    """An operation that takes no body refuses one (an empty object is no body)."""
    return [
        Case("a body where none is taken", body=obj([("evil", 1)]), field="evil"),
        Case("a body of SQL", body=obj([(SQL[0], SQL[1])]), field=SQL[0]),
        Case("not JSON where none is taken", body=b"hello", field="body"),
        Case("an array where none is taken", body=b"[]", field="body"),
        Case("a body over the cap", body=b'"' + b"x" * (BODY_CAP + 10) + b'"', field="body",
             statuses={413}),
    ]


PATH_IDS = [
    ("../ traversal", "../../etc/passwd", (None, "id"), "raw"),
    ("encoded ../ traversal", "..%2F..%2Fetc%2Fpasswd", (None, "id"), "raw"),
    ("..", "%2E%2E", "id", "raw"),
    ("an encoded NUL", "o-paid%00x", "id", "raw"),
    ("an encoded NUL at the end", "A%00", "id", "raw"),
    ("invalid UTF-8", "%FF%FE", "id", "raw"),
    ("unicode", "会员", "id", "quote"),
    ("SQL", "' OR 1=1 --", "id", "quote"),
    ("SQL in the path", "x'; DROP TABLE orders; --", "id", "quote"),
    ("script (its / ends the id)", "<script>alert(1)</script>", (None, "id"), "quote"),
    ("65 bytes", "x" * 65, "id", "raw"),
    ("4,000 bytes", "y" * 4000, "id", "raw"),
    ("a space", "o paid", "id", "quote"),
    ("a double quote", 'o"paid', "id", "quote"),
    ("a backslash", "o\\paid", "id", "quote"),
]


def path_cases(ids, body):
    out = []
    for what, v, field, how in PATH_IDS:
        seg = v if how == "raw" else urllib.parse.quote(v, safe="")
        for name in ids:
            out.append(Case("path %s: %s" % (name, what), path=dict(ids, **{name: seg}),
                            body=body, field=field))
    return out


QUERY_VALUES = {
    "integer": ["-1", "0", "1.5", "abc", "", "1" + "0" * 30, "9223372036854775808", "0x10",
                "%00", "1%00", "%FF", "1e2"],
    "string": ["%FF%FE", "%00", "a%00b", "x" * 100, urllib.parse.quote(SQL[0]),
               urllib.parse.quote(SCRIPT[0])],
    "date": ["2026-02-30", "2026-13-01", "abc", "", "2026-1-1", "1999-12-31", "%FF",
             "x" * 40],
    "cursor": ["abc", "-1", "1.5", "1" + "0" * 30, "%00", "%FF", ""],
}


def query_cases(doc, params, base_query):
    out = []
    for p in params:
        if p.get("in") != "query":
            continue
        name, schema = p["name"], resolve(doc, p.get("schema", {}))
        kind = next((t for t in types_of(schema) if t != "null"), "string")
        if name == "cursor":
            values = QUERY_VALUES["cursor"]
        elif schema.get("format") == "date":
            values = QUERY_VALUES["date"]
        elif kind == "integer":
            values = list(QUERY_VALUES["integer"])
            if "maximum" in schema:
                values.append(str(schema["maximum"] + 1))
        else:
            values = list(QUERY_VALUES["string"])
            if "enum" in schema:
                values += ["bogus", schema["enum"][0] + "x", schema["enum"][0].upper()]
            elif name == "q":  # a search: any valid text is a search, answered below
                values = ["%FF%FE", "%00", "x" * 100]
        for v in values:
            q = dict(base_query, **{name: v})
            out.append(Case("?%s=%s" % (name, v[:24]), query=q, field=name))
        if p.get("required"):
            out.append(Case("?%s missing" % name, query=without(base_query, name), field=name))
    return out


def auth_cases(caller, tokens):
    """Credentials that are missing, malformed, unknown or of the wrong caller."""
    if caller not in ("member", "admin", "shop"):
        return []
    out = [Case("no credentials", token=None, field=NO_FIELD, statuses={401}),
           Case("Basic credentials", token=None,
                headers={"Authorization": "Basic YWRtaW46YWRtaW4="}, field=NO_FIELD,
                statuses={401}),
           Case("a short token", token="abc", field=NO_FIELD, statuses={401}),
           Case("an unknown token", token="A" * 43, field=NO_FIELD, statuses={401}),
           Case("a token of SQL", token=("' OR 1=1 --" * 4)[:43], field=NO_FIELD,
                statuses={401}),
           Case("a token of invalid bytes", token=None,
                headers={"Authorization": b"Bearer " + b"\xff" * 43}, field=NO_FIELD,
                statuses={401})]
    for other in ("member", "admin", "shop"):
        if other != caller:
            out.append(Case("the %s's credentials" % other, token=tokens[other],
                            field=NO_FIELD,
                            statuses={403} if (caller, other) == ("admin", "member") else {401}))
    return out


def key_cases(op_doc):
    params = op_doc.get("parameters", [])
    names = [p.get("name") or p.get("$ref", "").rsplit("/", 1)[-1] for p in params]
    if not any(n in ("Idempotency-Key", "IdempotencyKey") for n in names):
        return []
    return [Case("an empty Idempotency-Key", headers={"Idempotency-Key": ""},
                 field="Idempotency-Key"),
            Case("an Idempotency-Key of 72 bytes", headers={"Idempotency-Key": "k" * 72},
                 field="Idempotency-Key"),
            Case("an Idempotency-Key of invalid bytes",
                 headers={"Idempotency-Key": b"k\xff\xfe"}, field="Idempotency-Key"),
            Case("an Idempotency-Key with a control character",
                 headers={"Idempotency-Key": "k\x01k"}, field="Idempotency-Key"),
            Case("an Idempotency-Key of unicode",
                 headers={"Idempotency-Key": "会员".encode()}, field="Idempotency-Key")]


def signature_cases(base):
    good = obj(list(base.items()))
    other = obj([("order", "o-paid")])
    return [
        Case("unsigned", body=good, sign=False, field="X-Jifen-Signature", statuses={401}),
        Case("signed with zeros", body=good, sign=False,
             headers={"X-Jifen-Signature": "0" * 64}, field="X-Jifen-Signature",
             statuses={401}),
        Case("a signature that is not hex", body=good, sign=False,
             headers={"X-Jifen-Signature": "zz" * 32}, field="X-Jifen-Signature",
             statuses={401}),
        Case("a signature of 200 bytes", body=good, sign=False,
             headers={"X-Jifen-Signature": "0" * 200}, field="X-Jifen-Signature",
             statuses={401}),
        Case("signed over another body", body=good, sign=False,
             headers={"X-Jifen-Signature": sign(other)}, field="X-Jifen-Signature",
             statuses={401}),
        Case("signed with another secret", body=good, sign=False,
             headers={"X-Jifen-Signature": hmac.new(b"guess", good,
                                                    hashlib.sha256).hexdigest()},
             field="X-Jifen-Signature", statuses={401}),
    ]


def sign(body):
    return hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


KINDS = ["body fields", "bodies", "path ids", "query parameters", "credentials", "headers",
         "the operation's own"]


def tag(kind, cases):
    for case in cases:
        case.kind = kind
    return cases


def cases_of(doc, method, path, entry, tokens):
    """Every hostile case of one operation, each with its kind (one of KINDS)."""
    op = doc["paths"][path][method.lower()]
    params = op.get("parameters", [])
    base_query = entry.get("query", {})
    out = []
    if entry.get("rules"):  # a patch of the rules: its fields are named "rules.<path>"
        for case in body_cases({"points": {"transfer_fee": "0%"}}):
            if isinstance(case.field, str) and case.field not in ("body", "Content-Type"):
                case.field = type(case.field)("rules." + case.field)
            elif isinstance(case.field, tuple):
                case.field = tuple(f if f == "body" else "rules." + f for f in case.field)
            if case.what == "an empty key":  # a key of the rules, in brackets
                case.field = 'rules[""]'
            out += tag("bodies", [case])
    elif "body" in entry:
        base = entry["body"]
        schema = resolve(doc, op["requestBody"]["content"]["application/json"]["schema"])
        for what, v in object_cases(doc, schema, base, entry.get("free", set())):
            name = what.split(" ", 1)[0]
            field = "evil" if what == "unknown member" else name
            out += tag("body fields", [Case(what, body=v.text, field=field)])
        out += tag("bodies", body_cases(base))
    elif path.startswith("/api/v1/") and path != "/api/v1/openapi.json":
        if "requestBody" in op:
            raise AssertionError("%s %s takes a body: give it one in TABLE" % (method, path))
        out += tag("bodies", no_body_cases())
    if entry.get("ids"):  # with the valid body: the id is the only fault
        body = obj(list(entry["body"].items())) if "body" in entry else None
        out += tag("path ids", path_cases(entry["ids"], body))
    out += tag("query parameters", query_cases(doc, params, base_query))
    out += tag("credentials", auth_cases(entry["caller"], tokens))
    out += tag("headers", key_cases(op))
    if entry.get("key_required"):
        out += tag("headers", [Case("no Idempotency-Key", body=obj(list(entry["body"].items())),
                                    headers={"Idempotency-Key": None},
                                    field="Idempotency-Key")])
    if entry["caller"] == "payment":
        out += tag("credentials", signature_cases(entry["body"]))
    out += tag("the operation's own", entry.get("extra", []))
    return out


# ---- the store's digest -------------------------------------------------------------------------

_DIGEST_SQL = {}


def digest(db):
    """A hash of every row of every table of the store, by table."""
    if harness.is_url(db):
        if db not in _DIGEST_SQL:  # one query over every table (psql starts once a digest)
            tables = [r[0] for r in harness.query(
                db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
            _DIGEST_SQL[db] = " UNION ALL ".join(
                "SELECT '%s' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))"
                " AS h FROM %s x" % (t, t) for t in tables)
        return dict(harness.query(db, _DIGEST_SQL[db]))
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        out = {}
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")]
        for t in tables:
            rows = sorted(repr(r) for r in con.execute('SELECT * FROM "%s"' % t))
            out[t] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


# ---- running ------------------------------------------------------------------------------------

ERROR_CODES = {"invalid", "unauthorized", "forbidden", "not_found", "conflict", "too_large",
               "refused", "insufficient_balance", "rate_limited", "method_not_allowed"}


def send(conn, method, path, case, tokens, caller, body):
    headers = {}
    token = tokens.get(caller) if case.token is ANY else case.token
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        headers["Content-Type"] = "application/json"
        if caller == "payment" and case.sign:
            headers["X-Jifen-Signature"] = sign(body)
    if method != "GET":
        headers["Idempotency-Key"] = "hostile-%d" % next(SEQ)
    headers.update(case.headers)
    return conn.call(method, path, raw=body, headers=headers)


def counter():
    n = 0
    while True:
        n += 1
        yield n


SEQ = counter()


def target(path, entry, case):
    ids = case.path or entry.get("ids") or {}
    for name, v in ids.items():
        path = path.replace("{%s}" % name, v)
    query = case.query if case.query != "" else entry.get("query", {})
    if query:
        path += "?" + "&".join("%s=%s" % (k, v) for k, v in query.items())
    return path


def check(checks, op, case, status, answer, allowed):
    where = "%s %s [%s]: %s %s" % (op[0], op[1], case.what, status, str(answer)[:300])
    ok_status = case.statuses & allowed if case.statuses else allowed
    checks.expect(400 <= status < 500 and status in ok_status,
                  "%s: not one of the 4xx %s" % (where, sorted(ok_status)))
    checks.expect(isinstance(answer, dict) and set(answer) == {"error"}
                  and isinstance(answer["error"], dict), "%s: not an error body" % where)
    err = answer["error"]
    checks.expect(set(err) <= {"code", "message", "field"} and err.get("code") in ERROR_CODES
                  and isinstance(err.get("message"), str) and err["message"] != "",
                  "%s: not {code, message, field}" % where)
    checks.expect(field_ok(err.get("field"), case.field),
                  "%s: the field should be %r" % (where, case.field))


def run_tables(api, checks, doc, db, tokens, ctx):
    entries = table(ctx)
    ops = [(m.upper(), p) for p, item in doc["paths"].items() for m in item if m in METHODS]
    missing = sorted(set(ops) - set(entries))
    extra = sorted(set(entries) - set(ops))
    checks.expect(not missing, "operations of the document without a table entry: %s" % missing)
    checks.expect(not extra, "table entries without an operation in the document: %s" % extra)
    counts, kinds, failures = {}, collections.Counter(), []
    before = digest(db)
    for op in ops:
        method, path = op
        entry = entries[op]
        op_doc = doc["paths"][path][method.lower()]
        allowed = {int(s) for s in op_doc["responses"] if s.isdigit() and s.startswith("4")}
        cases = cases_of(doc, method, path, entry, tokens)
        for case in cases:
            kinds[case.kind] += 1
            status, answer = send(api, method, target(path, entry, case), case, tokens,
                                  entry["caller"], case.body)
            try:
                check(checks, op, case, status, answer, allowed)
            except AssertionError as e:  # every failure is listed, then the test fails
                failures.append(str(e))
        after = digest(db)
        changed = sorted(t for t in after if after[t] != before.get(t))
        if changed:
            failures.append("%s %s: its hostile cases changed %s" % (method, path, changed))
        before = after
        counts[op] = len(cases)
    checks.expect(not failures, "%d failures:\n%s" % (len(failures), "\n".join(failures)))
    return counts, kinds


def free_text(api, checks, tokens):
    """SQL and script text where any text is data: stored and answered byte for byte, and
    matching nothing it should not."""
    adm = tokens["admin"]
    names = SQL + SCRIPT + ["会员积分🙂"]
    for i, name in enumerate(names):
        s, a = api.call("POST", "/api/v1/admin/products",
                        {"id": "free-%d" % i, "name": name, "price": 100, "zone": "normal"},
                        token=adm)
        checks.expect(s == 201, "a product named %r: %d %s" % (name, s, a))
    s, page = api.call("GET", "/api/v1/admin/products?limit=200", token=adm)
    got = {p["id"]: p["name"] for p in page["items"]}
    checks.expect(all(got.get("free-%d" % i) == n for i, n in enumerate(names)),
                  "product names as given: %s" % got)
    for i, reason in enumerate(SQL + SCRIPT):
        s, a = api.call("POST", "/api/v1/admin/members/B/adjust",
                        {"asset": "points", "amount": i + 1, "reason": reason}, token=adm)
        checks.expect(s == 200, "an adjustment for %r: %d %s" % (reason, s, a))
    s, page = api.call("GET", "/api/v1/admin/audit?limit=50", token=adm)
    text = json.dumps(page, ensure_ascii=False)
    checks.expect(all(json.dumps(r, ensure_ascii=False)[1:-1] in text for r in SQL + SCRIPT),
                  "the reasons in the audit log as given: %s" % text[:500])
    s, a = api.call("GET", "/api/v1/admin/members/B", token=adm)
    checks.expect(s == 200 and a["balances"]["points"] >= sum(range(1, len(SQL + SCRIPT) + 1)),
                  "B's points: %s" % a)
    # a member whose password is SQL signs in with it, and only with it
    pw = "' OR 1=1 --"
    s, a = api.call("POST", "/api/v1/auth/register", {"phone": "13900000077", "password": pw})
    checks.expect(s == 201, "register with a password of SQL: %d %s" % (s, a))
    s, a = api.call("POST", "/api/v1/auth/login", {"phone": "13900000077", "password": pw})
    checks.expect(s == 200 and "token" in a, "sign in with it: %d %s" % (s, a))
    s, a = api.call("POST", "/api/v1/auth/login", {"phone": "13900000077",
                                                   "password": "' OR 1=2 --"})
    checks.expect(s == 401, "sign in with another: %d %s" % (s, a))
    s, a = api.call("POST", "/api/v1/admin/auth/login", {"username": "boss",
                                                         "password": "' OR '1'='1"})
    checks.expect(s == 401, "an admin password of SQL: %d %s" % (s, a))
    # the member search: SQL finds nobody; a phone finds its member
    for q in SQL + SCRIPT:
        s, a = api.call("GET", "/api/v1/admin/members?q=" + urllib.parse.quote(q), token=adm)
        checks.expect(s == 200 and a["items"] == [], "search %r: %d %s" % (q, s, a))
    s, a = api.call("GET", "/api/v1/admin/members?q=" + PHONES["C"], token=adm)
    checks.expect(s == 200 and [m["member"] for m in a["items"]] == ["C"],
                  "search a phone: %d %s" % (s, a))
    # answers are never sniffed as something else, nor kept by a cache
    conn = api.conn
    conn.request("GET", "/api/v1/me")
    r = conn.getresponse()
    r.read()
    checks.expect(r.getheader("X-Content-Type-Options") == "nosniff"
                  and r.getheader("Cache-Control") == "no-store"
                  and r.getheader("Content-Type", "").startswith("application/json"),
                  "API answers: %s" % r.getheaders())


def store_mode(checks, db):
    """A SQLite store and its write-ahead log are their owner's alone: they hold password and
    token hashes, phone numbers and balances."""
    if harness.is_url(db):
        return
    for path in (db, db + "-wal"):
        mode = os.stat(path).st_mode & 0o777
        checks.expect(mode & 0o077 == 0, "%s has mode %o" % (os.path.basename(path), mode))


def sign_in_limits(api, checks):
    """Ten failed sign-ins lock an account for the window, however its phone or name is
    written: the eleventh attempt is refused, its password not even tried."""
    phone = PHONES["B"]
    spellings = [phone, "+86" + phone, "%s %s %s" % (phone[:3], phone[3:7], phone[7:]),
                 " " + phone]
    for i in range(10):
        s, a = api.call("POST", "/api/v1/auth/login",
                        {"phone": spellings[i % len(spellings)], "password": "wrong-%d" % i})
        checks.expect(s == 401, "sign-in %d: %d %s" % (i, s, a))
    for spelled in spellings:
        s, a = api.call("POST", "/api/v1/auth/login", {"phone": spelled, "password": PASSWORD})
        checks.expect(s == 429 and a["error"]["field"] == "phone",
                      "the eleventh sign-in as %r: %d %s" % (spelled, s, a))
    for i in range(10):
        s, a = api.call("POST", "/api/v1/admin/auth/login",
                        {"username": "deputy", "password": "wrong-%d" % i})
        checks.expect(s == 401, "admin sign-in %d: %d %s" % (i, s, a))
    s, a = api.call("POST", "/api/v1/admin/auth/login",
                    {"username": "deputy", "password": "admin-secret"})
    checks.expect(s == 429 and a["error"]["field"] == "username",
                  "the eleventh admin sign-in: %d %s" % (s, a))


def sms_codes(api, checks, db):
    """A code asked for a phone nobody has is answered as one for a member, and sends nothing:
    the endpoint does not tell who is registered."""
    nobody = "13900000066"
    answers = [api.call("POST", "/api/v1/auth/sms-code", {"phone": p, "purpose": "reset_password"})
               for p in (PHONES["C"], nobody)]
    checks.expect(answers[0][0] == 200 and answers[0] == answers[1],
                  "a code for a member and for nobody: %s" % answers)
    sent = {p: harness.query(db, "SELECT count(*) FROM sms_outbox WHERE phone = ?", p)[0][0]
            for p in (PHONES["C"], nobody)}
    checks.expect(sent == {PHONES["C"]: 1, nobody: 0}, "messages: %s" % sent)


def fixture():
    now = datetime.datetime.now(SHANGHAI).isoformat(timespec="seconds")
    tea = [{"product": "tea", "qty": 1}]
    return harness.shop_lines(now) + [
        {"op": "adjust", "member": "A", "asset": "cash", "amount": 5000000, "reason": "fixture"},
        {"op": "adjust", "member": "A", "asset": "points", "amount": 500000, "reason": "fixture"},
        {"op": "order", "order": "o-pending", "member": "A", "items": tea, "offline": True},
        {"op": "order", "order": "o-paid", "member": "A", "items": tea},
        {"op": "order", "order": "o-done", "member": "A", "items": tea},
        {"op": "complete", "order": "o-done"},
        {"op": "order", "order": "o-b", "member": "B", "items": tea},
        {"op": "withdraw", "request": "w-1", "member": "A", "amount": 10000},
        {"op": "token_price", "price": "0.5"},
    ]


def main():
    jifen = sys.argv[1]
    harness.clear_of_midnight(SHANGHAI, margin=300)  # the cases name today and yesterday
    checks = harness.Checks()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "h")
        harness.create_store(jifen, db, fixture())
        harness.create_admin(jifen, db, "boss", "admin-secret")
        harness.create_admin(jifen, db, "deputy", "admin-secret")  # for the sign-in limit
        tokens = {"shop": harness.create_apikey(jifen, db, "shop-1")}
        env = dict(os.environ, JIFEN_PAYMENT_SECRET=SECRET)
        try:
            with harness.Server(jifen, "--db", db, "--settle-at", "off", env=env,
                                checks=checks) as srv:
                api = harness.Api(srv.url)
                s, a = api.call("POST", "/api/v1/admin/auth/login",
                                {"username": "boss", "password": "admin-secret"})
                tokens["admin"] = a["token"]
                s, a = api.call("POST", "/api/v1/auth/login",
                                {"phone": PHONES["A"], "password": PASSWORD})
                tokens["member"] = a["token"]
                s, me = api.call("GET", "/api/v1/me", token=tokens["member"])
                s, doc = api.call("GET", "/api/v1/openapi.json")
                store_mode(checks, db)
                counts, kinds = run_tables(api, checks, doc, db, tokens,
                                           {"invite": me["invite_code"]})
                free_text(api, checks, tokens)
                sign_in_limits(api, checks)
                sms_codes(api, checks, db)
                api.close()
            done = harness.run(jifen, "verify", "--db", db, check=False)
            checks.expect(done.returncode == 0, "verify: %s %s" % (done.stdout, done.stderr))
        except Exception as e:  # report; the server is stopped by the harness
            print("FAIL http hostile: %s" % e)
            return 1
    for (method, path), n in counts.items():
        print("  %4d  %s %s" % (n, method, path))
    print("  by kind: %s" % ", ".join("%d %s" % (kinds[k], k) for k in KINDS))
    print("http hostile: %d hostile cases on %d operations, each a 4xx naming its field and "
          "changing nothing; %d checks in %.1f s" % (sum(counts.values()), len(counts),
                                                     checks.count, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
