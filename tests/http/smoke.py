#!/usr/bin/env python3
"""Starts `jifen serve` on a free loopback port with a fresh store, drives it with a real HTTP
client, checks the operations endpoints and the error conventions (JSON error bodies, 404,
405, 413) and the rules check (GET/POST /admin/rules/check, compliance.max_generations), then
stops it with SIGTERM and checks that it exits cleanly and printed the rules check's warnings at
start and after the rules changed.

usage: smoke.py JIFEN"""
import datetime
import hashlib
import hmac
import json
import os
import re
import sys
import tempfile

import harness

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))  # the default rules' time zone


def main():
    jifen = sys.argv[1]
    checks = harness.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "s")
        harness.create_admin(jifen, db, "boss", "admin-secret")
        env = dict(os.environ, JIFEN_PAYMENT_SECRET="pay-secret")
        shop = harness.create_apikey(jifen, db, "shop-1")
        try:
            with harness.Server(jifen, "--db", db, "--settle-at", "off", env=env,
                                checks=checks) as srv:
                drive(checks.expect, srv.url, db, shop)
                version = rules_check(checks.expect, srv.url)
            rules_warnings(checks.expect, srv.log, version)
            stored_rules_before_limit(checks.expect, jifen, db)
            settle_today_refused(checks.expect, jifen, db)
        except Exception as e:  # report; the server is never left running
            print("FAIL http smoke: %s" % e)
            return 1
    print("http smoke: %d checks against a real server on port %d; clean stop" %
          (checks.count, srv.port))
    return 0


