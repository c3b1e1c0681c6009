#!/usr/bin/env python3
"""The Idempotency-Key of every state-changing admin and shop-integration request, end to end.

For each operation: the request with a new key is applied (the state seen through the API
changes); the same request with the key again answers the first result (the same status,
200 where the first was 201, and the same fields, with replayed: true) and changes nothing;
another request with the key (another body, or another order or withdrawal in the path) is a
409 conflict naming Idempotency-Key and changes nothing. Then 32 threads send one keyed
request at once (an admin's adjustment, a task of the shop integration, a member's transfer):
it is applied once, and exactly one answer is not a replay. Last, keys are scoped to their
caller: the same key from another admin, from the API key and from a member is another key.

usage: idempotency.py JIFEN"""
import datetime
import sys
import tempfile
import threading
import time

import harness

PASSWORD = "jifen-test-password"  # what `jifen replay` gives the members it registers
PHONES = harness.SHOP_PHONES
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))  # the rules' default time zone
THREADS = 32


def day(offset=0):
    """A business day (YYYY-MM-DD) `offset` days from today."""
    return (datetime.datetime.now(SHANGHAI) + datetime.timedelta(days=offset)).date().isoformat()


def fixture():
    now = datetime.datetime.now(SHANGHAI).isoformat(timespec="seconds")
    lines = harness.shop_lines(now) + [
        {"op": "adjust", "member": "A", "asset": "cash", "amount": 5000000, "reason": "fixture"},
        {"op": "adjust", "member": "C", "asset": "points", "amount": 100000, "reason": "fixture"},
    ]
    tea = [{"product": "tea", "qty": 1}]
    for o in ("p1", "p2"):  # offline: awaiting an admin's confirmation
        lines.append({"op": "order", "order": o, "member": "A", "items": tea, "offline": True})
    for o in ("d1", "d2", "r1"):
        lines.append({"op": "order", "order": o, "member": "A", "items": tea})
    for w in ("w1", "w2", "w3"):
        lines.append({"op": "withdraw", "request": w, "member": "A", "amount": 10000})
    return lines


class Case:
    """One keyed operation: `first` is (method, path, body) of the request sent twice with the
    key, `other` another request sent with the key; `token` says who calls."""

    def __init__(self, name, token, first, other, created=False):
        self.name, self.token, self.first, self.other = name, token, first, other
        self.created = created


def cases(t):
    adm, shop = t["admin"], t["shop"]
    product = {"id": "book", "name": "Book", "price": 5000, "zone": "normal", "stock": 10}
    task = {"phone": PHONES["C"], "kind": "video", "contribution": 300}
    shop_order = {"order": "s1", "phone": PHONES["B"], "items": [{"product": "tea", "qty": 1}]}
    return [
        Case("adjust", adm,
             ("POST", "/admin/members/B/adjust", {"asset": "cash", "amount": 100, "reason": "x"}),
             ("POST", "/admin/members/B/adjust", {"asset": "cash", "amount": 101, "reason": "x"})),
        Case("freeze", adm,
             ("POST", "/admin/members/C/freeze", {"withdrawals": True, "all": False}),
             ("POST", "/admin/members/C/freeze", {"withdrawals": True, "all": True})),
        Case("income", adm, ("POST", "/admin/income", {"day": day(), "amount": 7000}),
             ("POST", "/admin/income", {"day": day(), "amount": 7001})),
        Case("agents", adm,
             ("POST", "/admin/agents", {"member": "A", "level": "city", "region": "110100"}),
             ("POST", "/admin/agents", {"member": "B", "level": "county", "region": "110101"})),
        Case("token-price", adm, ("POST", "/admin/token-price", {"price": "0.25"}),
             ("POST", "/admin/token-price", {"price": "0.26"})),
        Case("products", adm, ("POST", "/admin/products", product),
             ("POST", "/admin/products", dict(product, price=5001)), created=True),
        Case("confirm-payment", adm, ("POST", "/admin/orders/p1/confirm-payment", None),
             ("POST", "/admin/orders/p2/confirm-payment", None)),
        Case("complete", adm, ("POST", "/admin/orders/d1/complete", None),
             ("POST", "/admin/orders/d2/complete", None)),
        Case("refund", adm, ("POST", "/admin/orders/r1/refund", None),
             ("POST", "/admin/orders/d2/refund", None)),
        Case("approve", adm, ("POST", "/admin/withdrawals/w1/approve", None),
             ("POST", "/admin/withdrawals/w2/approve", None)),
        Case("reject", adm, ("POST", "/admin/withdrawals/w2/reject", None),
             ("POST", "/admin/withdrawals/w3/reject", None)),
        Case("settlements", adm, ("POST", "/admin/settlements", {"day": day(-1)}),
             ("POST", "/admin/settlements", {"day": day(-2)})),
        Case("rules", adm, ("PUT", "/admin/rules", {"withdraw": {"min": 20000}}),
             ("PUT", "/admin/rules", {"withdraw": {"min": 30000}})),
        Case("integration tasks", shop, ("POST", "/integration/tasks", task),
             ("POST", "/integration/tasks", dict(task, contribution=301))),
        Case("integration income", shop, ("POST", "/integration/income",
                                          {"day": day(), "amount": 9000}),
             ("POST", "/integration/income", {"day": day(), "amount": 9001})),
        Case("integration orders", shop, ("POST", "/integration/orders", shop_order),
             ("POST", "/integration/orders", dict(shop_order, order="s2")), created=True),
        Case("integration complete", shop, ("POST", "/integration/orders/s1/complete", None),
             ("POST", "/integration/orders/d2/complete", None)),
        Case("integration refund", shop, ("POST", "/integration/orders/s1/refund", None),
             ("POST", "/integration/orders/d2/refund", None)),
    ]


