#!/usr/bin/env python3
"""Load with real HTTP clients: 50 concurrent clients, each signed in as its own member, do
points transfers and place orders among 200 members for a while (30 s by default,
JIFEN_LOAD_SECONDS to change it). Afterwards `jifen verify` passes, the points total is exactly
what was granted, and the ledger holds exactly one transfer per accepted transfer request.

usage: load.py JIFEN"""
import os
import random
import sys
import tempfile
import threading
import time

import harness

MEMBERS, CLIENTS, GRANT = 200, 50, 100000
PASSWORD = "jifen-test-password"  # what `jifen replay` gives the members it registers


def phone(i):
    return "139%08d" % i


def drive(url, seconds):
    """CLIENTS clients, each signed in as its own member, for `seconds`. Returns the counts of
    what they did and how long it took."""
    stats = {"transfers": 0, "refused": 0, "orders": 0, "errors": 0, "requests": 0}
    lock = threading.Lock()
    deadline = [None]
    logged = threading.Barrier(CLIENTS + 1)
    ready = threading.Barrier(CLIENTS + 1)

    def client(k):
        c = harness.Api(url + "/api/v1")
        rng = random.Random(k)
        code, body = c.post("/auth/login", {"phone": phone(k), "password": PASSWORD})
        token = body["token"] if code == 200 else None
        logged.wait()
        ready.wait()
        n = 0
        mine = {"transfers": 0, "refused": 0, "orders": 0, "errors": 0, "requests": 0}
        while time.monotonic() < deadline[0]:
            n += 1
            key = "c%d-%d" % (k, n)
            if rng.random() < 0.8:
                to = rng.randrange(MEMBERS)
                to = (to + 1) % MEMBERS if to == k else to
                code, body = c.post("/me/transfers",
                                    {"to_phone": phone(to), "asset": "points",
                                     "amount": rng.randint(1, 500)}, token=token, key=key)
                if code == 201:
                    mine["transfers"] += 1
                elif code == 422:
                    mine["refused"] += 1
                else:
                    mine["errors"] += 1
            else:
                code, body = c.post("/orders", {"items": [{"product": "tea", "qty": 1}]},
                                    token=token, key=key)
                if code == 201:
                    mine["orders"] += 1
                else:
                    mine["errors"] += 1
            mine["requests"] += 1
        with lock:
            for k2 in stats:
                stats[k2] += mine[k2]

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    logged.wait()  # every client signed in
    deadline[0] = time.monotonic() + seconds
    ready.wait()
    t0 = time.monotonic()
    for t in threads:
        t.join()
    return stats, time.monotonic() - t0


def main():
    jifen = sys.argv[1]
    seconds = float(os.environ.get("JIFEN_LOAD_SECONDS", "30"))
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "s")
        lines = ['{"op":"rules","rules":{"contribution":{"enabled":false}}}',
                 '{"op":"product","id":"tea","price":2980,"zone":"normal"}']
        for i in range(MEMBERS):
            lines.append('{"op":"register","member":"m%d","phone":"%s"}' % (i, phone(i)))
            lines.append('{"op":"adjust","member":"m%d","asset":"points","amount":%d,'
                         '"reason":"load"}' % (i, GRANT))
        harness.create_store(jifen, db, lines)
        try:
            with harness.Server(jifen, "--db", db, "--threads", "4", "--settle-at", "off",
                                stop_timeout=30) as srv:
                stats, took = drive(srv.url, seconds)
        except AssertionError as e:
            print("FAIL load: %s" % e)
            return 1
        ver = harness.run(jifen, "verify", "--db", db, check=False)
        (total, rows, orders), = harness.query(
            db, "SELECT (SELECT CAST(sum(balance) AS BIGINT) FROM balances "
                "WHERE asset = 1 AND owner > 0), "
                "(SELECT count(*) FROM transfers WHERE kind = 'transfer'), "
                "(SELECT count(*) FROM orders)")
        ok = (ver.returncode == 0 and total == MEMBERS * GRANT and
              rows == stats["transfers"] and orders == stats["orders"] and
              stats["errors"] == 0)
        print("load: %d clients, %.0f s, %d requests (%.0f/s): %d transfers, %d refused for "
              "lack of points, %d orders, %d errors; points total %d (granted %d); "
              "transfer rows %d; %s" % (CLIENTS, took, stats["requests"],
                                        stats["requests"] / took, stats["transfers"],
                                        stats["refused"], stats["orders"], stats["errors"],
                                        total, MEMBERS * GRANT, rows,
                                        "verify ok" if ver.returncode == 0 else ver.stdout))
        if not ok:
            print("FAIL load")
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