def drive(expect, url, db, shop):
    root, api = harness.Api(url), harness.Api(url + "/api/v1")
    code, body = root.get("/healthz")
    expect(code == 200 and body == {"status": "ok"}, "healthz: %d %s" % (code, body))
    code, body = root.get("/no/such/route")
    err = body["error"]
    expect(code == 404 and err["code"] == "not_found", "404: %d %s" % (code, body))
    # a path that is not UTF-8 once decoded: its error quotes it with '?' for the bad byte
    # (it used to leave the answer without a body, and the server crashed)
    code, body = root.get("/api/v1/x%FF")
    err = body["error"]
    expect(code == 404 and err["message"] == "no route GET /api/v1/x?", "404: %d %s" % (code, body))
    code, body = root.post("/healthz")
    expect(code == 405 and body["error"]["code"] == "method_not_allowed",
           "405: %d %s" % (code, body))
    code, body = root.post("/healthz", raw=b"{" + b" " * 70000 + b"}")
    err = body["error"]
    expect(code == 413 and err["field"] == "body", "413: %d %s" % (code, body))
    code, body = root.get("/metrics")
    expect(code == 200 and 'jifen_http_requests_total{class="4xx"} 4' in body,
           "metrics: %d %s" % (code, body))

    code, body = root.get("/metrics")
    expect('jifen_http_request_seconds_bucket{le="+Inf"} 6' in body and
           "jifen_http_request_seconds_count 6" in body, "latency histogram: %s" % body)

    # accounts: register, invite, login, /me, logout, and every error class met here
    code, body = api.post("/auth/register", {"phone": "+86 138 0000 0001",
                                             "password": "secret-pass"})
    a = body
    expect(code == 201 and a["phone"] == "13800000001", "register: %d %s" % (code, body))
    code, body = api.post("/auth/register", {"phone": "13800000001", "password": "secret-pass"})
    expect(code == 409 and body["error"]["field"] == "phone",
           "duplicate phone: %d %s" % (code, body))
    for doc, field in (({"phone": "123", "password": "secret-pass"}, "phone"),
                       ({"phone": "13800000002", "password": "short"}, "password"),
                       ({"phone": "13800000002", "password": "long-enough", "x": 1}, "x"),
                       ({"password": "long-enough"}, "phone")):
        code, body = api.post("/auth/register", doc)
        expect(code == 400 and body["error"]["field"] == field,
               "bad register %r: %d %s" % (doc, code, body))
    code, body = api.post("/auth/register", raw="[1,2")
    expect(code == 400 and body["error"]["field"] == "body",
           "not JSON: %d %s" % (code, body))
    code, body = api.post("/auth/register", {"phone": "13900000002", "password": "another-pass",
                                             "invite_code": a["invite_code"]})
    expect(code == 201, "register with invite: %d %s" % (code, body))
    code, body = api.post("/auth/login", {"phone": "13900000002", "password": "wrong-pass"})
    expect(code == 401, "wrong password: %d %s" % (code, body))
    code, body = api.post("/auth/login", {"phone": "13900000002", "password": "another-pass"})
    auth = body["token"]
    expect(code == 200 and len(auth) == 43, "login: %d %s" % (code, body))
    code, body = api.get("/me", token=auth)
    me = body
    expect(code == 200 and me["referrer"] == a["member"] and me["balances"]["points"] == 0
           and me["debts"] == {}, "me: %d %s" % (code, body))
    code, body = api.get("/me")
    expect(code == 401, "me without a token: %d %s" % (code, body))
    code, body = api.get("/me", token="x" * 43)
    expect(code == 401, "me with an unknown token: %d %s" % (code, body))
    # member operations: sign-in once a day (the second answers as a replay), errors
    # naming the field, idempotency keys
    code, body = api.post("/me/signin", token=auth)
    expect(code == 201 and body["balances"]["contribution"] == 10000,
           "signin: %d %s" % (code, body))
    code, body = api.post("/me/signin", token=auth)
    expect(code == 200 and body["replayed"] is True,
           "signin again: %d %s" % (code, body))
    code, body = api.post("/me/transfers", {"to_phone": a["phone"], "asset": "points",
                                            "amount": 100}, token=auth)
    expect(code == 422 and body["error"]["field"] == "amount",
           "transfer without points: %d %s" % (code, body))
    code, body = api.post("/me/transfers", {"to_phone": "13800000009", "asset": "points",
                                            "amount": 100}, token=auth)
    expect(code == 404, "transfer to nobody: %d %s" % (code, body))
    code, body = api.post("/me/withdrawals", {"amount": 10000}, token=auth)
    expect(code == 400 and body["error"]["field"] == "Idempotency-Key",
           "withdrawal without a key: %d %s" % (code, body))
    code, body = api.post("/me/exchange", {"from": "redpacket", "to": "voucher",
                                           "amount": "5"}, token=auth)
    expect(code == 400 and body["error"]["field"] == "amount",
           "amount as a string: %d %s" % (code, body))
    code, body = api.post("/me/tokens", {"points": 100}, token=auth)
    expect(code == 422, "tokens without a price: %d %s" % (code, body))
    code, body = api.get("/growth")
    expect(code == 200 and body == {"pool": 0, "supply": 0, "price": "1"},
           "growth: %d %s" % (code, body))
    code, body = api.get("/token-price")
    expect(code == 200 and body == {"price": None},
           "token price: %d %s" % (code, body))
    code, body = api.post("/me/signin")
    expect(code == 401, "signin signed out: %d %s" % (code, body))

    # the shop: an admin creates a product, the member orders it offline, the admin
    # confirms the payment and completes it, points arrive; the member cannot use an
    # admin route; an Idempotency-Key replays the same order
    code, body = api.post("/admin/auth/login", {"username": "boss", "password": "wrong-one"})
    expect(code == 401, "admin wrong password: %d %s" % (code, body))
    code, body = api.post("/admin/auth/login", {"username": "boss", "password": "admin-secret"})
    admin = body["token"]
    expect(code == 200, "admin login: %d %s" % (code, body))
    code, body = api.post("/admin/products", {"id": "tea", "name": "Tea", "price": 29800,
                                              "zone": "normal", "points": 2980}, token=admin)
    expect(code == 201, "product: %d %s" % (code, body))
    code, body = api.post("/admin/products", {"id": "x", "price": 1, "zone": "moon"}, token=admin)
    expect(code == 400 and body["error"]["field"] == "zone",
           "bad zone: %d %s" % (code, body))
    code, body = api.get("/products?zone=normal")
    expect(code == 200 and body["items"][0]["id"] == "tea",
           "products: %d %s" % (code, body))
    code, body = api.get("/products?limit=500")
    expect(code == 400 and body["error"]["field"] == "limit",
           "limit: %d %s" % (code, body))
    order = {"items": [{"product": "tea", "qty": 2}], "offline": True}
    code, body = api.post("/orders", order, token=auth, key="o-1")
    o = body
    expect(code == 201 and o["status"] == "pending" and o["amount"] == 59600,
           "order: %d %s" % (code, body))
    code, body = api.post("/orders", order, token=auth, key="o-1")
    expect(code == 200 and body["id"] == o["id"], "order replayed: %d %s" %
           (code, body))
    code, body = api.post("/orders", {"items": [{"product": "tea", "qty": 3}]}, token=auth,
                          key="o-1")
    expect(code == 409, "same key, other order: %d %s" % (code, body))
    code, body = api.post("/admin/orders/" + o["id"] + "/complete", token=admin)
    expect(code == 409, "complete before payment: %d %s" % (code, body))
    # the payment provider: a wrong or missing signature changes nothing; a right one
    # marks the order paid, and again answers the same
    cb = json.dumps({"order": o["id"]})
    sig = hmac.new(b"pay-secret", cb.encode(), hashlib.sha256).hexdigest()
    code, body = api.post("/payments/callback", raw=cb)
    expect(code == 401, "callback unsigned: %d %s" % (code, body))
    code, body = api.post("/payments/callback", raw=cb,
                          headers={"X-Jifen-Signature": "0" * 64})
    expect(code == 401 and body["error"]["field"] == "X-Jifen-Signature",
           "callback badly signed: %d %s" % (code, body))
    code, body = api.get("/orders/" + o["id"], token=auth)
    expect(body["status"] == "pending", "still pending: %s" % body)
    for _ in range(2):
        code, body = api.post("/payments/callback", raw=cb,
                              headers={"X-Jifen-Signature": sig})
        expect(code == 200, "callback: %d %s" % (code, body))
    code, body = api.get("/orders/" + o["id"], token=auth)
    expect(body["status"] == "paid", "paid by the callback: %s" % body)
    adm = "/admin/orders/" + o["id"]
    code, body = api.post(adm + "/complete", token=auth)
    expect(code == 403, "member on an admin route: %d %s" % (code, body))
    code, body = api.post(adm + "/confirm-payment", token=admin)
    expect(code == 200 and body["status"] == "paid",
           "confirm (already paid: the same answer): %d %s" % (code, body))
    code, body = api.post(adm + "/complete", token=admin)
    expect(code == 200 and body["status"] == "completed",
           "complete: %d %s" % (code, body))
    code, body = api.get("/me", token=auth)
    expect(body["balances"]["points"] == 5960, "points: %s" % body)
    code, body = api.get("/orders/" + o["id"], token=auth)
    expect(code == 200 and body["status"] == "completed",
           "order get: %d %s" % (code, body))
    code, body = api.get("/orders/nope", token=auth)
    expect(code == 404, "unknown order: %d %s" % (code, body))
    # admin operations: token price, rules, income, agents, freeze
    code, body = api.post("/admin/token-price", {"price": "0.5"}, token=admin)
    expect(code == 200, "token price: %d %s" % (code, body))
    code, body = api.post("/me/tokens", {"points": 1000}, token=auth, key="t-1")
    expect(code == 201 and body["balances"]["token"] == 2000,
           "tokens: %d %s" % (code, body))
    code, body = api.call("PUT", "/admin/rules", {"release": {"daily_rate": "1,2%"}},
                          token=admin)
    expect(code == 400 and body["error"]["field"] == "rules.release.daily_rate",
           "bad rules: %d %s" % (code, body))
    code, body = api.call("PUT", "/admin/rules", {"withdraw": {"fee": "1%"}}, token=admin)
    expect(code == 200 and body["version"] == 2, "rules: %d %s" % (code, body))
    code, body = api.get("/admin/rules", token=admin)
    expect(code == 200 and body["rules"]["withdraw"]["fee"] == "1%",
           "rules get: %d %s" % (code, body))
    code, body = api.get("/admin/rules", token=auth)
    expect(code == 403, "rules as a member: %d %s" % (code, body))
    code, body = api.post("/admin/income", {"day": "2026-01-01", "amount": 100000}, token=admin)
    expect(code == 200, "income: %d %s" % (code, body))
    code, body = api.post("/admin/agents", {"member": a["member"], "level": "county",
                                            "region": "110100"}, token=admin)
    expect(code == 400 and body["error"]["field"] == "region",
           "bad agent region: %d %s" % (code, body))
    code, body = api.post("/admin/members/" + me["member"] + "/freeze",
                          {"withdrawals": True}, token=admin)
    expect(code == 200, "freeze: %d %s" % (code, body))
    code, body = api.post("/me/withdrawals", {"amount": 10000}, token=auth, key="w-1")
    expect(code == 422 and "frozen" in body["error"]["message"],
           "withdrawal while frozen: %d %s" % (code, body))
    # a withdrawal: cash granted, requested (held), listed, approved with the 1% fee
    code, body = api.post("/admin/members/" + me["member"] + "/freeze",
                          {"withdrawals": False}, token=admin)
    expect(code == 200, "unfreeze: %d %s" % (code, body))
    code, body = api.post("/admin/members/" + me["member"] + "/adjust",
                          {"asset": "cash", "amount": 30000, "reason": "test"}, token=admin)
    expect(code == 200, "grant cash: %d %s" % (code, body))
    code, body = api.post("/me/withdrawals", {"amount": 20000}, token=auth, key="w-2")
    expect(code == 201 and body["balances"]["cash"] == 10000,
           "withdraw: %d %s" % (code, body))
    code, body = api.get("/admin/withdrawals?status=pending", token=admin)
    pending = body["items"]
    expect(code == 200 and len(pending) == 1 and pending[0]["amount"] == 20000,
           "pending withdrawals: %d %s" % (code, body))
    code, body = api.post("/admin/withdrawals/" + pending[0]["request"] + "/approve",
                          token=admin)
    expect(code == 200, "approve: %d %s" % (code, body))
    code, body = api.get("/me/withdrawals", token=auth)
    w = body["items"][0]
    expect(w["status"] == "approved" and w["fee"] == 200, "my withdrawals: %s" % body)
    code, body = api.get("/admin/withdrawals?status=maybe", token=admin)
    expect(code == 400 and body["error"]["field"] == "status",
           "bad status: %d %s" % (code, body))
    code, body = api.post("/admin/settlements", {"day": "2026-13-01"}, token=admin)
    expect(code == 400 and body["error"]["field"] == "day",
           "bad day: %d %s" % (code, body))
    # a day that has not ended is not settled (every later event of it would be refused)
    code, before = api.get("/admin/settlements", token=admin)
    for offset in (0, 1, 3660):
        day = (harness.clear_of_midnight(SHANGHAI) + datetime.timedelta(days=offset)).date()
        code, body = api.post("/admin/settlements", {"day": day.isoformat()}, token=admin)
        expect(code == 422 and body["error"]["field"] == "day"
               and "has not ended" in body["error"]["message"],
               "settling %s, not ended: %d %s" % (day, code, body))
    code, after = api.get("/admin/settlements", token=admin)
    expect(after == before, "a refused settlement settles nothing: %s %s" % (before, after))

    # the shop integration with its API key: an order for a member by phone, completed;
    # a task; a member token or no key is refused
    so = {"order": "shop-1", "phone": "13900000002",
          "items": [{"product": "tea", "qty": 1}], "region": "110105"}
    code, body = api.post("/integration/orders", so, token=shop)
    expect(code == 201, "shop order: %d %s" % (code, body))
    code, body = api.post("/integration/orders", so, token=shop)
    expect(code == 200 and body["replayed"] is True,
           "shop order again: %d %s" % (code, body))
    code, body = api.post("/integration/orders", so, token=auth)
    expect(code == 401, "member token as an API key: %d %s" % (code, body))
    code, body = api.post("/integration/orders/shop-1/complete", token=shop)
    expect(code == 200, "shop complete: %d %s" % (code, body))
    code, body = api.post("/integration/tasks", {"phone": "13900000002", "kind": "video",
                                                 "contribution": 500}, token=shop)
    expect(code == 200, "shop task: %d %s" % (code, body))
    code, body = api.post("/integration/tasks", {"phone": "13900000002", "kind": "dance",
                                                 "contribution": 500}, token=shop)
    expect(code == 400 and body["error"]["field"] == "kind",
           "shop bad task: %d %s" % (code, body))
    code, body = api.get("/orders/shop-1", token=auth)
    expect(code == 200 and body["status"] == "completed",
           "the member sees the shop order: %d %s" % (code, body))

    # the ledger: every transfer of the member, the amount signed for it
    code, body = api.get("/me/ledger?asset=points", token=auth)
    led = body["items"]
    expect(code == 200 and led and all(e["asset"] == "points" for e in led)
           and any(e["kind"] == "consumption_points" and e["amount"] > 0 for e in led)
           and any(e["kind"] == "token_conversion" and e["amount"] == -1000 for e in led),
           "ledger: %d %s" % (code, body))
    code, body = api.get("/me/ledger?asset=gold", token=auth)
    expect(code == 400 and body["error"]["field"] == "asset",
           "ledger bad asset: %d %s" % (code, body))
    code, body = api.get("/me/releases?from=2026-01-01&to=2026-01-31", token=auth)
    expect(code == 200 and body["items"] == [], "releases: %d %s" %
           (code, body))
    code, body = api.get("/me/releases?from=2026-01-01&to=2027-06-01", token=auth)
    expect(code == 400 and body["error"]["field"] == "to",
           "releases span: %d %s" % (code, body))

    # admin lists: orders by status, the audit log of what the admins did
    code, body = api.get("/admin/orders?status=completed", token=admin)
    ids = [x["id"] for x in body["items"]]
    expect(code == 200 and o["id"] in ids and "shop-1" in ids, "admin orders: %d %s" %
           (code, body))
    code, body = api.get("/admin/orders?status=lost", token=admin)
    expect(code == 400, "bad order status: %d %s" % (code, body))
    code, body = api.get("/admin/audit?limit=200", token=admin)
    actions = [x["action"] for x in body["items"]]
    expect(code == 200 and "withdrawal_approve" in actions and "freeze" in actions
           and "rules_update" in actions and "token_price" in actions,
           "audit: %d %s" % (code, body))

    # the team: A referred the signed-in member, whose shop order counts in A's team
    code, body = api.get("/admin/members/" + a["member"], token=admin)
    team = body["team"]
    expect(code == 200 and team["members"] == 1 and team["performance"] == 59600 + 29800
           and team["generations"][0]["generation"] == 1,
           "admin member detail: %d %s" % (code, body))
    code, body = api.get("/admin/members/" + a["member"] + "/team?generation=1", token=admin)
    expect(code == 200 and [m["member"] for m in body["items"]] == [me["member"]]
           and body["items"][0]["performance"] == body["items"][0]["performance_cash"]
           + body["items"][0]["performance_points"],
           "admin member team, generation 1: %d %s" % (code, body))
    code, body = api.get("/admin/members/" + a["member"] + "/team?generation=2", token=admin)
    expect(code == 200 and body["items"] == [], "admin member team, generation 2: %d %s" %
           (code, body))
    code, body = api.get("/admin/members/" + me["member"] + "/lots", token=admin)
    expect(code == 200 and "items" in body, "admin member lots: %d %s" % (code, body))
    code, body = api.get("/admin/orders?status=completed", token=admin)
    expect(code == 200 and all(x["member"] for x in body["items"])
           and me["member"] in [x["member"] for x in body["items"]],
           "admin orders name the member: %d %s" % (code, body))
    code, body = api.get("/admin/members?q=1390", token=admin)
    found = body["items"]
    expect(code == 200 and [m["phone"] for m in found] == ["13900000002"],
           "admin search: %d %s" % (code, body))
    code, body = api.get("/me/team/summary", token=auth)
    expect(code == 200 and body["members"] == 0, "own team: %d %s" %
           (code, body))
    code, body = api.get("/me/team?generation=0", token=auth)
    expect(code == 400 and body["error"]["field"] == "generation",
           "generation 0: %d %s" % (code, body))

    # an admin's sign-out revokes that session only
    code, body = api.post("/admin/auth/login", {"username": "boss", "password": "admin-secret"})
    other = body["token"]
    code, body = api.post("/admin/auth/logout", token=other)
    expect(code == 200 and body == {"revoked": True}, "admin logout: %d %s" % (code, body))
    code, body = api.get("/admin/audit?limit=1", token=other)
    expect(code == 401, "admin token after logout: %d %s" % (code, body))
    code, body = api.get("/admin/audit?limit=1", token=admin)
    expect(code == 200, "the other admin session stays: %d %s" % (code, body))

    # password reset by SMS code: the log sender's outbox holds the message
    code, body = api.post("/auth/sms-code", {"phone": "13800000001", "purpose": "reset_password"})
    expect(code == 200, "sms code: %d %s" % (code, body))
    code, body = api.post("/auth/sms-code", {"phone": "13800000001", "purpose": "reset_password"})
    expect(code == 429, "one code a minute: %d %s" % (code, body))
    text = harness.query(db, "SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC",
                         "13800000001")[0][0]
    sms = re.search(r"(\d{6})", text).group(1)
    wrong = "%06d" % ((int(sms) + 1) % 1000000)
    code, body = api.post("/auth/reset-password", {"phone": "13800000001", "code": wrong,
                                                   "new_password": "brand-new-pass"})
    expect(code == 401 and body["error"]["field"] == "code",
           "wrong code: %d %s" % (code, body))
    code, body = api.post("/auth/reset-password", {"phone": "13800000001", "code": sms,
                                                   "new_password": "brand-new-pass"})
    expect(code == 200, "reset: %d %s" % (code, body))
    code, body = api.post("/auth/reset-password", {"phone": "13800000001", "code": sms,
                                                   "new_password": "brand-new-pass"})
    expect(code == 422, "a used code: %d %s" % (code, body))
    code, body = api.post("/auth/login", {"phone": "13800000001", "password": "brand-new-pass"})
    expect(code == 200, "login with the new password: %d %s" % (code, body))

    # sign-in attempts are limited per account: 10 in 15 minutes, then 429
    codes = [api.post("/auth/login", {"phone": "13700000099", "password": "whatever-1"})[0]
             for _ in range(11)]
    expect(codes[:10] == [401] * 10 and codes[10] == 429, "rate limit: %r" % codes)

    code, body = api.post("/auth/logout", token=auth)
    expect(code == 200, "logout: %d %s" % (code, body))
    code, body = api.get("/me", token=auth)
    expect(code == 401, "me after logout: %d %s" % (code, body))
    # every route of the OpenAPI document answers (not 404), with JSON
    code, body = root.get("/api/v1/openapi.json")
    spec = body
    expect(code == 200 and spec["openapi"].startswith("3.1"), "openapi: %d" % code)
    for path, ops in spec["paths"].items():
        for method in ops:
            code, body = root.call(method.upper(), path.replace("{id}", "none"))
            expect(code != 404 or "{id}" in path, "%s %s: %d" % (method, path, code))
            if path != "/metrics" and (body is None or isinstance(body, str)):
                raise ValueError("%s %s: not JSON: %r" % (method, path, body))


