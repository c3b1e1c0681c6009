#!/usr/bin/env python3
"""The bank test: 100 clients move points among 10 members at once, and not a point is made or
lost.

Ten members are funded through the admin's adjustment (1,000.00 points each) and the rules take
a fee of 1.5% on a transfer (PUT /admin/rules). Then 100 client threads, released together, each
send 20 transfers (POST /me/transfers, each with an Idempotency-Key; a connection lost is
retried with the same key) as one of the members, to a random member, of a random amount from
0.01 to 600.00 points: some more than the sender holds (refused: 422 naming amount), one in 20
to the sender itself (refused: 400 naming to_phone). While they run, one thread reads every
member's balances through GET /admin/members/{id} and another the store itself, in one read:
no balance and no debt is ever negative, and the members' points plus the fees taken always add
up to the points granted. (Before, the members sign in and 22 newcomers register, 32 clients at
once: the server hashes a few passwords at a time, so its memory grows by a few 64 MiB hashes,
not by one a client.) Afterwards:
  - every answer was a 201, or one of those two refusals;
  - each member's points are exactly what the acknowledged transfers make of its grant
    (receivers get the amount less floor(amount x 1.5%));
  - the ledger holds every acknowledged transfer once, and nothing else: per sender and
    receiver, the amounts of its transfer rows are the acknowledged amounts less their fees,
    and the fee rows (sender to the sink) are the fees;
  - the members' points plus the fees equal the points granted, exactly;
  - the server stops cleanly and `jifen verify` passes.
Prints the transfers acknowledged and refused, and how long they took.

usage: bank.py JIFEN"""
import collections
import http.client
import random
import sys
import tempfile
import threading
import time
import uuid

import harness

PASSWORD = "jifen-test-password"  # what `jifen replay` gives the members it registers
MEMBERS = 10
CLIENTS = 100
EACH = 20  # transfers a client sends
GRANT = 100000  # 1,000.00 points a member
MAX_AMOUNT = 60000
FEE_PPM = 15000  # 1.5%
POINTS = 1  # the asset's number in account ids (owner x 16 + asset)
SINK = -2


def phone(i):
    return "1390000%04d" % i


def fee_of(amount):
    return amount * FEE_PPM // 1000000


def transfer(api, token, to, amount, key):
    """One transfer; a lost connection is tried again with the same key (answered once)."""
    body = {"to_phone": to, "asset": "points", "amount": amount}
    for attempt in range(3):
        try:
            return api.call("POST", "/me/transfers", body, token=token, key=key)
        except (http.client.HTTPException, OSError):
            if attempt == 2:
                raise
            time.sleep(0.2)


class Run:
    def __init__(self, url, tokens, seed):
        self.url, self.tokens = url, tokens
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.acknowledged = []  # (sender, receiver, amount)
        self.refused = collections.Counter()
        self.wrong = []
        self.done = threading.Event()
        self.go = threading.Barrier(CLIENTS)

    def plan(self):
        """Each client's transfers, drawn before the start: (sender, receiver, amount)."""
        out = []
        for c in range(CLIENTS):
            sender = c % MEMBERS
            reqs = []
            for _ in range(EACH):
                to = sender if self.rng.random() < 0.05 else self.rng.randrange(MEMBERS)
                reqs.append((sender, to, self.rng.randint(1, MAX_AMOUNT)))
            out.append(reqs)
        return out

    def client(self, reqs):
        api = harness.Api(self.url)
        try:
            self.go.wait()
            for sender, to, amount in reqs:
                s, a = transfer(api, self.tokens[sender], phone(to), amount, uuid.uuid4().hex)
                err = a.get("error", {}) if isinstance(a, dict) else {}
                with self.lock:
                    if s == 201 and a.get("replayed") is False and sender != to:
                        self.acknowledged.append((sender, to, amount))
                    elif s == 422 and err.get("code") == "insufficient_balance" \
                            and err.get("field") == "amount":
                        self.refused["balance"] += 1
                    elif s == 400 and sender == to and err.get("field") == "to_phone":
                        self.refused["oneself"] += 1
                    else:
                        self.wrong.append("%d -> %d, %d: %s %s" % (sender, to, amount, s, a))
        except Exception as e:  # noqa: BLE001  (reported by the checks)
            with self.lock:
                self.wrong.append("client: %r" % e)
        finally:
            api.close()


