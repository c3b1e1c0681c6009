#!/usr/bin/env python3
"""One scenario, two ways: applied with `jifen replay` to one store, and through the HTTP API of
`jifen serve` on another fresh store. Afterwards every member's every balance, debt, lot, level
and rank is the same in both, and so are every account of the ledger (system accounts too),
the multiset of transfers, and the settled days' reports; `jifen verify` passes on both.

The scenario registers members with referrals, creates products, changes the rules twice,
places entry, normal and mall orders (by members online and offline, by the shop integration,
paid by the payment callback or confirmed by an admin), completes and refunds some (a
claw-back leaves a debt), transfers, exchanges and sells points, converts points to tokens,
signs in, records tasks, ad tasks and income, appoints an agent, freezes and unfreezes, asks
for withdrawals that are approved and rejected, and settles four days.

The server's business day is its clock's (Asia/Shanghai): every operation that happens "now"
falls on the server's today. D is four days ago, and the server runs with its clock set back
(libfaketime) so that its today is D: the members' own operations, orders and reviews are on
D; the later days D+1..D+3 get what names its day explicitly (ad tasks, income), a rules change
effective from the next unsettled day, and the settlements. A day is settled only once it has
ended, so before settling day X the server is started again on the same store with its clock
on X+1. At the replay's checkpoints (`snapshot`)
the server's answers (GET /api/v1/admin/members/{id}, GET /api/v1/me) are compared too.

usage: equivalence.py JIFEN"""
import datetime
import hashlib
import hmac
import json
import os
import sys
import tempfile

import harness

ASSETS = ["cash", "points", "locked", "contribution", "redpacket", "voucher", "ad_points",
          "growth", "token"]
PAY_SECRET = "equivalence-pay-secret"
ADMIN_PASSWORD = "admin-secret-1"
TZ = datetime.timezone(datetime.timedelta(hours=8))  # Asia/Shanghai, the rules' default zone
BACK = 4  # D, the scenario's first day, is this many days ago: its four days have all ended


def member(n):
    """The n-th member: the external id the server gives a phone ("p" + phone), and the phone."""
    phone = "138000000%02d" % n
    return "p" + phone, phone


M = {n: member(n)[0] for n in range(1, 7)}
PHONE = {member(n)[0]: member(n)[1] for n in range(1, 7)}


