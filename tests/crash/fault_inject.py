#!/usr/bin/env python3
"""Store faults under a running server: `jifen-faulty serve` (the jifen command over the
fault-injecting SQLite VFS of faulty_vfs.c) on a SQLite file, with faults armed at run time
through the VFS's control file, and real HTTP requests, each with an Idempotency-Key.

1. One request at a time, each under another fault of the writer thread's store: a transfer
   whose commit cannot write the log, an order whose commit is torn after its first frame, a
   withdrawal and a sign-in whose commit's fsync fails, an order's completion on a full disk.
   Each answers 5xx with a JSON error; the server stays up (/healthz, then the next request);
   nothing of the request is in the store; the same request with its key is then applied
   exactly once, and once more it is a replay that changes nothing.
2. A burst: the writer is held inside a commit while twelve transfers queue behind it, and every
   commit fails: every request answers 5xx (several in one failed group: fewer failed commits
   than failed requests), none is applied, and each sent again is applied exactly once.
3. The checkpoint thread's writes and syncs fail: the requests meanwhile all succeed, and what
   they did is there.
4. A settlement of the first unsettled day whose commit cannot write the log, then one whose
   commit is torn after its third frame; then a transfer whose commit's fsync fails (its frames
   are all in the log: only the fsync failed), and at once the server is killed (SIGKILL): after
   the restart the day is still unsettled and nothing of the settlement nor of the transfer is
   in the store (the transfer is applied once when sent again at the end); the settlement then
   meets a read error in its middle on the restarted server
   (a cold page cache): 5xx, still unsettled; asked again with its key it settles, and the store
   is exactly the copy taken before the first attempt settled by `jifen settle` (every table but
   the audit log, without times). The remaining days then settle in one request while the
   thread that loads each day's lots fails a read (the settlement loads them itself), again
   exactly as `jifen settle` settles them.
At the end the server stops cleanly, `jifen verify` passes, and every acknowledged request is in
the store exactly once.

usage: fault_inject.py JIFEN JIFEN_FAULTY"""
import os
import shutil
import signal
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
sys.path.insert(0, HERE)
import harness  # noqa: E402
import ledger_check as lc  # noqa: E402

PASSWORD = "jifen-test-password"  # what `jifen replay` gives the members it registers
ADMIN, ADMIN_PASSWORD = "root", "fault-test-admin-password"
MEMBERS = 6
BURST = 12
WRITER = "thread jifen-writer"
CKPT = "thread jifen-ckpt"
STAGES = ("ranks", "release", "ad", "dividends", "growth")


def phone(i):
    return "1370000%04d" % i


