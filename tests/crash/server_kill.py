#!/usr/bin/env python3
"""Crash safety of the server: `jifen serve` on a SQLite file under a steady load of real HTTP
clients, killed with SIGKILL at random moments — some of them in the middle of a settlement —
and started again, KILLS times.

The store: a network of MEMBERS members with their lots (jifen-bench), and CLIENT_MEMBERS
members on top whose clients sign in and keep doing what members and the shop's admin do:
points transfers, orders placed (a normal and an entry product) and completed by the admin,
cash withdrawals and the daily sign-in, each with an Idempotency-Key of its own. Every request
a client sends is kept with its answer; the acknowledged ones (2xx) are the clients' log.

Every third kill falls in a settlement: the clients are paused, the store is copied (P: the
state the settlement starts from), the admin asks for the settlement of the next SPAN unsettled
days, the clients go on (their requests queue behind the settlement), and the kill comes at a
random point of the settlement's expected duration. The other kills come at a random moment of
the load.

After each kill, with the server down:
- `jifen verify` passes;
- every request acknowledged since the last kill is in the ledger exactly once (ledger_check);
- every request in flight at the kill (sent, not answered) is applied exactly once or not at
  all, never half: the parts its transaction writes are all there or none;
- after a kill in a settlement: every day of it is settled or untouched (no release row, no
  transfer, no report of a day that is not settled), and the store is exactly P settled by
  `jifen settle` up to the same day (every table but the audit log, without time columns);
  a settlement found finished wrote what `jifen settle` on P writes.
Then the server is started again, and before the clients come back:
- an interrupted (or unanswered) settlement is asked for again with the same Idempotency-Key,
  and the store is then exactly P settled by `jifen settle` through the same day;
- every request that was in flight is sent again with its key: it is answered 2xx, as a replay
  when it had been applied, as new when not, and is then in the ledger exactly once.
At the end the server stops cleanly, `jifen verify` passes, and every acknowledged request of
the run is in the ledger exactly once, read afresh from the store. The figures are printed (and written as JSON with
--json).

usage: server_kill.py JIFEN JIFEN_BENCH [--kills N] [--members N] [--seed S] [--json FILE]"""
import argparse
import http.client
import itertools
import json
import os
import random
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

CLIENTS = 6
CLIENT_MEMBERS = 12  # c0 .. c11; client k acts for members k and k + CLIENTS
PASSWORD = "jifen-test-password"  # what `jifen replay` gives the members it registers
ADMIN, ADMIN_PASSWORD = "root", "crash-test-admin-password"
SPAN = 3  # days a settlement settles
GENESIS = "2026-03-01"  # the day jifen-bench's lots were bought (settled by jifen-bench)
SETTLE_EVERY = 3  # every third kill falls in a settlement


def phone(i):
    return "1590000%04d" % i