def high_water(pid):
    """The most memory the process has held (VmHWM), in bytes."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM for process %d" % pid)


def sanitized(pid):
    """Whether the server runs with AddressSanitizer or ThreadSanitizer, whose shadow memory and
    quarantine of freed blocks make its memory no measure of what it holds."""
    with open("/proc/%d/maps" % pid) as f:
        return any(lib in line for line in f for lib in ("libasan", "libtsan"))


def sign_in_at_once(url, checks, pid):
    """The members sign in and 22 newcomers register, 32 clients at once: every one gets its
    answer, and the server's memory grows by a few password hashes (argon2id, 64 MiB each),
    not by one a client. Returns the members' tokens and the growth in bytes."""
    answers = [None] * 32
    go = threading.Barrier(32)

    def client(i):
        api = harness.Api(url)
        try:
            go.wait()
            if i < MEMBERS:
                answers[i] = api.post("/auth/login", {"phone": phone(i), "password": PASSWORD})
            else:
                answers[i] = api.post("/auth/register", {"phone": phone(1000 + i),
                                                         "password": "newcomer-%d" % i})
        except Exception as e:  # noqa: BLE001  (reported below)
            answers[i] = (0, repr(e))
        finally:
            api.close()

    before = high_water(pid)
    threads = [threading.Thread(target=client, args=(i,)) for i in range(32)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    grew = high_water(pid) - before
    checks.expect([s for s, _ in answers] == [200] * MEMBERS + [201] * (32 - MEMBERS),
                  "32 sign-ins and registrations at once: %s" % answers)
    checks.expect(grew < 8 * 64 << 20 or sanitized(pid), "the server's memory grew by %d MiB "
                  "for 32 password hashes at once" % (grew >> 20))
    return [a["token"] for _, a in answers[:MEMBERS]], grew


def watch_api(run, url, admin, ids, seen):
    """Every member's balances through the admin API, over and over, until the run ends."""
    api = harness.Api(url)
    try:
        while not run.done.is_set():
            for i in range(MEMBERS):
                s, a = api.call("GET", "/admin/members/" + ids[i], token=admin)
                seen["api"] += 1
                if s != 200 or a["balances"]["points"] < 0 or a["debts"]:
                    run.wrong.append("member %d read during the run: %s %s" % (i, s, a))
    finally:
        api.close()


def watch_store(run, db, total, seen):
    """The members' points and the fees taken, in one read of the store, over and over: never
    a negative balance or a debt, and always the points granted in all."""
    while not run.done.is_set():
        rows = harness.query(db, "SELECT owner, balance, debt FROM balances WHERE asset = ? AND "
                                 "(owner > 0 OR owner = ?)", POINTS, SINK)
        seen["store"] += 1
        members = [r for r in rows if r[0] > 0]
        if any(b < 0 or d != 0 for _, b, d in members):
            run.wrong.append("a member's points below 0 or a debt: %s" % rows)
        held = sum(b for o, b, _ in rows)
        if held != total:
            run.wrong.append("members' points and fees %d, not %d: %s" % (held, total, rows))
        time.sleep(0.05)


def main():
    jifen = sys.argv[1]
    checks = harness.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "b")
        harness.create_store(jifen, db, [{"op": "register", "member": "m%d" % i,
                                          "phone": phone(i)} for i in range(MEMBERS)])
        harness.create_admin(jifen, db, "boss", "admin-secret")
        ids = ["m%d" % i for i in range(MEMBERS)]
        try:
            with harness.Server(jifen, "--db", db, "--settle-at", "off", checks=checks) as srv:
                url = srv.url + "/api/v1"
                api = harness.Api(url)
                s, a = api.post("/admin/auth/login", {"username": "boss",
                                                      "password": "admin-secret"})
                admin = a["token"]
                s, a = api.call("PUT", "/admin/rules", {"points": {"transfer_fee": "1.5%"}},
                                token=admin, key="bank-fee")
                checks.expect(s == 200, "the fee: %d %s" % (s, a))
                for m in ids:
                    s, a = api.post("/admin/members/%s/adjust" % m, {
                        "asset": "points", "amount": GRANT, "reason": "bank test"},
                        token=admin, key="grant-" + m)
                    checks.expect(s == 200, "grant %s: %d %s" % (m, s, a))
                tokens, grew = sign_in_at_once(url, checks, srv.proc.pid)
                sink0 = harness.query(db, "SELECT balance FROM balances WHERE owner = ? AND "
                                          "asset = ?", SINK, POINTS)
                sink0 = sink0[0][0] if sink0 else 0
                total = MEMBERS * GRANT + sink0

                run = Run(url, tokens, seed=20261206)
                plans = run.plan()
                seen = collections.Counter()
                watchers = [threading.Thread(target=watch_api, args=(run, url, admin, ids, seen)),
                            threading.Thread(target=watch_store, args=(run, db, total, seen))]
                clients = [threading.Thread(target=run.client, args=(p,)) for p in plans]
                for th in watchers:
                    th.start()
                started = time.monotonic()
                for th in clients:
                    th.start()
                for th in clients:
                    th.join(timeout=600)
                took = time.monotonic() - started
                run.done.set()
                for th in watchers:
                    th.join(timeout=60)
                checks.expect(not run.wrong, "%d wrong: %s" % (
                    len(run.wrong), "\n".join(w[:300] for w in run.wrong[:20])))
                checks.expect(seen["api"] > 0 and seen["store"] > 0,
                              "balances read during the run: %s" % dict(seen))
                sent = CLIENTS * EACH
                checks.expect(len(run.acknowledged) + sum(run.refused.values()) == sent,
                              "%d acknowledged and %s refused of %d" % (
                                  len(run.acknowledged), dict(run.refused), sent))
                check_balances(api, checks, admin, ids, run)
                api.close()
            check_ledger(checks, db, run, total)
            done = harness.run(jifen, "verify", "--db", db, check=False)
            checks.expect(done.returncode == 0, "verify: %s %s" % (done.stdout, done.stderr))
        except Exception as e:  # report; the server is stopped by the harness
            print("FAIL http bank: %s" % e)
            return 1
    fees = sum(fee_of(a) for _, _, a in run.acknowledged)
    print("http bank: %d transfers by %d clients among %d members in %.1f s (%.0f a second): "
          "%d acknowledged, %d refused for the balance, %d to oneself refused; %d fees "
          "(%d.%02d points) taken, the members' points and the fees add up to the %d.%02d "
          "points granted; balances read %d times through the API and %d in the store during "
          "the run, never negative; verify ok; 32 sign-ins and registrations at once grew the "
          "server by %d MiB; %d checks" % (
              CLIENTS * EACH, CLIENTS, MEMBERS, took, CLIENTS * EACH / took,
              len(run.acknowledged), run.refused["balance"], run.refused["oneself"],
              sum(1 for _, _, a in run.acknowledged if fee_of(a) > 0), fees // 100, fees % 100,
              MEMBERS * GRANT // 100, MEMBERS * GRANT % 100, seen["api"], seen["store"],
              grew >> 20, checks.count))
    return 0