def rules_check(expect, url):
    """The rules check (SPEC 5.9) over HTTP: the rules in force, a draft, the compliance limit
    refusing a draft and a new version, then accepting cut rules. Returns their version."""
    api = harness.Api(url + "/api/v1")
    code, body = api.post("/admin/auth/login", {"username": "boss", "password": "admin-secret"})
    admin = body["token"]
    code, body = api.get("/admin/rules/check", token=admin)
    expect(code == 200 and body["draft"] is False, "rules check: %d %s" % (code, body))
    rewards = {w["id"]: w for w in body["rewards"]}
    expect(rewards["team"]["reach"] == "unlimited" and rewards["peer"]["reach"] == "unlimited"
           and rewards["share"]["generations"] == 2
           and rewards["friend_consumption"]["generations"] == 3
           and rewards["friend_first_purchase"]["recruiting"] is True
           and rewards["commission"]["reach"] == "off",
           "rules check rewards: %s" % rewards)
    release = body["worst_cases"]["release"]
    expect([t["days_to_exit"] for t in release["tiers"]] == [209, 250, 292, 334]
           and release["paid_upward"]["total_ppm"] == 1510000,
           "rules check worst cases: %s" % release)
    expect([w["code"] for w in body["warnings"]] == ["beyond_two_generations", "recruiting"]
           and "《禁止传销条例》" in body["warnings"][0]["zh"]
           and "224-1" in body["warnings"][0]["en"], "rules check warnings: %s" % body["warnings"])
    version = body["version"]
    code, body = api.get("/admin/rules/check", token=None)
    expect(code == 401, "rules check without a session: %d %s" % (code, body))

    # max_generations 2: the defaults are refused, as a draft and as a new version
    limit = {"compliance": {"max_generations": 2}}
    for method, path in (("POST", "/admin/rules/check"), ("PUT", "/admin/rules")):
        code, body = api.call(method, path, limit, token=admin)
        err = body["error"]
        expect(code == 422 and err["field"] == "rules.compliance.max_generations"
               and "release.ranks (unlimited)" in err["message"]
               and "contribution.friend_task (3 generations)" in err["message"],
               "%s %s with max_generations 2: %d %s" % (method, path, code, body))
    # cut to two generations (no ranks, no peer, friend rewards of two): accepted
    cut = {"compliance": {"max_generations": 2},
           "release": {"ranks": [], "peer": "0%", "share": ["50%", "30%"]},
           "contribution": {"friend_consumption": {"rates": ["5%", "2.5%"]},
                            "friend_task": ["5%", "2.5%"]}}
    code, body = api.post("/admin/rules/check", cut, token=admin)
    expect(code == 200 and body["draft"] is True and body["version"] == version
           and [w["code"] for w in body["warnings"]] == ["recruiting"]
           and body["compliance"]["deepest_generations"] == 2,
           "draft check: %d %s" % (code, body))
    code, body = api.get("/admin/rules/check", token=admin)
    expect(code == 200 and body["version"] == version, "a draft is not saved: %s" % body)
    code, body = api.call("PUT", "/admin/rules", cut, token=admin)
    expect(code == 200 and body["version"] == version + 1, "cut rules: %d %s" % (code, body))
    code, body = api.get("/admin/rules/check", token=admin)
    expect(code == 200 and body["compliance"]["max_generations"] == 2
           and body["compliance"]["refused"] == []
           and [w["code"] for w in body["warnings"]] == ["recruiting"],
           "rules check after the cut: %d %s" % (code, body))
    # with the limit in force, a deeper change is refused
    code, body = api.call("PUT", "/admin/rules", {"release": {"share": ["1%"] * 3}}, token=admin)
    expect(code == 422 and "release.share (3 generations)" in body["error"]["message"],
           "a deeper share under the limit: %d %s" % (code, body))
    return version + 1


