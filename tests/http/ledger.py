#!/usr/bin/env python3
"""A member's ledger explains the member's balances, end to end.

A store is built by `jifen replay` over six settled days (lots and their static releases,
share to the referrers, consumption points, transfers with a fee, exchanges, withdrawals
approved and rejected, dividends, an ad release, a refund that leaves a points debt which the
next day's release repays, tokens, admin adjustments; three days settled at once, two of them
with no transfer between their settlements). Then, with the server started on it, for every
member and for every asset and none:
  - walking every page of GET /me/ledger (3 entries a page) gives the member's transfers and
    release legs exactly as the tables hold them, in the ledger's order (a day's release legs
    right after the last transfer before its settlement, days that share that point by day, the
    kinds in their order), none missing and none twice;
  - the amounts of each asset add up to its balance in GET /me, the newest entry's balance after
    is that balance, each entry's balance after is the previous (older) one's plus its amount,
    and none is negative;
  - a page of one asset is the whole ledger's entries of that asset, balances after included;
  - GET /admin/members/{id}/ledger pages alike, and GET /admin/members/{id} shows the first 20;
  - the release legs are the days of GET /me/releases, one per non-zero kind and asset, at the
    time their day was settled.
Last, the migration that records each settled day's place in the ledger finds the same places
again on a copy of the store without them (SQLite only: the PostgreSQL schema has no such step),
and `jifen verify` reports a place that is wrong (on a copy of the store, either kind).

usage: ledger.py JIFEN"""
import datetime
import json
import sqlite3
import sys
import tempfile

import harness

PASSWORD = "jifen-test-password"  # what `jifen replay` gives the members it registers
PHONES = {"A": "13800000001", "B": "13800000002", "C": "13800000003", "D": "13800000004"}
ASSETS = ["cash", "points", "locked", "contribution", "redpacket", "voucher", "ad_points",
          "growth", "token"]
KINDS = ["static", "share", "team", "peer"]
PAGE = 3
EPOCH = datetime.date(1970, 1, 1)


def at(day, hm):
    return "2026-03-%02dT%s:00+08:00" % (day, hm)


def scenario():
    pack, honey, tea = ({"product": p, "qty": 1} for p in ("pack", "honey", "tea"))
    return [
        {"op": "rules", "rules": {"points": {"default_rate": "10%", "transfer_fee": "1%"},
                                  "withdraw": {"fee": "1%"},
                                  "contribution": {"income_from_orders": "5%"}}},
        {"op": "product", "id": "pack", "name": "Starter package", "price": 300000,
         "zone": "entry", "at": at(2, "08:00")},
        {"op": "product", "id": "honey", "name": "Wild honey", "price": 50000, "zone": "normal",
         "growth_ratio": "30%", "ad_ratio": "110%"},
        {"op": "product", "id": "tea", "name": "Tea", "price": 29800, "zone": "normal",
         "points": 2980},
        {"op": "register", "member": "A", "phone": PHONES["A"], "at": at(2, "09:00")},
        {"op": "register", "member": "B", "phone": PHONES["B"], "referrer": "A"},
        {"op": "register", "member": "C", "phone": PHONES["C"], "referrer": "B"},
        {"op": "register", "member": "D", "phone": PHONES["D"]},
        {"op": "order", "order": "a1", "member": "A", "items": [pack], "at": at(2, "10:00")},
        {"op": "complete", "order": "a1"},
        {"op": "order", "order": "b1", "member": "B", "items": [pack]},
        {"op": "complete", "order": "b1"},
        {"op": "order", "order": "c1", "member": "C", "items": [honey, tea]},
        {"op": "complete", "order": "c1"},
        {"op": "adjust", "member": "D", "asset": "cash", "amount": 50000, "reason": "welcome"},
        {"op": "withdraw", "request": "w1", "member": "D", "amount": 20000},
        {"op": "review", "request": "w1", "approve": True},
        {"op": "income", "day": "2026-03-02", "amount": 100000},
        {"op": "signin", "member": "A", "day": "2026-03-02"},
        {"op": "settle", "day": "2026-03-02"},
        # B gives most of its points away; the refund of b2 then claws back more points than B
        # has left: a debt, which B's release of the day repays
        {"op": "transfer", "from": "B", "to": "D", "asset": "points", "amount": 25000,
         "at": at(3, "09:00")},
        {"op": "order", "order": "b2", "member": "B", "items": [honey]},
        {"op": "complete", "order": "b2"},
        {"op": "exchange", "member": "B", "from": "points", "to": "contribution",
         "amount": 8000},
        {"op": "refund", "order": "b2"},
        {"op": "exchange", "member": "A", "from": "redpacket", "to": "voucher", "amount": 100},
        {"op": "ad_task", "member": "C", "day": "2026-03-03"},
        {"op": "settle", "day": "2026-03-03"},
        # three days settled at once: the first has transfers of its own, the other two none
        {"op": "order", "order": "c2", "member": "C", "items": [pack], "at": at(4, "09:00")},
        {"op": "complete", "order": "c2"},
        {"op": "adjust", "member": "A", "asset": "cash", "amount": 100000, "reason": "prize"},
        {"op": "withdraw", "request": "w2", "member": "A", "amount": 30000},
        {"op": "review", "request": "w2", "approve": False},
        {"op": "transfer", "from": "D", "to": "A", "asset": "points", "amount": 1000},
        {"op": "settle", "day": "2026-03-06", "at": at(7, "00:10")},
        {"op": "token_price", "price": "0.5", "at": at(7, "10:00")},
        {"op": "to_token", "member": "A", "points": 2000},
        {"op": "adjust", "member": "B", "asset": "points", "amount": -100, "reason": "correction"},
        {"op": "settle", "day": "2026-03-07", "at": at(8, "00:10")},
    ]