def scenario(today):
    """The scenario as replay ops. `_http` says which interface the HTTP run uses where there
    are several (shop: the integration API key; callback: the payment provider); it is not part
    of the replay line."""
    day = [(today + datetime.timedelta(days=i)).isoformat() for i in range(4)]
    tea, pack = [{"product": "tea", "qty": 1}], [{"product": "pack", "qty": 1}]
    ops = [
        {"op": "rules", "rules": {"ad": {"default_ratio": "110%"},
                                  "growth": {"default_ratio": "30%"},
                                  "withdraw": {"fee": "1%"}}},
        {"op": "product", "id": "tea", "name": "Tea", "price": 29800, "zone": "normal",
         "points": 2980},
        {"op": "product", "id": "pack", "name": "Pack", "price": 300000, "zone": "entry"},
        {"op": "product", "id": "pack9", "name": "Big pack", "price": 900000, "zone": "entry"},
        {"op": "product", "id": "mug", "name": "Mug", "price": 0, "zone": "mall",
         "points_price": 5000},
        {"op": "register", "member": M[1], "phone": PHONE[M[1]]},
        {"op": "register", "member": M[2], "phone": PHONE[M[2]], "referrer": M[1]},
        {"op": "register", "member": M[3], "phone": PHONE[M[3]], "referrer": M[2]},
        {"op": "register", "member": M[4], "phone": PHONE[M[4]], "referrer": M[2]},
        {"op": "register", "member": M[5], "phone": PHONE[M[5]], "referrer": M[3]},
        {"op": "register", "member": M[6], "phone": PHONE[M[6]], "referrer": M[5]},
        {"op": "agent", "member": M[1], "level": "county", "region": "110105"},
        {"op": "adjust", "member": M[1], "asset": "cash", "amount": 100000, "reason": "opening"},
        {"op": "adjust", "member": M[3], "asset": "points", "amount": 50000, "reason": "opening"},
        {"op": "order", "order": "o-1", "member": M[2], "items": pack, "region": "110105"},
        {"op": "complete", "order": "o-1"},
        {"op": "order", "order": "o-2", "member": M[3], "items": [{"product": "pack9", "qty": 1}],
         "region": "110105", "_http": "shop"},
        {"op": "complete", "order": "o-2", "_http": "shop"},
        {"op": "order", "order": "o-3", "member": M[4], "items": tea, "region": "110105",
         "offline": True},
        {"op": "confirm", "order": "o-3"},
        {"op": "complete", "order": "o-3"},
        {"op": "order", "order": "o-4", "member": M[3],
         "items": [{"product": "tea", "qty": 1}, {"product": "mug", "qty": 1}],
         "pay": {"points": 5000}},
        {"op": "complete", "order": "o-4"},
        {"op": "order", "order": "o-5", "member": M[4], "items": pack, "offline": True},
        {"op": "confirm", "order": "o-5", "_http": "callback"},
        {"op": "complete", "order": "o-5"},
        {"op": "refund", "order": "o-5"},
        {"op": "order", "order": "o-6", "member": M[5], "items": tea, "_http": "shop"},
        {"op": "refund", "order": "o-6", "_http": "shop"},
        {"op": "order", "order": "o-7", "member": M[6], "items": pack, "_http": "shop"},
        {"op": "complete", "order": "o-7", "_http": "shop"},
        # M4 passes on most of its points, then an order that paid some of them is refunded:
        # the claw-back finds too little and leaves a debt
        {"op": "order", "order": "o-8", "member": M[4], "items": tea},
        {"op": "complete", "order": "o-8"},
        {"op": "transfer", "from": M[4], "to": M[5], "asset": "points", "amount": 5000},
        {"op": "refund", "order": "o-8"},
        {"op": "transfer", "from": M[3], "to": M[5], "asset": "points", "amount": 1000},
        {"op": "exchange", "member": M[3], "from": "points", "to": "contribution", "amount": 500},
        {"op": "signin", "member": M[1], "day": day[0]},
        {"op": "signin", "member": M[2], "day": day[0]},
        {"op": "signin", "member": M[3], "day": day[0]},
        {"op": "task", "member": M[4], "kind": "video", "contribution": 500},
        {"op": "task", "member": M[5], "kind": "share", "contribution": 300},
        {"op": "ad_task", "member": M[2], "day": day[0]},
        {"op": "ad_task", "member": M[3], "day": day[0]},
        {"op": "sell", "member": M[2], "amount": 10000},
        {"op": "token_price", "price": "0.5"},
        {"op": "to_token", "member": M[3], "points": 1000},
        {"op": "withdraw", "request": "w-1", "member": M[1], "amount": 20000},
        {"op": "review", "request": "w-1", "approve": True},
        {"op": "withdraw", "request": "w-2", "member": M[1], "amount": 15000},
        {"op": "review", "request": "w-2", "approve": False},
        {"op": "freeze", "member": M[5], "withdrawals": True},
        {"op": "freeze", "member": M[5], "withdrawals": False},
        {"op": "income", "day": day[0], "amount": 500000},
        {"op": "snapshot"},
        {"op": "settle", "day": day[0]},
        {"op": "snapshot"},
        {"op": "rules", "rules": {"release": {"daily_rate": "1.5%"}}},
        {"op": "ad_task", "member": M[2], "day": day[1]},
        {"op": "ad_task", "member": M[3], "day": day[1]},
        {"op": "income", "day": day[1], "amount": 300000, "_http": "shop"},
        {"op": "settle", "day": day[1]},
        {"op": "snapshot"},
        {"op": "ad_task", "member": M[2], "day": day[2]},
        {"op": "settle", "day": day[2]},
        {"op": "snapshot"},
        {"op": "settle", "day": day[3]},
        {"op": "snapshot"},
    ]
    return ops