def pages(api, path, token):
    """Every item of a paged list."""
    items, cursor = [], None
    while True:
        sep = "&" if "?" in path else "?"
        status, page = api.get(path + sep + "limit=200" + ("&cursor=" + cursor if cursor else ""),
                               token=token)
        if status != 200:
            raise AssertionError("GET %s: %d %s" % (path, status, page))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def state(api, t):
    """What the operations change, as the API shows it."""
    adm = t["admin"]
    members = {}
    for m in ("A", "B", "C"):
        status, d = api.get("/admin/members/" + m, token=adm)
        members[m] = (d["balances"], d["debts"], d["frozen"])
    audit = {}
    for a in pages(api, "/admin/audit", adm):
        audit[a["action"]] = audit.get(a["action"], 0) + 1
    return {
        "members": members,
        "audit": audit,
        "orders": {o["id"]: o["status"] for o in pages(api, "/admin/orders", adm)},
        "withdrawals": {w["request"]: w["status"] for w in pages(api, "/admin/withdrawals", adm)},
        "products": pages(api, "/admin/products", adm),
        "price": api.get("/token-price")[1],
        "settled": [s["day"] for s in pages(api, "/admin/settlements", adm)],
        "rules": api.get("/admin/rules/versions?limit=1", token=adm)[1]["items"],
    }


def diff(a, b):
    return sorted(k for k in a if a[k] != b[k])


def first_result(answer):
    """An answer without its replay flags (`already` is the settlement's name for `replayed`)."""
    return {k: v for k, v in answer.items() if k not in ("replayed", "already")}


def keyed(api, checks, t, case):
    """The request twice with a new key, then another request with the key."""
    method, path, body = case.first
    key = "idem-" + case.name.replace(" ", "-")
    before = state(api, t)
    s1, a1 = api.call(method, path, body, token=case.token, key=key)
    checks.expect(s1 == (201 if case.created else 200) and a1.get("replayed") is False,
                  "%s: %d %s" % (case.name, s1, a1))
    applied = state(api, t)
    checks.expect(diff(before, applied) != [], "%s: nothing changed" % case.name)
    s2, a2 = api.call(method, path, body, token=case.token, key=key)
    checks.expect(s2 == 200 and a2.get("replayed") is True
                  and first_result(a2) == first_result(a1),
                  "%s replayed: %d %s, first %d %s" % (case.name, s2, a2, s1, a1))
    again = state(api, t)
    checks.expect(diff(applied, again) == [], "%s replayed changed %s" % (
        case.name, diff(applied, again)))
    method, path, body = case.other
    s3, a3 = api.call(method, path, body, token=case.token, key=key)
    err = a3.get("error", {}) if isinstance(a3, dict) else {}
    checks.expect(s3 == 409 and err.get("code") == "conflict"
                  and err.get("field") == "Idempotency-Key" and key in err.get("message", ""),
                  "%s with another request: %d %s" % (case.name, s3, a3))
    after = state(api, t)
    checks.expect(diff(applied, after) == [], "%s conflict changed %s" % (
        case.name, diff(applied, after)))


def ad_task(api, checks, t):
    """An ad task leaves nothing to read before the settlement: the natural once-a-day replay
    says whether it was recorded."""
    key, u = "idem-ad-task", "/integration/ad-tasks"
    first, other = {"phone": PHONES["A"], "day": day()}, {"phone": PHONES["B"], "day": day()}
    answers = [api.post(u, first, token=t["shop"], key=key) for _ in range(2)]
    checks.expect([(s, a["replayed"]) for s, a in answers] == [(200, False), (200, True)]
                  and first_result(answers[1][1]) == first_result(answers[0][1]),
                  "ad task twice: %s" % answers)
    s, a = api.post(u, other, token=t["shop"], key=key)
    checks.expect(s == 409 and a["error"]["field"] == "Idempotency-Key",
                  "ad task, another member: %d %s" % (s, a))
    s, a = api.post(u, first, token=t["shop"])
    checks.expect(s == 200 and a["replayed"] is True, "A's ad task was recorded: %d %s" % (s, a))
    s, a = api.post(u, other, token=t["shop"])
    checks.expect(s == 200 and a["replayed"] is False, "B's was not: %d %s" % (s, a))