def rfc3339(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).isoformat()


def day_text(day):
    return (EPOCH + datetime.timedelta(days=day)).isoformat()


def expected_ledgers(db):
    """{member name: its entries as the tables hold them, newest first}, and the members' ids.
    The order: a transfer by its id; a day's release legs after transfer `transfer_seq` (the
    last one before the day's settlement), then by day, then static, share, team, peer, each
    locked then points."""
    names = dict(harness.query(db, "SELECT id, ext_id FROM members"))
    ledgers = {n: [] for n in names.values()}
    for tid, debit, credit, asset, amount, kind, ref, ts in harness.query(db, 
            "SELECT id, debit, credit, asset, amount, kind, ref, at FROM transfers"):
        for account, sign in ((credit, 1), (debit, -1)):
            if account > 0:
                ledgers[names[account // 16]].append(((tid, 0, 0, 0), {
                    "id": tid, "asset": ASSETS[asset], "amount": sign * amount, "kind": kind,
                    "ref": ref, "at": rfc3339(ts)}))
    for day, member, seq, settled_at, *amounts in harness.query(db, 
            "SELECT r.day, r.member, s.transfer_seq, s.settled_at, r.static, r.share, r.team, "
            "r.peer FROM releases r JOIN settlements s ON s.day = r.day"):
        for k, amount in enumerate(amounts):
            for points in (0, 1) if amount else ():
                ledgers[names[member]].append(((seq, 1, day, 2 * k + points), {
                    "id": None, "asset": "points" if points else "locked",
                    "amount": amount if points else -amount, "kind": "release_" + KINDS[k],
                    "ref": "day:" + day_text(day), "at": rfc3339(settled_at)}))
    return {n: [e for _, e in sorted(es, key=lambda x: x[0], reverse=True)]
            for n, es in ledgers.items()}