def rules_warnings(expect, log, v):
    """`jifen serve` printed the rules check's warnings at start and after the new version v."""
    text = "".join(log)
    expect("jifen serve: rules check: 2 warnings" in text
           and "jifen serve: warning beyond_two_generations: 以下奖励" in text
           and "jifen serve: warning recruiting: These rewards pay a member for recruiting" in text,
           "warnings at start: %s" % text[-3000:])
    expect("jifen serve: rules version %d: rules check: 1 warning" % v in text
           and "jifen serve: rules version %d: warning recruiting:" % v in text
           and "rules version %d: warning beyond_two" % v not in text,
           "warnings after a rules change: %s" % text[-3000:])


def settle_today_refused(expect, jifen, db):
    """`jifen settle` refuses a day that has not ended, as the API does, and settles nothing."""
    before = harness.query(db, "SELECT day FROM settlements ORDER BY day")
    today = harness.clear_of_midnight(SHANGHAI).date().isoformat()
    done = harness.run(jifen, "settle", "--db", db, "--day", today, check=False)
    expect(done.returncode == 1 and "day: %s has not ended" % today in done.stderr,
           "jifen settle of today: %d %s %s" % (done.returncode, done.stdout, done.stderr))
    expect(harness.query(db, "SELECT day FROM settlements ORDER BY day") == before,
           "a refused settle settles nothing")


