#!/usr/bin/env python3
"""The admin's product list and product changes, the rules versions and the reports over HTTP,
on a store built by `jifen replay` from tests/report/ledger_days.jsonl: answers, paging, 401
without a token, 403 with a member's, 400 naming the field, 404, the audit entry of a change,
the Idempotency-Key, and the reports equal to what `jifen report` prints for the same store.

usage: admin_reports.py JIFEN"""
import json
import os
import sys
import tempfile

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "..", "report", "ledger_days.jsonl")
PASSWORD = "jifen-test-password"  # what `jifen replay` gives the members it registers


class Api:
    """The API calls and the checks of this test; a `doc` given as a string is sent as it is."""

    def __init__(self, url, checks):
        self.http = harness.Api(url + "/api/v1")
        self.expect = checks.expect

    def call(self, method, path, doc=None, token=None, key=None):
        if isinstance(doc, str):
            return self.http.call(method, path, raw=doc, token=token, key=key)
        return self.http.call(method, path, doc, token=token, key=key)

    def error(self, answer, code, status, field):
        """The answer is the error `status` naming `field` (None: no field expected)."""
        got, body = answer
        err = body.get("error", {}) if isinstance(body, dict) else {}
        self.expect(got == code and (field is None or err.get("field") == field),
                    "expected %d %s (%s), got %d %s" % (code, status, field, got, body))

    def guarded(self, method, path, member, doc=None):
        """401 without a token, 403 with a member's."""
        self.error(self.call(method, path, doc), 401, "unauthorized", None)
        self.error(self.call(method, path, doc, member), 403, "forbidden", None)


def products(api, admin, member):
    code, page = api.call("GET", "/admin/products?limit=2", None, admin)
    api.expect(code == 200 and len(page["items"]) == 2 and page["next_cursor"] is not None,
               "first page: %d %s" % (code, page))
    code, rest = api.call("GET", "/admin/products?cursor=" + page["next_cursor"], None, admin)
    items = page["items"] + rest["items"]
    api.expect(code == 200 and [p["id"] for p in items] == ["pack", "honey", "tea"]
               and rest["next_cursor"] is None, "second page: %d %s" % (code, rest))
    tea = items[2]
    api.expect(tea == {"id": "tea", "name": "Tea", "price": 29800, "zone": "normal",
                       "active": True, "stock": 47, "points": 2980, "points_rate": None,
                       "release_eligible": None, "ad_ratio": None, "growth_ratio": None,
                       "points_price": None, "updated_at": tea["updated_at"]},
               "tea: %s" % tea)
    api.expect(items[1]["growth_ratio"] == "0.3" and items[1]["ad_ratio"] == "1.1",
               "rates: %s" % items[1])
    code, entry = api.call("GET", "/admin/products?zone=entry", None, admin)
    api.expect([p["id"] for p in entry["items"]] == ["pack"], "zone: %s" % entry)
    api.error(api.call("GET", "/admin/products?zone=moon", None, admin), 400, "invalid", "zone")
    api.guarded("GET", "/admin/products", member)

    change = {"price": 25800, "stock": None, "points": None, "points_rate": "5%"}
    api.guarded("PATCH", "/admin/products/tea", member, change)
    for doc, field in (({"colour": "red"}, "colour"), ({"id": "x"}, "id"),
                       ({"price": "cheap"}, "price"), ({"price": -1}, "price"),
                       ({"price": None}, "price"), ({"name": None}, "name"),
                       ({"name": ""}, "name"), ({"zone": "moon"}, "zone"),
                       ({"active": "yes"}, "active"), ({"stock": 1.5}, "stock"),
                       ({"points_rate": "5 %"}, "points_rate"), ({"ad_ratio": 5}, "ad_ratio"),
                       ({"points_rate": "5%"}, "points_rate"),  # the product has points
                       ({"points_price": 100}, "points_price"),  # not a mall product
                       ({}, "body"), ("[1,2", "body")):
        api.error(api.call("PATCH", "/admin/products/tea", doc, admin), 400, "invalid", field)
    api.error(api.call("PATCH", "/admin/products/nope", {"price": 1}, admin), 404, "not_found",
              "id")
    code, p = api.call("PATCH", "/admin/products/tea", change, admin)
    api.expect(code == 200 and p["price"] == 25800 and p["stock"] is None and p["points"] is None
               and p["points_rate"] == "0.05" and p["name"] == "Tea" and p["zone"] == "normal"
               and p["replayed"] is False, "patch: %d %s" % (code, p))
    code, audit = api.call("GET", "/admin/audit?limit=1", None, admin)
    last = audit["items"][0]
    api.expect(last["action"] == "product_patch" and last["target"] == "tea"
               and last["before"] == "price=29800 stock=47 points=2980 points_rate=null"
               and last["after"] == "price=25800 stock=null points=null points_rate=0.05"
               and last["actor"].startswith("admin:"), "audit entry: %s" % last)

    # off sale with an Idempotency-Key: the same request again is a replay (no second audit
    # entry), another one with the key a conflict; the shop no longer lists the product
    key = "off-1"
    for replayed in (False, True):
        code, p = api.call("PATCH", "/admin/products/tea", {"active": False}, admin, key)
        api.expect(code == 200 and p["active"] is False and p["replayed"] is replayed,
                   "off sale (replayed %s): %d %s" % (replayed, code, p))
    api.error(api.call("PATCH", "/admin/products/tea", {"active": True}, admin, key), 409,
              "conflict", "Idempotency-Key")
    code, audit = api.call("GET", "/admin/audit?limit=2", None, admin)
    api.expect([a["after"] for a in audit["items"]] == ["active=false", last["after"]],
               "one audit entry per change: %s" % audit)
    code, shop = api.call("GET", "/products")
    api.expect("tea" not in [x["id"] for x in shop["items"]], "off sale: %s" % shop)
    code, listed = api.call("GET", "/admin/products?zone=normal", None, admin)
    api.expect([(x["id"], x["active"]) for x in listed["items"]] == [("honey", True),
                                                                     ("tea", False)],
               "the admin still sees it: %s" % listed)