def walk(api, checks, path, token, asset):
    """Every entry of a ledger, page by page; the pages themselves too."""
    entries, pages, cursor = [], [], None
    while True:
        q = "?limit=%d" % PAGE + ("&asset=" + asset if asset else "")
        q += "&cursor=" + cursor if cursor else ""
        status, page = api.get(path + q, token=token)
        checks.expect(status == 200 and len(page["items"]) <= PAGE,
                      "GET %s%s: %d %s" % (path, q, status, page))
        entries += page["items"]
        pages.append(page)
        cursor = page["next_cursor"]
        checks.expect(cursor is None or len(page["items"]) == PAGE,
                      "a page that is not full ends the list: %s" % page)
        if cursor is None or len(pages) > 1000:
            return entries, pages


def check_balances(checks, who, entries, balances):
    """Amounts add up to the balances; each balance after follows from the older one."""
    running = {}
    for e in reversed(entries):
        a = e["asset"]
        running[a] = running.get(a, 0) + e["amount"]
        checks.expect(e["balance_after"] == running[a] and e["balance_after"] >= 0,
                      "%s: %r after the older entries of %s sum to %d" % (who, e, a, running[a]))
    for a in ASSETS:
        checks.expect(running.get(a, 0) == balances[a],
                      "%s %s: entries sum to %d, balance %d" % (who, a, running.get(a, 0),
                                                                balances[a]))
        newest = next((e for e in entries if e["asset"] == a), None)
        checks.expect(newest is None or newest["balance_after"] == balances[a],
                      "%s %s: newest %r, balance %d" % (who, a, newest, balances[a]))


def check_member(api, checks, t, name, expected):
    token, admin = t[name], t["admin"]
    status, me = api.get("/me", token=token)
    checks.expect(status == 200, "GET /me: %d %s" % (status, me))
    whole = None
    for asset in [None] + ASSETS:
        who = "%s %s" % (name, asset or "every asset")
        entries, pages = walk(api, checks, "/me/ledger", token, asset)
        _, admin_pages = walk(api, checks, "/admin/members/%s/ledger" % name, admin, asset)
        checks.expect(admin_pages == pages, "%s: the admin's pages differ" % who)
        want = [e for e in expected if asset is None or e["asset"] == asset]
        got = [{k: v for k, v in e.items() if k != "balance_after"} for e in entries]
        checks.expect(got == want, "%s: ledger\n%s\nexpected\n%s" % (
            who, json.dumps(got, indent=0), json.dumps(want, indent=0)))
        if asset is None:
            check_balances(checks, who, entries, me["balances"])
            whole = entries
        else:
            checks.expect(entries == [e for e in whole if e["asset"] == asset],
                          "%s: not the whole ledger's entries of the asset" % who)
    status, detail = api.get("/admin/members/" + name, token=admin)
    _, head = api.get("/me/ledger?limit=20", token=token)
    checks.expect(status == 200 and detail["ledger"] == head,
                  "%s: member detail %s, ledger %s" % (name, detail.get("ledger"), head))
    check_releases(api, checks, name, token, whole)


def check_releases(api, checks, name, token, entries):
    """The release legs are GET /me/releases, day by day and kind by kind."""
    status, rel = api.get("/me/releases?from=2026-03-01&to=2026-03-31", token=token)
    checks.expect(status == 200 and rel["next_cursor"] is None, "releases: %s" % rel)
    want = {}
    for r in rel["items"]:
        for kind in KINDS:
            if r[kind]:
                want[("day:" + r["day"], "release_" + kind, "points")] = r[kind]
                want[("day:" + r["day"], "release_" + kind, "locked")] = -r[kind]
    got = {(e["ref"], e["kind"], e["asset"]): e["amount"] for e in entries
           if e["kind"].startswith("release_") and e["id"] is None}
    legs = [e for e in entries if e["id"] is None]
    checks.expect(got == want and len(legs) == len(want) and all(
        e["kind"].startswith("release_") for e in legs),
        "%s: release legs %r, GET /me/releases %r" % (name, got, rel["items"]))