def at_once(url, checks, t, token, method, path, body, key):
    """THREADS clients send one keyed request at the same moment: every answer is 2xx and
    exactly one is not a replay. Returns the answers."""
    answers = [None] * THREADS
    go = threading.Barrier(THREADS)

    def client(i):
        api = harness.Api(url)
        try:
            go.wait()
            answers[i] = api.call(method, path, body, token=token, key=key)
        except Exception as e:  # noqa: BLE001  (reported below)
            answers[i] = (0, str(e))
        finally:
            api.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    fresh = [a for s, a in answers if s in (200, 201) and a.get("replayed") is False]
    checks.expect(all(s in (200, 201) for s, a in answers) and len(fresh) == 1,
                  "%s %s from %d clients: %s" % (method, path, THREADS, answers))
    return answers


def concurrent(api, url, checks, t):
    """One adjustment, one integration task and one member's transfer, each from 32 clients with
    one key: applied once."""
    before = state(api, t)
    at_once(url, checks, t, t["admin"], "POST", "/admin/members/A/adjust",
            {"asset": "points", "amount": 777, "reason": "at once"}, "idem-at-once")
    at_once(url, checks, t, t["shop"], "POST", "/integration/tasks",
            {"phone": PHONES["A"], "kind": "game", "contribution": 55}, "idem-at-once")
    at_once(url, checks, t, t["C"], "POST", "/me/transfers",
            {"to_phone": PHONES["A"], "asset": "points", "amount": 1234}, "idem-at-once")
    after = state(api, t)
    a0, a1 = before["members"]["A"][0], after["members"]["A"][0]
    c0, c1 = before["members"]["C"][0], after["members"]["C"][0]
    checks.expect(a1["points"] == a0["points"] + 777 + 1234, "points once: %s -> %s" % (a0, a1))
    checks.expect(c1["points"] == c0["points"] - 1234, "C's points once: %s -> %s" % (c0, c1))
    checks.expect(a1["contribution"] == a0["contribution"] + 55,
                  "contribution once: %s -> %s" % (a0, a1))


def scopes(api, checks, t):
    """One key string from two admins, the API key and a member: four keys, four changes."""
    key, grant = "idem-shared", {"asset": "cash", "amount": 10, "reason": "scope"}
    before = state(api, t)["members"]["C"][0]
    for token in (t["admin"], t["admin2"]):
        s, a = api.post("/admin/members/C/adjust", grant, token=token, key=key)
        checks.expect(s == 200 and a["replayed"] is False, "admin's key: %d %s" % (s, a))
    s, a = api.post("/integration/tasks", {"phone": PHONES["C"], "kind": "novel",
                                           "contribution": 20}, token=t["shop"], key=key)
    checks.expect(s == 200 and a["replayed"] is False, "the API key's key: %d %s" % (s, a))
    s, a = api.post("/me/exchange", {"from": "points", "to": "contribution", "amount": 100},
                    token=t["C"], key=key)
    checks.expect(s == 201 and a["replayed"] is False, "a member's key: %d %s" % (s, a))
    after = state(api, t)["members"]["C"][0]
    checks.expect(after["cash"] == before["cash"] + 20
                  and after["contribution"] >= before["contribution"] + 20,
                  "every scope applied: %s -> %s" % (before, after))
    s, a = api.post("/admin/members/C/adjust", dict(grant, amount=11), token=t["admin2"], key=key)
    checks.expect(s == 409 and a["error"]["field"] == "Idempotency-Key",
                  "the second admin's key with another request: %d %s" % (s, a))


def main():
    jifen = sys.argv[1]
    # the cases name today and yesterday: not within two minutes of midnight
    now = datetime.datetime.now(SHANGHAI)
    left = 86400 - (now.hour * 3600 + now.minute * 60 + now.second)
    if left < 120:
        time.sleep(left + 2)
    checks = harness.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "i")
        harness.create_store(jifen, db, fixture())
        harness.create_admin(jifen, db, "boss", "admin-secret")
        harness.create_admin(jifen, db, "deputy", "admin-secret")
        t = {"shop": harness.create_apikey(jifen, db, "shop-1")}
        try:
            with harness.Server(jifen, "--db", db, "--settle-at", "off", checks=checks) as srv:
                api = harness.Api(srv.url + "/api/v1")
                for name, who in (("admin", "boss"), ("admin2", "deputy")):
                    s, a = api.post("/admin/auth/login", {"username": who,
                                                          "password": "admin-secret"})
                    t[name] = a["token"]
                s, a = api.post("/auth/login", {"phone": PHONES["C"], "password": PASSWORD})
                t["C"] = a["token"]
                for case in cases(t):
                    keyed(api, checks, t, case)
                ad_task(api, checks, t)
                concurrent(api, srv.url + "/api/v1", checks, t)
                scopes(api, checks, t)
                api.close()
        except Exception as e:  # report, the server is stopped by the harness
            print("FAIL http idempotency: %s" % e)
            return 1
    print("http idempotency: %d checks" % checks.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