def check_balances(api, checks, admin, ids, run):
    """Each member's points are its grant less what it sent plus what it received, net of
    fees."""
    want = [GRANT] * MEMBERS
    for sender, to, amount in run.acknowledged:
        want[sender] -= amount
        want[to] += amount - fee_of(amount)
    for i, m in enumerate(ids):
        s, a = api.get("/admin/members/" + m, token=admin)
        checks.expect(s == 200 and a["balances"]["points"] == want[i] and not a["debts"],
                      "%s: %s points, %d from the acknowledged transfers" % (
                          m, a.get("balances"), want[i]))


def differences(want, got):
    return "missing %s, extra %s" % (list((want - got).items())[:5],
                                     list((got - want).items())[:5])


def check_ledger(checks, db, run, total):
    """Every acknowledged transfer is in the ledger once, and nothing else is."""
    account = {ext: mid * 16 + POINTS for mid, ext in
               harness.query(db, "SELECT id, ext_id FROM members")}
    ids = ["m%d" % i for i in range(MEMBERS)]
    sink = SINK * 16 + POINTS
    want_moves, want_fees = collections.Counter(), collections.Counter()
    for sender, to, amount in run.acknowledged:
        a, b = account[ids[sender]], account[ids[to]]
        want_moves[(a, b, amount - fee_of(amount))] += 1
        if fee_of(amount) > 0:
            want_fees[(a, sink, fee_of(amount))] += 1
    rows = harness.query(db, "SELECT debit, credit, amount, kind FROM transfers "
                             "WHERE kind IN ('transfer', 'transfer_fee')")
    moves = collections.Counter((d, c, n) for d, c, n, k in rows if k == "transfer")
    fees = collections.Counter((d, c, n) for d, c, n, k in rows if k == "transfer_fee")
    checks.expect(moves == want_moves, "transfer rows: %d, %d acknowledged; %s" % (
        sum(moves.values()), len(run.acknowledged), differences(want_moves, moves)))
    checks.expect(fees == want_fees, "fee rows: %s" % differences(want_fees, fees))
    rows = harness.query(db, "SELECT owner, balance FROM balances WHERE asset = ? AND "
                             "(owner > 0 OR owner = ?)", POINTS, SINK)
    held = sum(b for o, b in rows if o > 0)
    taken = sum(b for o, b in rows if o == SINK)
    checks.expect(held + taken == total and taken - (total - MEMBERS * GRANT) == sum(
        fee_of(a) for _, _, a in run.acknowledged),
        "members %d + fees %d, granted %d" % (held, taken, total))


if __name__ == "__main__":
    sys.exit(main())