def check_cursors(api, checks, t):
    """Cursors: not a number is a 400; one below every entry gives an empty last page."""
    status, body = api.get("/me/ledger?cursor=abc", token=t["A"])
    checks.expect(status == 400 and body["error"]["field"] == "cursor",
                  "cursor abc: %d %s" % (status, body))
    status, body = api.get("/me/ledger?cursor=1", token=t["A"])
    checks.expect(status == 200 and body == {"items": [], "next_cursor": None},
                  "cursor 1: %d %s" % (status, body))


def check_migration(jifen, checks, db, tmp):
    """Migration 010 on a copy without the sequence points finds them again (on SQLite: the
    PostgreSQL schema has no such step); verify reports a wrong one (on both stores)."""
    want = harness.query(db, "SELECT day, transfer_seq FROM settlements ORDER BY day")
    ties = len(want) - len({seq for _, seq in want})
    checks.expect(len(want) == 6 and ties >= 1, "settled days %r" % want)
    old = harness.copy_store(db, tmp, "old")
    if harness.is_url(old):
        print("http ledger: migration 010 not checked on PostgreSQL: its schema is created "
              "whole by its first migration, with the sequence points (checked on SQLite)")
    else:
        # back to the schema of version 9: without the sequence points, and without what
        # migrations 012 (kept aside and put back: the release rows' runs are state) and 014 add
        con = sqlite3.connect(old)
        rows = con.execute("SELECT day, member, run, drawn FROM releases").fetchall()
        lots = con.execute("SELECT id, drawn_from FROM lots").fetchall()
        con.executescript("DROP VIEW balances; ALTER TABLE releases DROP COLUMN run; "
                          "ALTER TABLE releases DROP COLUMN drawn; "
                          "ALTER TABLE lots DROP COLUMN drawn_from; "
                          "ALTER TABLE settlements DROP COLUMN transfer_seq; "
                          "DROP INDEX members_net_dirty; "
                          "ALTER TABLE members DROP COLUMN net_dirty; "
                          "PRAGMA user_version = 9;")
        con.close()
        harness.run(jifen, "migrate", "--db", old)
        con = sqlite3.connect(old)
        con.executemany("UPDATE releases SET run = ?, drawn = ? WHERE day = ? AND member = ?",
                        [(r, d, day, m) for day, m, r, d in rows])
        con.executemany("UPDATE lots SET drawn_from = ? WHERE id = ?",
                        [(f, i) for i, f in lots])
        con.commit()
        con.close()
        got = harness.query(old, "SELECT day, transfer_seq FROM settlements ORDER BY day")
        checks.expect(got == want, "migrated %r, recorded %r" % (got, want))
    harness.execute(old, "UPDATE settlements SET transfer_seq = transfer_seq + 1 WHERE day = ?",
                    want[1][0])
    done = harness.run(jifen, "verify", "--db", old, check=False)
    checks.expect(done.returncode == 1 and "sequence point" in done.stdout + done.stderr,
                  "verify of a wrong sequence point: %d %s %s" % (done.returncode, done.stdout,
                                                                  done.stderr))


def main():
    jifen = sys.argv[1]
    checks = harness.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "l")
        harness.create_store(jifen, db, scenario())
        harness.run(jifen, "verify", "--db", db)
        harness.create_admin(jifen, db, "boss", "admin-secret")
        expected = expected_ledgers(db)
        try:
            with harness.Server(jifen, "--db", db, "--settle-at", "off", checks=checks) as srv:
                api = harness.Api(srv.url + "/api/v1")
                s, a = api.post("/admin/auth/login", {"username": "boss",
                                                      "password": "admin-secret"})
                t = {"admin": a["token"]}
                for name, phone in PHONES.items():
                    s, a = api.post("/auth/login", {"phone": phone, "password": PASSWORD})
                    t[name] = a["token"]
                for name in PHONES:
                    check_member(api, checks, t, name, expected[name])
                check_cursors(api, checks, t)
                api.close()
            check_migration(jifen, checks, db, tmp)
        except Exception as e:  # report; the server is stopped by the harness
            print("FAIL http ledger: %s" % e)
            return 1
    print("http ledger: %d checks" % checks.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