def fixture(members):
    """The scenario replayed on the generated network: the rules of the programs the clients
    use, two products, and the client members (each under a member of the network) with enough
    points and cash for the whole run."""
    lines = [{"op": "rules", "at": "2026-03-02T09:00:00+08:00",
              "rules": {"contribution": {"enabled": True}, "signin": {"enabled": True},
                        "withdraw": {"daily_limit": 10 ** 14}}},
             {"op": "product", "id": "tea", "name": "Tea", "price": 2980, "zone": "normal",
              "points": 298},
             {"op": "product", "id": "pack", "name": "Pack", "price": 300000, "zone": "entry"}]
    for i in range(CLIENT_MEMBERS):
        lines.append({"op": "register", "member": "c%d" % i, "phone": phone(i),
                      "referrer": "m%d" % (1 + i * (members - 1) // CLIENT_MEMBERS)})
        for asset in ("points", "cash"):
            lines.append({"op": "adjust", "member": "c%d" % i, "asset": asset,
                          "amount": 10 ** 12, "reason": "crash test"})
    return lines


class Pause:
    """Lets the driver stop the clients between two requests and wait until they all have."""

    def __init__(self):
        self.cv = threading.Condition()
        self.paused, self.idle, self.active = False, 0, 0

    def checkpoint(self, stop):
        with self.cv:
            if self.paused:
                self.idle += 1
                self.cv.notify_all()
                while self.paused and not stop.is_set():
                    self.cv.wait(0.1)
                self.idle -= 1

    def leave(self):
        with self.cv:
            self.active -= 1
            self.cv.notify_all()

    def pause(self):
        with self.cv:
            self.paused = True
            while self.idle < self.active:
                self.cv.wait(0.1)

    def resume(self):
        with self.cv:
            self.paused = False
            self.cv.notify_all()


class Run:
    """The clients, their log and the figures."""

    def __init__(self, a, db, ids, admin_id):
        self.a, self.db, self.ids, self.admin_id = a, db, ids, admin_id
        self.seq = itertools.count(1)
        self.tokens, self.admin_token = {}, None
        self.paid = [[] for _ in range(CLIENTS)]  # orders placed and not completed, per client
        self.acked, self.unchecked, self.unexpected = [], [], []
        self.inflight = [None] * CLIENTS
        self.led = lc.Ledger(db)
        self.fig = {"kills": 0, "kills_in_settlement": 0, "kills_in_settlement_busy": 0,
                    "settlements_done_before_kill": 0, "settlements_not_comparable": 0,
                    "settlement_days": 0, "in_flight": 0, "in_flight_applied": 0,
                    "retried": 0, "acked_checked": 0, "requests": 0, "by_kind": {}}

    # ---- the clients ------------------------------------------------------------------------

    def request(self, k, rng):
        """The next request of client k."""
        n = next(self.seq)
        mine = list(range(k, CLIENT_MEMBERS, CLIENTS))
        m = rng.choice(mine)
        ext, tok, mid = "c%d" % m, self.tokens[m], self.ids["c%d" % m]
        scope = "m%d" % mid
        r = rng.random()
        if r < 0.30:
            to = rng.choice([i for i in range(CLIENT_MEMBERS) if i != m])
            amount = n  # unique in the run: finds the transfer's row
            return lc.Req("transfer", "/me/transfers",
                          {"to_phone": phone(to), "asset": "points", "amount": amount},
                          "t%d" % n, tok, scope,
                          debit=lc.account(mid, lc.POINTS),
                          credit=lc.account(self.ids["c%d" % to], lc.POINTS), amount=amount)
        if r < 0.50:
            product = "pack" if rng.random() < 0.2 else "tea"
            order = "x%d" % n  # (the generated network's orders are o1, o2 ...)
            return lc.Req("order", "/orders",
                          {"order": order, "items": [{"product": product, "qty": 1}]},
                          "o%d" % n, tok, scope, order=order, product=product, client=k)
        if r < 0.70 and self.paid[k]:
            order, product = self.paid[k].pop(rng.randrange(len(self.paid[k])))
            return lc.Req("complete", "/admin/orders/%s/complete" % order, {}, "c%d" % n,
                          self.admin_token, "a%d" % self.admin_id, order=order,
                          reward="lot" if product == "pack" else "consumption_points")
        if r < 0.85:
            amount = 10000 + n  # at least the minimum withdrawal; unique in the run
            return lc.Req("withdraw", "/me/withdrawals", {"amount": amount}, "w%d" % n, tok,
                          scope, member=mid, amount=amount)
        return lc.Req("signin", "/me/signin", None, "s%d" % n, tok, scope, ext=ext)

    def answered(self, req, status, answer):
        req.status, req.answer = status, answer
        if 200 <= status < 300:
            self.acked.append(req)
            self.unchecked.append(req)
            if req.kind == "order":
                self.paid[req.facts["client"]].append((req.facts["order"],
                                                       req.facts["product"]))
        else:
            self.unexpected.append("%s: %d %s" % (req.describe(), status, answer))

    def client(self, k, url, pause, stop, seed):
        rng = random.Random(seed)
        api = harness.Api(url + "/api/v1", timeout=120)
        try:
            while not stop.is_set():
                pause.checkpoint(stop)
                req = self.request(k, rng)
                self.inflight[k] = req
                try:
                    status, answer = req.send(api)
                except (OSError, http.client.HTTPException):
                    return  # the server is gone: the request stays in flight
                self.inflight[k] = None
                self.answered(req, status, answer)
        finally:
            pause.leave()
            api.close()

    # ---- checks -----------------------------------------------------------------------------

    def check_acked(self, reqs, what):
        bad = []
        for req in reqs:
            st, parts = req.state(self.led)
            if st != "once":
                bad.append("%s: %s (%s %s)" % (what, req.describe(), st, parts))
        if bad:
            raise AssertionError("\n".join(bad[:20]))

    def after_kill(self):
        """With the server down: verify, the acknowledged requests, those in flight."""
        ver = harness.run(self.a.jifen, "verify", "--db", self.db, check=False)
        if ver.returncode != 0:
            raise AssertionError("verify after a kill:\n%s%s" % (ver.stdout, ver.stderr))
        self.led.refresh()
        self.check_acked(self.unchecked, "acknowledged, not in the ledger exactly once")
        self.fig["acked_checked"] += len(self.unchecked)
        self.unchecked = []
        flying = [r for r in self.inflight if r is not None]
        self.inflight = [None] * CLIENTS
        for req in flying:
            st, parts = req.state(self.led)
            if st not in ("none", "once"):
                raise AssertionError("in flight at the kill, %s: %s %s" % (st, req.describe(),
                                                                          parts))
            req.before = st
        self.fig["in_flight"] += len(flying)
        self.fig["in_flight_applied"] += sum(r.before == "once" for r in flying)
        return flying

    def retry(self, api, flying):
        """Sends each request that was in flight again, with its key."""
        for req in flying:
            status, answer = req.send(api)
            if not 200 <= status < 300:
                raise AssertionError("retry of %s: %d %s" % (req.describe(), status, answer))
            replayed = isinstance(answer, dict) and answer.get("replayed")
            if req.kind != "signin" and replayed != (req.before == "once"):
                raise AssertionError("retry of %s, %s before: answered replayed=%s" % (
                    req.describe(), req.before, replayed))
            self.answered(req, status, answer)
        self.fig["retried"] += len(flying)
        self.led.refresh()
        self.check_acked(flying, "sent again after a kill, not in the ledger exactly once")


class Settlement:
    """A settlement asked for during a cycle: its span, the copy P of the store it starts from,
    and the answer to its request (None while it has none)."""

    def __init__(self, tmp, start, key):
        self.start, self.end, self.key = start, lc.day_add(start, SPAN - 1), key
        self.base = os.path.join(tmp, "p.db")
        self.ref = os.path.join(tmp, "ref.db")
        self.answer, self.busy = None, False
        self.comparable, self.interrupted = True, False

    def request(self, url, token):
        api = harness.Api(url + "/api/v1", timeout=300)
        try:
            self.answer = api.post("/admin/settlements", {"day": self.end}, token=token,
                                   key=self.key)
        except (OSError, http.client.HTTPException):
            pass
        finally:
            api.close()

    def reference(self, jifen, day):
        """Makes ref.db P settled by `jifen settle` through `day` (a copy of P first). Returns
        the seconds taken a day settled."""
        if not os.path.exists(self.ref):
            shutil.copyfile(self.base, self.ref)
        was = lc.settled_through(self.ref)
        t0 = time.monotonic()
        harness.run(jifen, "settle", "--db", self.ref, "--day", day)
        days = lc.day_number(day) - lc.day_number(was)
        return (time.monotonic() - t0) / max(days, 1)

    def slipped(self, db):
        """Whether a client's request was committed after P and before the settlement began
        (the settlement then did not start from P, and P settled is no reference for it). Every
        client request records its key; a settlement records where the transfers stood when
        its first day began."""
        con = lc.connect_ro(self.base)
        p_max = con.execute("SELECT coalesce(max(id), 0) FROM transfers").fetchone()[0]
        p_keys = con.execute("SELECT coalesce(max(rowid), 0) FROM requests").fetchone()[0]
        con.close()
        con = lc.connect_ro(db)
        try:
            first_seq = con.execute("SELECT transfer_seq FROM settlements WHERE day = ?",
                                    (lc.day_number(self.start),)).fetchone()
            if first_seq is not None:  # the clients wrote after the settlement: that is fine
                return first_seq[0] != p_max
            n = con.execute("SELECT count(*) FROM requests WHERE rowid > ? AND hash NOT LIKE "
                            "'settle|%'", (p_keys,)).fetchone()[0]
            return n > 0
        finally:
            con.close()


def untouched_days(db, after, end):
    """What the store holds of the days after `after` through `end`, which are not settled: no
    release row, no settlement transfer, no report may be there."""
    con = lc.connect_ro(db)
    try:
        lo, hi = lc.day_number(after) + 1 if after else 0, lc.day_number(end)
        rel = con.execute("SELECT count(*) FROM releases WHERE day BETWEEN ? AND ?",
                          (lo, hi)).fetchone()[0]
        rep = con.execute("SELECT count(*) FROM settlements WHERE day BETWEEN ? AND ?",
                          (lo, hi)).fetchone()[0]
        refs = ["day:" + lc.day_text(d) for d in range(lo, hi + 1)]
        tr = con.execute("SELECT count(*) FROM transfers WHERE ref IN (%s)" %
                         ",".join("?" * len(refs)), refs).fetchone()[0]
        return rel, tr, rep
    finally:
        con.close()


def settlement_products_differ(db, ref, s):
    """For a settlement that finished before the kill (clients wrote more after it): what it
    wrote — its release rows, its transfers, its reports — against P settled by `jifen
    settle`."""
    con = lc.connect_ro(db)
    try:
        con.execute("ATTACH DATABASE ? AS ref", ("file:%s?mode=ro" % ref,))
        lo, hi = lc.day_number(s.start), lc.day_number(s.end)
        refs = ",".join("'day:%s'" % lc.day_text(d) for d in range(lo, hi + 1))
        out = []
        for name, q in (
                ("releases", "SELECT day, member, static, share, team, peer FROM %s.releases "
                             "WHERE day BETWEEN " + str(lo) + " AND " + str(hi)),
                ("transfers", "SELECT id, debit, credit, asset, amount, kind, ref FROM "
                              "%s.transfers WHERE ref IN (" + refs + ")"),
                ("settlements", "SELECT day, transfer_seq FROM %s.settlements WHERE day "
                                "BETWEEN " + str(lo) + " AND " + str(hi)),
                ("ranks", "SELECT id, rank FROM %s.members")):
            for x, y in (("main", "ref"), ("ref", "main")):
                n = con.execute("SELECT count(*) FROM (%s EXCEPT %s)" % (q % x, q % y)).fetchone()
                if n[0]:
                    out.append("%s: %d rows of %s only" % (name, n[0], x))
        return out
    finally:
        con.close()


def metrics_queue(url):
    """The writer's queue depth as /metrics says, or None."""
    api = harness.Api(url, timeout=5)
    try:
        status, text = api.get("/metrics")
        for line in (text or "").splitlines() if status == 200 else []:
            if line.startswith("jifen_writer_queue_depth "):
                return int(line.split()[1])
    except (OSError, http.client.HTTPException):
        pass
    finally:
        api.close()
    return None


def login(run, url):
    """Signs every client member in (each on a connection of its own: a password check takes a
    while), and the admin."""
    answers = {}

    def one(i):
        api = harness.Api(url + "/api/v1")
        answers[i] = api.post("/auth/login", {"phone": phone(i), "password": PASSWORD})
        api.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(CLIENT_MEMBERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, (status, body) in sorted(answers.items()):
        if status != 200:
            raise AssertionError("login of c%d: %d %s" % (i, status, body))
        run.tokens[i] = body["token"]
    api = harness.Api(url + "/api/v1")
    status, body = api.post("/admin/auth/login", {"username": ADMIN, "password": ADMIN_PASSWORD})
    if status != 200:
        raise AssertionError("admin login: %d %s" % (status, body))
    run.admin_token = body["token"]
    api.close()


def build(a, tmp):
    db = os.path.join(tmp, "store.db")
    harness.run(a.bench, "settle", "--members", a.members, "--no-settle", "--db", db,
                "--seed", a.seed)
    harness.create_store(a.jifen, db, fixture(a.members))
    harness.create_admin(a.jifen, db, ADMIN, ADMIN_PASSWORD)
    con = lc.connect_ro(db)
    ids = dict(con.execute("SELECT ext_id, id FROM members WHERE ext_id LIKE 'c%'"))
    admin_id = con.execute("SELECT id FROM admins WHERE username = ?", (ADMIN,)).fetchone()[0]
    con.close()
    return db, ids, admin_id


def complete_settlement(run, api, s, jifen):
    """After a restart: the settlement that was interrupted or not answered, asked for again
    with its key; then the store against P settled through its last day."""
    status, body = api.post("/admin/settlements", {"day": s.end}, token=run.admin_token,
                            key=s.key)
    if status != 200:
        raise AssertionError("settlement %s asked again: %d %s" % (s.key, status, body))
    if lc.settled_through(run.db) != s.end:
        raise AssertionError("settlement %s asked again: settled through %s, not %s" % (
            s.key, lc.settled_through(run.db), s.end))
    if s.interrupted and s.comparable:
        diff = lc.compare_stores(run.db, s.ref, s.start)
        if diff:
            raise AssertionError("settlement %s completed after the kill differs from an "
                                 "uninterrupted one:\n%s" % (s.key, "\n".join(diff)))


def settlement_after_kill(run, s, jifen):
    """With the server down, after a kill during settlement s. Returns whether the settlement
    must be asked for again."""
    got = lc.settled_through(run.db)
    done = got is not None and got >= s.end
    answered = s.answer is not None
    if answered and (s.answer[0] != 200 or not done):
        raise AssertionError("settlement %s answered %s but the store is settled through %s" %
                             (s.key, s.answer, got))
    s.comparable = not s.slipped(run.db)
    run.fig["settlements_not_comparable"] += not s.comparable
    s.interrupted = not done
    if not done:
        run.fig["kills_in_settlement"] += 1
        run.fig["kills_in_settlement_busy"] += s.busy
        after = got if got is not None and got >= s.start else lc.day_add(s.start, -1)
        rel, tr, rep = untouched_days(run.db, after, s.end)
        if rel or tr or rep:
            raise AssertionError("days after %s of the interrupted settlement %s are not settled "
                                 "but hold %d release rows, %d transfers, %d reports" % (
                                     after, s.key, rel, tr, rep))
        if s.comparable:
            if after >= s.start:
                s.reference(jifen, after)
            elif not os.path.exists(s.ref):
                shutil.copyfile(s.base, s.ref)
            diff = lc.compare_stores(run.db, s.ref, s.start)
            if diff:
                raise AssertionError("after a kill in settlement %s (settled through %s) the "
                                     "store is not P settled through the same day:\n%s" % (
                                         s.key, after, "\n".join(diff)))
    else:
        run.fig["settlements_done_before_kill"] += 1
    took = s.reference(jifen, s.end)
    if done and s.comparable:
        diff = settlement_products_differ(run.db, s.ref, s)
        if diff:
            raise AssertionError("settlement %s, finished before the kill, differs from an "
                                 "uninterrupted one:\n%s" % (s.key, "\n".join(diff)))
    return not answered, took


def cycle(run, tmp, n, state):
    """Starts the server, completes what the last kill interrupted, runs the load and kills
    the server; then the checks with the server down."""
    a, rng = run.a, state["rng"]
    with harness.Server(a.jifen, "--db", run.db, "--settle-at", "off", stop_timeout=60) as srv:
        api = harness.Api(srv.url + "/api/v1", timeout=300)
        if not run.tokens:
            login(run, srv.url)
        if state.get("pending") is not None:
            complete_settlement(run, api, state["pending"], a.jifen)
            state["pending"] = None
        run.retry(api, state.get("flying", []))
        api.close()
        pause, stop = Pause(), threading.Event()
        pause.active = CLIENTS
        threads = [threading.Thread(target=run.client,
                                    args=(k, srv.url, pause, stop, rng.getrandbits(32)))
                   for k in range(CLIENTS)]
        for t in threads:
            t.start()
        s = None
        start = lc.day_add(state["settled"], 1)
        if n % SETTLE_EVERY == SETTLE_EVERY - 1 and lc.day_add(start, SPAN - 1) < lc.today():
            time.sleep(rng.uniform(0.2, 0.6))
            pause.pause()
            s = Settlement(tmp, start, "settle-%d" % n)
            for f in (s.base, s.ref):
                if os.path.exists(f):
                    os.remove(f)
            lc.snapshot(run.db, s.base)
            st = threading.Thread(target=s.request, args=(srv.url, run.admin_token))
            st.start()
            time.sleep(0.05)  # the request reaches the writer before the clients' next ones
            pause.resume()
            # the last settlement of the run lands early when none has been hit yet
            last = n + SETTLE_EVERY >= a.kills and run.fig["kills_in_settlement"] == 0
            time.sleep(rng.uniform(0.05, 0.15 if last else 0.6) * state["settle_s"])
            s.busy = s.answer is None and (metrics_queue(srv.url) or 0) > 0
        else:
            time.sleep(rng.uniform(0.05, 1.5))
        if srv.proc.poll() is not None:
            stop.set()
            pause.resume()
            raise AssertionError("the server exited by itself (status %s):\n%s" % (
                srv.proc.returncode, "".join(srv.log)[-3000:]))
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait()
        stop.set()
        pause.resume()
        for t in threads:
            t.join()
        if s is not None:
            st.join()
    run.fig["kills"] += 1
    flying = run.after_kill()
    if s is not None:
        again, took = settlement_after_kill(run, s, a.jifen)
        state["settle_s"] = took * SPAN
        state["settled"] = s.end
        run.fig["settlement_days"] += SPAN
        state["pending"] = s if again else None
    state["flying"] = flying


def finish(run, state):
    """The last start: what the last kill left, then a clean stop and the whole log."""
    a = run.a
    with harness.Server(a.jifen, "--db", run.db, "--settle-at", "off", stop_timeout=60) as srv:
        api = harness.Api(srv.url + "/api/v1", timeout=300)
        if state.get("pending") is not None:
            complete_settlement(run, api, state["pending"], a.jifen)
        run.retry(api, state.get("flying", []))
        api.close()
        srv.stop()
    ver = harness.run(a.jifen, "verify", "--db", run.db, check=False)
    if ver.returncode != 0:
        raise AssertionError("verify at the end:\n%s%s" % (ver.stdout, ver.stderr))
    run.led = lc.Ledger(run.db)
    run.led.refresh()
    run.check_acked(run.acked, "acknowledged, not in the ledger exactly once at the end")
    return ver.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jifen")
    ap.add_argument("bench")
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--members", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--keep", help="on a failure, copy the store to this directory")
    a = ap.parse_args()
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="jifen-crash-") as tmp:
        db, ids, admin_id = build(a, tmp)
        run = Run(a, db, ids, admin_id)
        rng = random.Random(a.seed)
        # the expected duration of a settlement of SPAN days, from `jifen settle` on a copy
        cal = os.path.join(tmp, "calibrate.db")
        shutil.copyfile(db, cal)
        c0 = time.monotonic()
        harness.run(a.jifen, "settle", "--db", cal, "--day", lc.day_add(GENESIS, SPAN))
        state = {"rng": rng, "settled": GENESIS, "settle_s": time.monotonic() - c0}
        os.remove(cal)
        try:
            for n in range(a.kills):
                cycle(run, tmp, n, state)
            summary = finish(run, state)
        except AssertionError as e:
            print("FAIL server_kill after %d kills: %s" % (run.fig["kills"], e))
            if a.keep:
                shutil.copytree(tmp, a.keep, dirs_exist_ok=True)
                print("server_kill: the stores are in %s" % a.keep)
            return 1
        if run.unexpected:
            print("FAIL server_kill: answers other than 2xx without a fault:\n%s" %
                  "\n".join(run.unexpected[:20]))
            return 1
    f = run.fig
    f["requests"] = len(run.acked)
    f["acked_checked_at_end"] = len(run.acked)
    f["by_kind"] = dict(sorted((k, sum(r.kind == k for r in run.acked))
                               for k in ("transfer", "order", "complete", "withdraw", "signin")))
    f["seconds"] = round(time.monotonic() - t0, 1)
    f["members"] = a.members
    print("server_kill: %d kills survived, %d of them during a settlement (%d with the writer "
          "seen busy with it just before the kill; %d settlements had finished before their "
          "kill; %d settled days in all); %d acknowledged requests checked after the kills "
          "that followed them and all %d again at the end, each in the ledger exactly once "
          "(%s); %d in flight at a kill (%d applied before it, the rest not, none half), all "
          "sent again and applied exactly once; verify ok after every kill and at the end "
          "(%s); %.0f s" % (
              f["kills"], f["kills_in_settlement"], f["kills_in_settlement_busy"],
              f["settlements_done_before_kill"], f["settlement_days"], f["acked_checked"],
              f["requests"], ", ".join("%s %d" % kv for kv in f["by_kind"].items()),
              f["in_flight"], f["in_flight_applied"], summary, f["seconds"]))
    if f["settlements_not_comparable"]:
        print("server_kill: %d settlements started after a client's request that was meant to "
              "wait behind them: compared by verify alone" % f["settlements_not_comparable"])
    if a.json:
        with open(a.json, "w") as out:
            json.dump(f, out, indent=1, sort_keys=True)
            out.write("\n")
    if f["kills"] >= SETTLE_EVERY and f["kills_in_settlement"] == 0:
        print("FAIL server_kill: no kill landed during a settlement")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