def fixture(d0):
    """Six members in a small tree, each with an entry order completed on the day d0 (so that
    the days after release), and points and cash for the requests."""
    lines = [{"op": "rules", "at": "%sT09:00:00+08:00" % d0,
              "rules": {"withdraw": {"daily_limit": 10 ** 14}}},
             {"op": "product", "id": "tea", "name": "Tea", "price": 2980, "zone": "normal",
              "points": 298},
             {"op": "product", "id": "pack", "name": "Pack", "price": 300000, "zone": "entry"}]
    for i in range(MEMBERS):
        reg = {"op": "register", "member": "a%d" % i, "phone": phone(i)}
        if i > 0:
            reg["referrer"] = "a%d" % ((i - 1) // 2)
        lines.append(reg)
        for asset in ("points", "cash"):
            lines.append({"op": "adjust", "member": "a%d" % i, "asset": asset,
                          "amount": 10 ** 12, "reason": "fault test"})
        lines.append({"op": "order", "order": "e%d" % i, "member": "a%d" % i,
                      "items": [{"product": "pack", "qty": 1}]})
        lines.append({"op": "complete", "order": "e%d" % i})
    return lines


class Faults:
    """The VFS's control file: a new text replaces the armed faults."""

    def __init__(self, path):
        self.path = path
        self.arm("")

    def arm(self, text):
        with open(self.path + ".new", "w") as f:
            f.write(text)
        os.replace(self.path + ".new", self.path)


class Test:
    def __init__(self, jifen, faulty, tmp, db):
        self.jifen, self.faulty, self.tmp, self.db = jifen, faulty, tmp, db
        self.checks = harness.Checks()
        self.faults = Faults(os.path.join(tmp, "faults"))
        self.env = dict(os.environ, JIFEN_FAULT_FILE=self.faults.path)
        self.led = lc.Ledger(db)
        self.acked, self.tokens, self.ids = [], {}, {}
        self.seq = 0
        self.srv = None
        con = lc.connect_ro(db)
        self.ids = dict(con.execute("SELECT ext_id, id FROM members"))
        self.admin_id = con.execute("SELECT id FROM admins").fetchone()[0]
        con.close()

    def expect(self, cond, what):
        self.checks.expect(cond, what)

    def server(self):
        return harness.Server(self.faulty, "--db", self.db, "--settle-at", "off",
                              env=self.env, checks=self.checks, stop_timeout=30)

    def api(self, timeout=60):
        return harness.Api(self.srv.url + "/api/v1", timeout=timeout)

    def fired(self, what="fails"):
        """How many faults the server has reported so far (`what`: fails or waits)."""
        return sum("jifen-faulty: fault:" in line and what in line for line in self.srv.log)

    def wait_fired(self, n, what="fails", seconds=20):
        """Waits until the server's log shows n faults (the log is read by another thread)."""
        until = time.monotonic() + seconds
        while self.fired(what) < n and time.monotonic() < until:
            time.sleep(0.02)
        return self.fired(what)

    def login(self):
        api = self.api()
        for i in range(MEMBERS):
            status, body = api.post("/auth/login", {"phone": phone(i), "password": PASSWORD})
            self.expect(status == 200, "login a%d: %d %s" % (i, status, body))
            self.tokens[i] = body["token"]
        status, body = api.post("/admin/auth/login", {"username": ADMIN,
                                                      "password": ADMIN_PASSWORD})
        self.expect(status == 200, "admin login: %d %s" % (status, body))
        self.admin_token = body["token"]
        api.close()

    # ---- the requests -----------------------------------------------------------------------

    def req(self, kind, m=0, to=1, order=None):
        self.seq += 1
        n, mid = self.seq, self.ids["a%d" % m]
        tok, scope = self.tokens[m], "m%d" % mid
        if kind == "transfer":
            amount = 100 + n  # unique in the run
            return lc.Req("transfer", "/me/transfers",
                          {"to_phone": phone(to), "asset": "points", "amount": amount},
                          "ft%d" % n, tok, scope, debit=lc.account(mid, lc.POINTS),
                          credit=lc.account(self.ids["a%d" % to], lc.POINTS), amount=amount)
        if kind == "order":
            order = "f%d" % n
            return lc.Req("order", "/orders", {"order": order,
                                               "items": [{"product": "tea", "qty": 1}]},
                          "fo%d" % n, tok, scope, order=order)
        if kind == "complete":
            return lc.Req("complete", "/admin/orders/%s/complete" % order, {}, "fc%d" % n,
                          self.admin_token, "a%d" % self.admin_id, order=order,
                          reward="consumption_points")
        if kind == "withdraw":
            amount = 10000 + n
            return lc.Req("withdraw", "/me/withdrawals", {"amount": amount}, "fw%d" % n, tok,
                          scope, member=mid, amount=amount)
        return lc.Req("signin", "/me/signin", None, "fs%d" % n, tok, scope, ext="a%d" % m)

    def state(self, req):
        self.led.refresh()
        return req.state(self.led)

    def applied(self, req, api, what):
        """Sends req (no fault armed): 2xx, not a replay, and in the store once; then again: a
        replay, still once."""
        status, body = req.send(api)
        self.expect(200 <= status < 300 and body.get("replayed") is False,
                    "%s: %s answered %d %s" % (what, req.describe(), status, body))
        st, parts = self.state(req)
        self.expect(st == "once", "%s: %s is %s in the store %s" % (what, req.describe(), st,
                                                                   parts))
        status, body = req.send(api)
        self.expect(200 <= status < 300 and body.get("replayed") is True,
                    "%s: %s again answered %d %s" % (what, req.describe(), status, body))
        st, parts = self.state(req)
        self.expect(st == "once", "%s: %s again is %s in the store %s" % (what, req.describe(),
                                                                         st, parts))
        self.acked.append(req)

    def error_body(self, status, body, what):
        self.expect(500 <= status < 600, "%s: answered %d %s, not 5xx" % (what, status, body))
        err = body.get("error") if isinstance(body, dict) else None
        self.expect(isinstance(err, dict) and err.get("code") == "internal" and
                    isinstance(err.get("message"), str) and err["message"] != "",
                    "%s: the 5xx answer is not a JSON error: %s" % (what, body))

    def failed(self, req, fault, api):
        """req under `fault`: 5xx with a JSON error, the fault fired once, the server still
        answers, nothing of req is in the store; then req again is applied once."""
        what = "under '%s'" % fault
        before = self.fired()
        self.faults.arm(fault)
        status, body = req.send(api)
        self.faults.arm("")
        self.error_body(status, body, "%s: %s" % (what, req.describe()))
        self.expect(self.wait_fired(before + 1) == before + 1,
                    "%s: the fault did not fire once" % what)
        health = harness.Api(self.srv.url).get("/healthz")
        self.expect(health[0] == 200, "%s: /healthz answered %s afterwards" % (what, health))
        st, parts = self.state(req)
        self.expect(st == "none", "%s: the failed %s is %s in the store %s" % (
            what, req.describe(), st, parts))
        self.applied(req, api, what + ", sent again")

    # ---- the parts of the test --------------------------------------------------------------

    def single_requests(self):
        api = self.api()
        self.failed(self.req("transfer", 0, 1), "write wal 1 " + WRITER, api)
        order = self.req("order", 1)
        self.failed(order, "write wal 2 " + WRITER, api)
        self.failed(self.req("withdraw", 2), "sync wal 1 " + WRITER, api)
        self.failed(self.req("signin", 3), "sync wal 1 " + WRITER, api)
        self.failed(self.req("complete", order=order.facts["order"]),
                    "write wal 1 full " + WRITER, api)
        api.close()
        print("fault_inject: 5 requests under 5 faults of the writer's commit: each 5xx with a "
              "JSON error, not applied, then applied exactly once with its key")

    def metric(self, name):
        status, text = harness.Api(self.srv.url).get("/metrics")
        for line in text.splitlines():
            if line.startswith(name + " "):
                return int(float(line.split()[1]))
        raise AssertionError("no metric " + name)

    def burst(self):
        """The writer held inside a commit (its first write of the log waits) while BURST
        transfers queue behind it; every commit of the writer fails meanwhile."""
        commits0 = self.metric("jifen_writer_failed_commits_total")
        waits0 = self.fired("waits")
        reqs = [self.req("transfer", k % MEMBERS, (k + 1) % MEMBERS) for k in range(BURST + 1)]
        answers = {}

        def send(k):
            api = self.api()
            answers[k] = reqs[k].send(api)
            api.close()

        # held long enough for the twelve to queue even on a loaded machine
        self.faults.arm("write wal 1 delay 1500 %s\nsync wal 1 1000000 %s" % (WRITER, WRITER))
        first = threading.Thread(target=send, args=(0,))
        first.start()
        self.expect(self.wait_fired(waits0 + 1, "waits") == waits0 + 1,
                    "burst: the writer was not held")
        threads = [threading.Thread(target=send, args=(k,)) for k in range(1, BURST + 1)]
        for t in threads:
            t.start()
        for t in [first] + threads:
            t.join()
        self.faults.arm("")
        failed_commits = self.metric("jifen_writer_failed_commits_total") - commits0
        bad = [r for k, r in enumerate(reqs) if not 500 <= answers[k][0] < 600]
        self.expect(not bad, "burst: answered otherwise than 5xx: %s" % [
            (r.describe(), r.status) for r in bad])
        for k, r in enumerate(reqs):
            self.error_body(answers[k][0], answers[k][1], "burst: " + r.describe())
        self.expect(0 < failed_commits < len(reqs),
                    "burst: %d failed commits for %d failed requests: no group of several "
                    "commands failed" % (failed_commits, len(reqs)))
        self.led.refresh()
        for r in reqs:
            st, parts = r.state(self.led)
            self.expect(st == "none", "burst: the failed %s is %s in the store %s" % (
                r.describe(), st, parts))
        api = self.api()
        for r in reqs:
            self.applied(r, api, "burst, sent again")
        api.close()
        print("fault_inject: burst: %d transfers answered 5xx from %d failed commits, none "
              "applied; each sent again applied exactly once" % (len(reqs), failed_commits))

    def checkpoints(self):
        """Each of the checkpoint thread's faults, with requests going on until it has fired."""
        api = self.api()
        n = 0
        for fault in ("write db 1", "sync db 1", "sync wal 1"):
            before = self.fired()
            self.faults.arm("%s %s" % (fault, CKPT))
            until = time.monotonic() + 30
            while self.fired() == before and time.monotonic() < until:
                r = self.req("transfer", n % MEMBERS, (n + 2) % MEMBERS)
                n += 1
                status, body = r.send(api)
                self.expect(200 <= status < 300, "checkpoint fault %s: %s answered %d %s" % (
                    fault, r.describe(), status, body))
                self.acked.append(r)
                time.sleep(0.05)
            self.faults.arm("")
            self.expect(self.fired() == before + 1, "checkpoint fault %s did not fire" % fault)
        self.led.refresh()
        for r in self.acked:
            st, parts = r.state(self.led)
            self.expect(st == "once", "checkpoint faults: %s is %s %s" % (r.describe(), st,
                                                                         parts))
        api.close()
        print("fault_inject: 3 checkpoint faults (write and fsync of the store, fsync of the "
              "log): %d requests meanwhile, all applied" % n)

    def settle(self, api, day, key):
        return api.post("/admin/settlements", {"day": day}, token=self.admin_token, key=key)

    def reference(self, base, day, name):
        ref = os.path.join(self.tmp, name + ".db")
        shutil.copyfile(base, ref)
        harness.run(self.jifen, "settle", "--db", ref, "--day", day)
        return ref

    def same_as(self, ref, from_day, what):
        diff = lc.compare_stores(self.db, ref, from_day)
        self.expect(not diff, "%s: the store is not what `jifen settle` makes of the copy:\n%s"
                    % (what, "\n".join(diff)))

    def settle_failed(self, api, day, key, fault):
        """The settlement through `day` under `fault`: 5xx, the fault fired, nothing settled.
        Returns the error answer."""
        before = self.fired()
        self.faults.arm(fault)
        status, body = self.settle(api, day, key)
        self.faults.arm("")
        self.error_body(status, body, "settlement under '%s'" % fault)
        self.expect(self.wait_fired(before + 1) == before + 1,
                    "settlement: '%s' did not fire" % fault)
        self.expect(lc.settled_through(self.db) is None,
                    "settlement under '%s': settled through %s" % (
                        fault, lc.settled_through(self.db)))
        return body

    def settlement_first_attempts(self, d0):
        """Server 1: the settlement of d0 fails on its commit, then is torn in its commit, and
        the server is killed."""
        base = os.path.join(self.tmp, "before-settlement.db")
        lc.snapshot(self.db, base)
        api = self.api(timeout=120)
        for fault in ("write wal 1 " + WRITER, "write wal 3 " + WRITER):
            self.settle_failed(api, d0, "settle-1", fault)
        fault = "sync wal 1 " + WRITER
        unsynced = self.req("transfer", 4, 5)
        self.faults.arm(fault)
        status, body = unsynced.send(api)
        self.expect(self.srv.proc.poll() is None, "the server exited by itself (status %s)" %
                    self.srv.proc.returncode)
        self.srv.proc.send_signal(signal.SIGKILL)
        self.srv.proc.wait()
        self.faults.arm("")
        self.error_body(status, body, "under '%s' before a kill: %s" % (fault,
                                                                       unsynced.describe()))
        api.close()
        return base, unsynced

    def settlement_after_restart(self, base, unsynced, d0, yesterday):
        """Server 2 (a cold page cache): a read error in the middle of the settlement, then the
        settlement again with its key, then the other days; last, the transfer that failed
        before the kill."""
        self.expect(lc.settled_through(self.db) is None,
                    "after the kill: settled through %s" % lc.settled_through(self.db))
        st, parts = self.state(unsynced)
        self.expect(st == "none", "after the kill, the transfer whose fsync failed is %s %s" % (
            st, parts))
        ver = harness.run(self.jifen, "verify", "--db", self.db, check=False)
        self.expect(ver.returncode == 0, "verify after the kill: %s" % ver.stdout)
        diff = lc.compare_stores(self.db, base, d0)
        self.expect(not diff, "after the kill the store is not the copy taken before the "
                    "settlement:\n%s" % "\n".join(diff))
        api = self.api(timeout=120)
        fault = "read any 8 " + WRITER  # of the 18 reads of a cold settlement of the day
        body = self.settle_failed(api, d0, "settle-1", fault)
        self.expect(body["error"].get("field") in STAGES,
                    "settlement under '%s': failed outside its stages: %s" % (fault, body))
        status, body = self.settle(api, d0, "settle-1")
        self.expect(status == 200 and body.get("already") is False,
                    "settlement asked again: %d %s" % (status, body))
        self.same_as(self.reference(base, d0, "ref1"), d0, "the settlement of %s" % d0)
        base2 = os.path.join(self.tmp, "before-settlement-2.db")
        lc.snapshot(self.db, base2)
        # the lots of each day are loaded by a thread of their own: when that load fails, the
        # settlement loads them itself
        before = self.fired()
        self.faults.arm("read any 2 thread jifen-lots")
        status, body = self.settle(api, yesterday, "settle-2")
        self.faults.arm("")
        self.expect(status == 200, "settlement through %s: %d %s" % (yesterday, status, body))
        self.expect(self.wait_fired(before + 1) == before + 1,
                    "settlement: the fault of the lots' loader did not fire")
        self.same_as(self.reference(base2, yesterday, "ref2"), lc.day_add(d0, 1),
                     "the settlement through %s" % yesterday)
        self.applied(unsynced, api, "the transfer that failed before the kill, sent again")
        api.close()
        print("fault_inject: settlement of %s: failed on a write of its commit, torn in its "
              "commit, then killed after a transfer whose fsync failed (not in the store after "
              "the restart), failed on a read in its middle after the restart: unsettled "
              "each time, nothing of it in the store; asked again, exactly what `jifen settle` "
              "makes of the store before it; then settled through %s likewise, the lots' loader "
              "failing" % (d0, yesterday))

    def end(self):
        ver = harness.run(self.jifen, "verify", "--db", self.db, check=False)
        self.expect(ver.returncode == 0, "verify at the end: %s%s" % (ver.stdout, ver.stderr))
        self.led = lc.Ledger(self.db)
        self.led.refresh()
        for r in self.acked:
            st, parts = r.state(self.led)
            self.expect(st == "once", "at the end: %s is %s %s" % (r.describe(), st, parts))
        return ver.stdout.strip()


def main():
    jifen, faulty = sys.argv[1], sys.argv[2]
    harness.clear_of_midnight(lc.SHANGHAI, margin=300)  # "today" is one day for the whole test
    d0 = lc.day_add(lc.today(), -4)
    yesterday = lc.day_add(lc.today(), -1)
    with tempfile.TemporaryDirectory(prefix="jifen-faults-") as tmp:
        db = os.path.join(tmp, "s.db")  # SQLite only: the faults are those of SQLite's VFS
        harness.create_store(jifen, db, fixture(d0))
        harness.create_admin(jifen, db, ADMIN, ADMIN_PASSWORD)
        t = Test(jifen, faulty, tmp, db)
        try:
            with t.server() as t.srv:
                t.login()
                t.single_requests()
                t.burst()
                t.checkpoints()
                base, unsynced = t.settlement_first_attempts(d0)
            with t.server() as t.srv:
                t.settlement_after_restart(base, unsynced, d0, yesterday)
            summary = t.end()
        except AssertionError as e:
            print("FAIL fault_inject: %s" % e)
            if t.srv is not None:
                print("".join(line for line in t.srv.log if "jifen-faulty" in line
                              or "jifen:" in line)[-3000:])
            return 1
    print("fault_inject: %d checks; %d acknowledged requests each in the store exactly once; "
          "%s" % (t.checks.count, len(t.acked), summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