def stored_rules_before_limit(expect, jifen, db):
    """A store whose newest rules version is deeper than its own max_generations (as one saved
    before the limit was enforced could be) still opens: `jifen verify` runs, `jifen rules
    check` shows the rules with the refusal (exit status 1), and a new version is held to the
    limit."""
    (version, doc), = harness.query(
        db, "SELECT version, doc FROM rules_versions ORDER BY version DESC LIMIT 1")
    rules = json.loads(doc)
    expect(rules["compliance"]["max_generations"] == 2, "the cut rules are the newest")
    rules["release"]["ranks"] = [{"name": "bronze", "min": 5000000, "rate": "10%"}]
    harness.execute(db, "UPDATE rules_versions SET doc = ? WHERE version = ?",
                    json.dumps(rules, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                    version)
    done = harness.run(jifen, "verify", "--db", db, check=False)
    expect(done.returncode == 0, "verify on rules deeper than their limit: %s %s" %
           (done.stdout, done.stderr))
    done = harness.run(jifen, "rules", "check", "--db", db, check=False)
    expect(done.returncode == 1 and "release.ranks  REFUSED 超限" in done.stdout
           and "compliance.max_generations: these rewards reach deeper than 2 generations: "
               "release.ranks (unlimited)" in done.stderr,
           "rules check of stored rules deeper than their limit: %d %s %s" %
           (done.returncode, done.stdout[-500:], done.stderr))
    with harness.Server(jifen, "--db", db, "--settle-at", "off") as srv:
        api = harness.Api(srv.url + "/api/v1")
        code, body = api.post("/admin/auth/login", {"username": "boss",
                                                    "password": "admin-secret"})
        code, body = api.call("PUT", "/admin/rules", {"withdraw": {"fee": "2%"}},
                              token=body["token"])
        expect(code == 422 and body["error"]["field"] == "rules.compliance.max_generations",
               "a new version over rules deeper than their limit: %d %s" % (code, body))
    expect("jifen serve: warning beyond_two_generations" in "".join(srv.log),
           "the warnings at start: %s" % "".join(srv.log)[-2000:])


if __name__ == "__main__":
    sys.exit(main())