def rules_versions(api, admin, member):
    code, r = api.call("PUT", "/admin/rules", {"withdraw": {"fee": "2%"}}, admin)
    api.expect(code == 200 and r["version"] == 3, "a new version: %d %s" % (code, r))
    code, page = api.call("GET", "/admin/rules/versions", None, admin)
    vs = page["items"]
    api.expect(code == 200 and [v["version"] for v in vs] == [3, 2, 1]
               and page["next_cursor"] is None, "versions: %d %s" % (code, page))
    api.expect(vs[0]["created_by"].startswith("admin:") and vs[0]["effective_day"] ==
               "2026-03-07" and vs[1]["created_by"] == "replay" and vs[2]["created_by"] is None,
               "who and when: %s" % vs)
    code, one = api.call("GET", "/admin/rules/versions?limit=1", None, admin)
    code, two = api.call("GET", "/admin/rules/versions?limit=1&cursor=" + one["next_cursor"],
                         None, admin)
    api.expect([v["version"] for v in one["items"] + two["items"]] == [3, 2], "paged: %s %s" %
               (one, two))
    code, v = api.call("GET", "/admin/rules/versions/3", None, admin)
    api.expect(code == 200 and v["rules"]["withdraw"]["fee"] == "2%" and v["version"] == 3,
               "version 3: %d %s" % (code, v))
    code, v = api.call("GET", "/admin/rules/versions/2", None, admin)
    api.expect(v["rules"]["withdraw"]["fee"] == "1%", "version 2 kept: %s" % v["rules"])
    api.error(api.call("GET", "/admin/rules/versions/99", None, admin), 404, "not_found", "id")
    api.error(api.call("GET", "/admin/rules/versions/x1", None, admin), 400, "invalid", "id")
    api.error(api.call("GET", "/admin/rules/versions/0", None, admin), 400, "invalid", "id")
    api.guarded("GET", "/admin/rules/versions", member)
    api.guarded("GET", "/admin/rules/versions/1", member)


def reports(api, admin, member, jifen, db):
    code, liab = api.call("GET", "/admin/reports/liabilities", None, admin)
    cli = json.loads(harness.run(jifen, "report", "liabilities", "--db", db, "--json").stdout)
    api.expect(code == 200 and liab == cli and liab["day_settled"] == "2026-03-06"
               and liab["assets"]["ad_points"]["debt"] > 0, "liabilities: %d %s" % (code, liab))
    code, daily = api.call("GET", "/admin/reports/daily?from=2026-03-01&to=2026-03-07", None,
                           admin)
    out = harness.run(jifen, "report", "daily", "--db", db, "--from", "2026-03-01", "--to",
                      "2026-03-07").stdout
    api.expect(code == 200 and daily["items"] == [json.loads(x) for x in out.splitlines()]
               and daily["from"] == "2026-03-01" and len(daily["items"]) == 7,
               "daily: %d %s" % (code, daily))
    last = daily["items"][-1]
    api.expect(all(last["assets"][a]["outstanding"] == liab["assets"][a]["outstanding"]
                   for a in liab["assets"]), "the last day is now: %s" % last)
    for query, field in (("to=2026-03-07", "from"), ("from=2026-03-01", "to"),
                         ("from=2026-3-1&to=2026-03-07", "from"),
                         ("from=2026-03-01&to=2026-02-30", "to"),
                         ("from=2026-03-07&to=2026-03-01", "to"),
                         ("from=2025-01-01&to=2026-01-02", "to")):
        api.error(api.call("GET", "/admin/reports/daily?" + query, None, admin), 400, "invalid",
                  field)
    code, year = api.call("GET", "/admin/reports/daily?from=2025-03-06&to=2026-03-06", None,
                          admin)
    api.expect(code == 200 and len(year["items"]) == 366, "366 days: %d" % code)
    api.guarded("GET", "/admin/reports/liabilities", member)
    api.guarded("GET", "/admin/reports/daily?from=2026-03-01&to=2026-03-07", member)
    bad = harness.run(jifen, "report", "daily", "--db", db, "--from", "2026-03-01", check=False)
    api.expect(bad.returncode == 2 and "usage" in bad.stderr, "cli without --to: %r" % bad)
    bad = harness.run(jifen, "report", "daily", "--db", db, "--from", "2026-03-01", "--to", "soon",
                      check=False)
    api.expect(bad.returncode == 2 and "to:" in bad.stderr, "cli bad --to: %r" % bad)


def main():
    jifen = sys.argv[1]
    checks = harness.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "r")
        harness.replay(jifen, db, SCENARIO)
        harness.create_admin(jifen, db, "boss", "admin-secret")
        try:
            with harness.Server(jifen, "--db", db, "--settle-at", "off", checks=checks) as srv:
                api = Api(srv.url, checks)
                code, a = api.call("POST", "/admin/auth/login", {"username": "boss",
                                                                 "password": "admin-secret"})
                admin = a["token"]
                code, m = api.call("POST", "/auth/login", {"phone": "13800000001",
                                                           "password": PASSWORD})
                member = m["token"]
                products(api, admin, member)
                rules_versions(api, admin, member)
                reports(api, admin, member, jifen, db)
        except Exception as e:  # report; the server is never left running
            print("FAIL http admin reports: %s" % e)
            return 1
    print("http admin reports: %d checks" % checks.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
