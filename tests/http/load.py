#!/usr/bin/env python3
"""Load with real HTTP clients: 50 concurrent clients, each signed in as its own member, do
points transfers and place orders among 200 members for a while (30 s by default,
JIFEN_LOAD_SECONDS to change it). Afterwards `jifen verify` passes, the points total is exactly
what was granted, and the ledger holds exactly one transfer per accepted transfer request.

usage: load.py JIFEN"""
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

MEMBERS, CLIENTS, GRANT = 200, 50, 100000
PASSWORD = "jifen-test-password"  # what `jifen replay` gives the members it registers


def phone(i):
    return "139%08d" % i


class Client:
    def __init__(self, port):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, doc=None, headers=None):
        body = json.dumps(doc) if doc is not None else None
        self.c.request(method, "/api/v1" + path, body=body, headers=headers or {})
        r = self.c.getresponse()
        return r.status, json.loads(r.read() or b"null")


def main():
    jifen = sys.argv[1]
    seconds = float(os.environ.get("JIFEN_LOAD_SECONDS", "30"))
    with tempfile.TemporaryDirectory() as tmp:
        db, scen = os.path.join(tmp, "s.db"), os.path.join(tmp, "s.jsonl")
        with open(scen, "w") as f:
            f.write('{"op":"rules","rules":{"contribution":{"enabled":false}}}\n')
            f.write('{"op":"product","id":"tea","price":2980,"zone":"normal"}\n')
            for i in range(MEMBERS):
                f.write('{"op":"register","member":"m%d","phone":"%s"}\n' % (i, phone(i)))
                f.write('{"op":"adjust","member":"m%d","asset":"points","amount":%d,'
                        '"reason":"load"}\n' % (i, GRANT))
        subprocess.run([jifen, "replay", "--db", db, scen], check=True)
        srv = subprocess.Popen([jifen, "serve", "--db", db, "--port", "0", "--threads", "4",
                                "--settle-at", "off"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            port = int(srv.stdout.readline().split("http://127.0.0.1:")[1].split()[0])
            stats = {"transfers": 0, "refused": 0, "orders": 0, "errors": 0, "requests": 0}
            lock = threading.Lock()
            deadline = [None]
            logged = threading.Barrier(CLIENTS + 1)
            ready = threading.Barrier(CLIENTS + 1)

            def client(k):
                c = Client(port)
                rng = random.Random(k)
                code, body = c.call("POST", "/auth/login", {"phone": phone(k), "password": PASSWORD})
                auth = {"Authorization": "Bearer " + body["token"]} if code == 200 else {}
                logged.wait()
                ready.wait()
                n = 0
                mine = {"transfers": 0, "refused": 0, "orders": 0, "errors": 0, "requests": 0}
                while time.monotonic() < deadline[0]:
                    n += 1
                    key = {"Idempotency-Key": "c%d-%d" % (k, n)}
                    if rng.random() < 0.8:
                        to = rng.randrange(MEMBERS)
                        to = (to + 1) % MEMBERS if to == k else to
                        code, body = c.call("POST", "/me/transfers",
                                            {"to_phone": phone(to), "asset": "points",
                                             "amount": rng.randint(1, 500)}, {**auth, **key})
                        if code == 201:
                            mine["transfers"] += 1
                        elif code == 422:
                            mine["refused"] += 1
                        else:
                            mine["errors"] += 1
                    else:
                        code, body = c.call("POST", "/orders",
                                            {"items": [{"product": "tea", "qty": 1}]},
                                            {**auth, **key})
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
            took = time.monotonic() - t0
            srv.send_signal(signal.SIGTERM)
            if srv.wait(timeout=30) != 0:
                print("FAIL load: unclean stop")
                return 1
            ver = subprocess.run([jifen, "verify", "--db", db], capture_output=True, text=True)
            con = sqlite3.connect(db)
            total = con.execute("SELECT sum(balance) FROM accounts WHERE asset = 1 AND owner > 0"
                                ).fetchone()[0]
            rows = con.execute("SELECT count(*) FROM transfers WHERE kind = 'transfer'"
                               ).fetchone()[0]
            orders = con.execute("SELECT count(*) FROM orders").fetchone()[0]
            con.close()
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
        finally:
            if srv.poll() is None:
                srv.kill()
                srv.wait()


if __name__ == "__main__":
    sys.exit(main())