class Api:
    """The HTTP side: every answer's status checked, its JSON returned."""

    def __init__(self, url):
        self.http = harness.Api(url + "/api/v1")
        self.seq = 0

    def call(self, method, path, doc=None, token=None, headers=None, raw=None, key=None,
             expect=(200,)):
        status, answer = self.http.call(method, path, doc, token=token, key=key, raw=raw,
                                        headers=headers)
        if status not in expect:
            body = raw if raw is not None else (json.dumps(doc) if doc is not None else None)
            raise AssertionError("%s %s %s: %d %s" % (method, path, body, status,
                                                      json.dumps(answer)[:300]))
        return answer

    def key(self):
        self.seq += 1
        return "eq-%d" % self.seq


class HttpRun:
    """Applies replay ops through the API."""

    def __init__(self, api, admin, shop, today):
        self.api, self.admin, self.shop, self.today = api, admin, shop, today
        self.invite, self.token, self.request = {}, {}, {}

    def member_cmd(self, path, who, doc=None):
        return self.api.call("POST", path, doc, token=self.token[who], key=self.api.key(),
                             expect=(201,))

    def apply(self, op):
        a, kind, via = self.api, op["op"], op.get("_http")
        adm = {"token": self.admin}
        if kind == "rules":
            a.call("PUT", "/admin/rules", op["rules"], **adm)
        elif kind == "product":
            doc = {k: v for k, v in op.items() if k not in ("op", "_http")}
            a.call("POST", "/admin/products", doc, expect=(201,), **adm)
        elif kind == "register":
            doc = {"phone": op["phone"], "password": "http-pass-%s" % op["phone"]}
            if "referrer" in op:
                doc["invite_code"] = self.invite[op["referrer"]]
            r = a.call("POST", "/auth/register", doc, expect=(201,))
            assert r["member"] == op["member"], "registered as %s" % r["member"]
            self.invite[op["member"]] = r["invite_code"]
            login = {"phone": doc["phone"], "password": doc["password"]}
            self.token[op["member"]] = a.call("POST", "/auth/login", login)["token"]
        elif kind == "order" and via == "shop":
            doc = {"order": op["order"], "phone": PHONE[op["member"]], "items": op["items"]}
            if "region" in op:
                doc["region"] = op["region"]
            a.call("POST", "/integration/orders", doc, token=self.shop, expect=(201,))
        elif kind == "order":
            doc = {k: op[k] for k in ("order", "items", "pay", "region", "offline") if k in op}
            o = a.call("POST", "/orders", doc, token=self.token[op["member"]], expect=(201,))
            assert o["status"] == ("pending" if op.get("offline") else "paid"), o
        elif kind == "confirm" and via == "callback":
            body = json.dumps({"order": op["order"]})
            sig = hmac.new(PAY_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
            a.call("POST", "/payments/callback", raw=body, headers={"X-Jifen-Signature": sig})
        elif kind in ("confirm", "complete", "refund"):
            step = {"confirm": "confirm-payment"}.get(kind, kind)
            if via == "shop":
                a.call("POST", "/integration/orders/%s/%s" % (op["order"], step), token=self.shop)
            else:
                a.call("POST", "/admin/orders/%s/%s" % (op["order"], step), **adm)
        elif kind == "agent":
            a.call("POST", "/admin/agents", {k: op[k] for k in ("member", "level", "region")},
                   **adm)
        elif kind == "adjust":
            a.call("POST", "/admin/members/%s/adjust" % op["member"],
                   {k: op[k] for k in ("asset", "amount", "reason")}, **adm)
        elif kind == "transfer":
            self.member_cmd("/me/transfers", op["from"], {"to_phone": PHONE[op["to"]],
                                                          "asset": op["asset"],
                                                          "amount": op["amount"]})
        elif kind == "exchange":
            self.member_cmd("/me/exchange", op["member"],
                            {k: op[k] for k in ("from", "to", "amount")})
        elif kind == "signin":
            assert op["day"] == self.today.isoformat(), "a sign-in is on the server's day"
            self.member_cmd("/me/signin", op["member"])
        elif kind == "task":
            a.call("POST", "/integration/tasks", {"phone": PHONE[op["member"]],
                                                  "kind": op["kind"],
                                                  "contribution": op["contribution"]},
                   token=self.shop)
        elif kind == "ad_task":
            a.call("POST", "/integration/ad-tasks", {"phone": PHONE[op["member"]],
                                                     "day": op["day"]}, token=self.shop)
        elif kind == "sell":
            self.member_cmd("/me/growth/sell", op["member"], {"amount": op["amount"]})
        elif kind == "token_price":
            a.call("POST", "/admin/token-price", {"price": op["price"]}, **adm)
        elif kind == "to_token":
            self.member_cmd("/me/tokens", op["member"], {"points": op["points"]})
        elif kind == "withdraw":
            self.member_cmd("/me/withdrawals", op["member"], {"amount": op["amount"]})
            mine = a.call("GET", "/me/withdrawals", token=self.token[op["member"]])["items"]
            self.request[op["request"]] = mine[0]["request"]  # newest first
        elif kind == "review":
            a.call("POST", "/admin/withdrawals/%s/%s" % (
                self.request[op["request"]], "approve" if op["approve"] else "reject"), **adm)
        elif kind == "freeze":
            a.call("POST", "/admin/members/%s/freeze" % op["member"],
                   {"withdrawals": op["withdrawals"]}, **adm)
        elif kind == "income":
            doc = {"day": op["day"], "amount": op["amount"]}
            if via == "shop":
                a.call("POST", "/integration/income", doc, token=self.shop)
            else:
                a.call("POST", "/admin/income", doc, **adm)
        elif kind == "settle":
            r = a.call("POST", "/admin/settlements", {"day": op["day"]}, **adm)
            assert r["settled_to"] == op["day"] and r["already"] is False, r
        else:
            raise AssertionError("no HTTP way for op %s" % kind)

    def differences(self, snap, where):
        """What the server answers now that differs from a replay snapshot."""
        out = []
        for name, want in snap["members"].items():
            got = self.api.call("GET", "/admin/members/" + name, token=self.admin)
            me = self.api.call("GET", "/me", token=self.token[name])
            for asset in ASSETS:
                if got["balances"][asset] != want[asset] or me["balances"][asset] != want[asset]:
                    out.append("%s: %s %s: replay %d, HTTP admin %d, HTTP me %d" % (
                        where, name, asset, want[asset], got["balances"][asset],
                        me["balances"][asset]))
            for k, v in (("debts", "debt"), ("level", "level"), ("rank", "rank")):
                if me[k] != want[v]:
                    out.append("%s: %s %s: replay %r, HTTP %r" % (where, name, v, want[v], me[k]))
        return out


def replay_line(op, at):
    line = {k: v for k, v in op.items() if k != "_http"}
    if at is not None:
        line["at"] = at
    return json.dumps(line, sort_keys=True)


def store_state(db):
    """Every account's balance and debt, the transfers as a multiset (without their times and
    references), and the settlement reports (without their timings), read from the store."""
    owners = dict(harness.query(db, "SELECT id, ext_id FROM members"))

    def name(account):
        owner, asset = account // 16, account % 16
        return "%s/%d" % (owners.get(owner, "system%d" % owner), asset)

    accounts = {name(i): (b, d) for i, b, d in harness.query(db, 
        "SELECT id, balance, debt FROM balances WHERE balance <> 0 OR debt <> 0")}
    transfers = {}
    for debit, credit, asset, amount, kind in harness.query(db, 
            "SELECT debit, credit, asset, amount, kind FROM transfers"):
        k = "%s -> %s %d %s %d" % (name(debit), name(credit), asset, kind, amount)
        transfers[k] = transfers.get(k, 0) + 1
    reports = {}
    for day, report in harness.query(db, "SELECT day, report FROM settlements"):
        r = json.loads(report)
        r.pop("seconds", None)
        r.pop("stage_ms", None)
        reports[day] = r
    return accounts, transfers, reports


def diff_dicts(a, b, what):
    out = []
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            out.append("%s %s: replay %r, HTTP %r" % (what, k, a.get(k), b.get(k)))
    return out


def main():
    jifen = sys.argv[1]
    now = harness.clear_of_midnight(TZ) - datetime.timedelta(days=BACK)
    today = now.date()  # D, the scenario's first day, is the server's at first
    ops = scenario(today)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        db_replay, db_http = harness.store(tmp, "replay"), harness.store(tmp, "http")
        at = now.replace(microsecond=0).isoformat()
        try:
            out = harness.create_store(jifen, db_replay, [replay_line(op, at if i == 0 else None)
                                                          for i, op in enumerate(ops)])
        except harness.JifenError as e:
            print("FAIL equivalence: replay: %s" % e.stderr)
            return 1
        snaps = [json.loads(line) for line in out.splitlines()]

        harness.create_admin(jifen, db_http, "boss", ADMIN_PASSWORD)
        shop = harness.create_apikey(jifen, db_http, "shop-1")
        env = dict(os.environ, JIFEN_PAYMENT_SECRET=PAY_SECRET)
        try:
            run, checkpoint, i, days = None, 0, 0, -BACK
            while i < len(ops):
                # the server's clock: on D, then from each settlement on the day after its own
                if ops[i]["op"] == "settle":
                    days = (datetime.date.fromisoformat(ops[i]["day"]) - today).days + 1 - BACK
                with harness.Server(jifen, "--db", db_http, "--settle-at", "off",
                                    env=harness.clock_env(days, env), stop_timeout=30) as srv:
                    api = Api(srv.url)
                    if run is None:
                        admin = api.call("POST", "/admin/auth/login",
                                         {"username": "boss", "password": ADMIN_PASSWORD})["token"]
                        run = HttpRun(api, admin, shop, today)
                    run.api = api
                    start = i
                    while i < len(ops):
                        op = ops[i]
                        if op["op"] == "settle" and i > start:
                            break  # on a server whose clock is past its day
                        if op["op"] == "snapshot":
                            problems += run.differences(snaps[checkpoint],
                                                        "checkpoint %d" % checkpoint)
                            checkpoint += 1
                        else:
                            run.apply(op)
                        i += 1
                if datetime.datetime.now(TZ).date() != today + datetime.timedelta(days=BACK):
                    problems.append("the day changed during the run; run again")
        except Exception as e:  # an answer not as expected, or an unclean stop
            print("FAIL equivalence: %s" % e)
            return 1

        # the whole printed state of the HTTP store, by the same printer
        snap_only = os.path.join(tmp, "snapshot.jsonl")
        with open(snap_only, "w") as f:
            f.write('{"op":"snapshot"}\n')
        out = harness.replay(jifen, db_http, snap_only, check=False)
        if out.returncode != 0:
            problems.append("snapshot of the HTTP store: %s" % out.stderr.strip())
        http_snap = json.loads(out.stdout) if out.returncode == 0 else None
        final = snaps[-1]
        if http_snap != final:
            problems.append("the final states differ")
            for name in sorted(set(final["members"]) | set((http_snap or {}).get("members", {}))):
                problems += diff_dicts(final["members"].get(name, {}),
                                       (http_snap or {}).get("members", {}).get(name, {}),
                                       "member " + name)
            problems += diff_dicts({k: v for k, v in final.items() if k != "members"},
                                   {k: v for k, v in (http_snap or {}).items() if k != "members"},
                                   "state")
        for what, a, b in zip(("account", "transfers", "settlement of day"),
                              store_state(db_replay), store_state(db_http)):
            problems += diff_dicts(a, b, what)
        for db in (db_replay, db_http):
            ver = harness.run(jifen, "verify", "--db", db, check=False)
            if ver.returncode != 0:
                problems.append("verify %s: %s" % (os.path.basename(db), ver.stdout.strip()))
        if problems:
            for p in problems:
                print("FAIL " + p)
            print("FAIL equivalence: %d differences" % len(problems))
            return 1
        members = final["members"]
        debts = sum(1 for m in members.values() if m["debt"])
        print("equivalence: %d ops, %d members, %d checkpoints, settled through %s: replay and "
              "HTTP agree on every balance, debt (%d members owe), lot, level and rank, on %d "
              "accounts and %d transfers; verify ok on both" % (
                  len(ops), len(members), len(snaps), final["day_settled"], debts,
                  len(store_state(db_replay)[0]), sum(store_state(db_replay)[1].values())))
        return 0


if __name__ == "__main__":
    sys.exit(main())
