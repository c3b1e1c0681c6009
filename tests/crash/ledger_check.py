"""What the crash and fault-injection tests share: the state-changing requests their clients
send, each of which knows how to send itself again with the same Idempotency-Key and where its
effect lies in the store; an index of the store's ledger, read incrementally; and a comparison of
two stores, for settlements.

A request's effect has parts that one transaction writes together (a transfer row and its
Idempotency-Key; an order row, its payment and its key; ...). Req.state(ledger) counts each part
and says what the store holds of the request:

    "once"  every part is there once: applied exactly once
    "none"  no part is there: not applied
    "half"  some parts and not others: half-applied, a defect
    "many"  a part is there more than once: applied twice, a defect

The amounts of transfers and withdrawals are unique in a run, so that each request's rows are
found by what they move. The stores are SQLite files, read with read-only connections.

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
    import ledger_check
"""
import collections
import datetime
import json
import sqlite3

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))  # the rules' default time zone
CASH, POINTS = 0, 1  # asset numbers (core/types.c)
PAID, COMPLETED = 1, 2  # order statuses (core/types.h)


def account(owner, asset):
    """An account's id (docs/architecture.md, Accounts)."""
    return owner * 16 + asset


def today():
    """The business day now, YYYY-MM-DD, in the rules' default time zone."""
    return datetime.datetime.now(SHANGHAI).date().isoformat()


def day_add(day, n):
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=n)).isoformat()


def day_number(day):
    """A day as the store keeps it: days since 1970-01-01."""
    return (datetime.date.fromisoformat(day) - datetime.date(1970, 1, 1)).days


def day_text(number):
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=number)).isoformat()


def connect_ro(db):
    """A read-only connection to the SQLite store `db`."""
    return sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=30)


class Req:
    """One state-changing request: kind (transfer, order, complete, withdraw, signin), the path
    and body it POSTs, its Idempotency-Key and the caller's token, the caller's idempotency
    scope ("m<member id>" or "a<admin id>": the store records the key as scope:key), and the
    facts that find its effect:

        transfer  debit, credit (account ids), amount
        order     order (its id)
        complete  order, reward (the kind of transfer its completion credits)
        withdraw  member (id), amount
        signin    ext (the member's external id); `days` collects the business days on which
                  it was sent or answered
    """

    def __init__(self, kind, path, body, key, token, scope, **facts):
        self.kind, self.path, self.body, self.key, self.token = kind, path, body, key, token
        self.scope, self.facts = scope, facts
        self.days = set()
        self.status, self.answer = None, None

    def send(self, api):
        """POSTs the request with its key; returns (status, answer)."""
        self.days.add(today())
        status, answer = api.post(self.path, self.body, token=self.token, key=self.key)
        self.days.add(today())
        return status, answer

    def scoped_key(self):
        return "%s:%s" % (self.scope, self.key)

    def parts(self, led):
        """How many times each part of the request's effect is in the ledger `led`."""
        f = self.facts
        key = int(self.scoped_key() in led.keys)
        if self.kind == "transfer":
            return {"transfer": led.moves[("transfer", f["debit"], f["credit"], f["amount"])],
                    "key": key}
        if self.kind == "order":
            return {"order": int(f["order"] in led.orders),
                    "payment": led.refs[("order:" + f["order"], "order_payment")], "key": key}
        if self.kind == "complete":
            return {"completed": int(led.orders.get(f["order"]) == COMPLETED),
                    "reward": led.refs[("order:" + f["order"], f["reward"])], "key": key}
        if self.kind == "withdraw":
            ids = led.withdrawals.get((f["member"], f["amount"]), [])
            return {"withdrawal": len(ids),
                    "hold": sum(led.refs[("withdrawal:" + e, "withdrawal_hold")] for e in ids),
                    "key": key}
        if self.kind == "signin":
            return {"signin": sum(led.refs[("signin:%s:%s" % (f["ext"], d), "signin")]
                                  for d in self.days), "key": key}
        raise ValueError(self.kind)

    def state(self, led):
        """(state, parts): what the ledger holds of the request (see the top)."""
        p = self.parts(led)
        counts = list(p.values())
        if self.kind == "signin":
            # once a day: a sign-in that found the day signed in already is a replay of the
            # first; its key is recorded, the reward is the first one's
            if p["signin"] > 1:
                return "many", p
            if p["key"] == 0:
                return "none", p
            return ("once" if p["signin"] == 1 else "half"), p
        if any(c > 1 for c in counts):
            return "many", p
        if all(c == 0 for c in counts):
            return "none", p
        return ("once" if all(c == 1 for c in counts) else "half"), p

    def describe(self):
        return "%s %s key %s %s" % (self.kind, self.path, self.key, json.dumps(self.body))


class Ledger:
    """What the store holds of the requests' effects, read incrementally: the transfers of the
    kinds the requests make (by what they move and by reference), the recorded Idempotency-Keys,
    the withdrawals and the orders' statuses. Rows that are committed never change (transfers,
    keys, withdrawal requests: new rows get higher ids), so each refresh reads only the rows
    added since the last one; the orders' statuses change, and are read whole."""

    KINDS = ("transfer", "order_payment", "consumption_points", "lot", "withdrawal_hold",
             "signin")

    def __init__(self, db):
        self.db = db
        self.moves, self.refs = collections.Counter(), collections.Counter()
        self.keys, self.orders, self.withdrawals = set(), {}, {}
        self.last = {"transfers": 0, "requests": 0, "withdrawals": 0}

    def refresh(self):
        con = connect_ro(self.db)
        try:
            kinds = ",".join("'%s'" % k for k in self.KINDS)
            for tid, debit, credit, amount, kind, ref in con.execute(
                    "SELECT id, debit, credit, amount, kind, ref FROM transfers "
                    "WHERE id > ? AND kind IN (%s) ORDER BY id" % kinds,
                    (self.last["transfers"],)):
                self.moves[(kind, debit, credit, amount)] += 1
                self.refs[(ref, kind)] += 1
            self.last["transfers"] = con.execute(
                "SELECT coalesce(max(id), 0) FROM transfers").fetchone()[0]
            for rowid, key in con.execute("SELECT rowid, key FROM requests WHERE rowid > ? "
                                          "ORDER BY rowid", (self.last["requests"],)):
                self.keys.add(key)
                self.last["requests"] = rowid
            for wid, member, amount, ext in con.execute(
                    "SELECT id, member, amount, ext_id FROM withdrawals WHERE id > ? ORDER BY id",
                    (self.last["withdrawals"],)):
                self.withdrawals.setdefault((member, amount), []).append(ext)
                self.last["withdrawals"] = wid
            self.orders = dict(con.execute("SELECT ext_id, status FROM orders"))
        finally:
            con.close()


def snapshot(db, dst):
    """Copies the store `db` (a server may have it open and be writing: the copy is one
    committed state) to the new file `dst`."""
    src, out = connect_ro(db), sqlite3.connect(dst)
    try:
        src.backup(out)
    finally:
        out.close()
        src.close()


# What a settlement run by the server may write otherwise than `jifen settle` on a copy: times,
# reports' timings, the audit log's actor, and the settlement request's Idempotency-Key.
TIME_COLUMNS = {"at", "settled_at", "report"}
SKIP_TABLES = {"audit"}


def _report(text):
    doc = json.loads(text)
    doc.pop("seconds", None)
    doc.pop("stage_ms", None)
    return doc


def compare_stores(a, b, from_day):
    """The differences between the stores `a` and `b`, as a list of text (empty: none): every
    row of every table but the audit log, without time columns and without settlement requests'
    keys; the release rows from the day `from_day` on (older ones come from the same copy, and
    are many); and the settlements' reports without their timings."""
    con = connect_ro(a)
    try:
        con.execute("ATTACH DATABASE ? AS ref", ("file:%s?mode=ro" % b,))
        tables = [r[0] for r in con.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE "
            "'sqlite_%' ORDER BY name")]
        ref_tables = {r[0] for r in con.execute(
            "SELECT name FROM ref.sqlite_master WHERE type = 'table'")}
        out = ["table %s missing" % t for t in tables if t not in ref_tables]
        for t in tables:
            if t in SKIP_TABLES or t not in ref_tables:
                continue
            cols = ", ".join('"%s"' % r[1] for r in con.execute("PRAGMA main.table_info(%s)" % t)
                             if r[1] not in TIME_COLUMNS)
            where = ""
            if t == "releases":
                where = " WHERE day >= %d" % day_number(from_day)
            elif t == "requests":
                where = " WHERE hash NOT LIKE 'settle|%'"
            for x, y in (("main", "ref"), ("ref", "main")):
                n = con.execute("SELECT count(*) FROM (SELECT %s FROM %s.%s%s EXCEPT "
                                "SELECT %s FROM %s.%s%s)" % (cols, x, t, where, cols, y, t,
                                                            where)).fetchone()[0]
                if n:
                    out.append("%s: %d rows of %s not in %s" % (t, n, "the store" if x == "main"
                                                               else "the reference",
                                                               "the reference" if x == "main"
                                                               else "the store"))
        mine = {d: _report(r) for d, r in con.execute("SELECT day, report FROM main.settlements")}
        theirs = {d: _report(r) for d, r in con.execute("SELECT day, report FROM ref.settlements")}
        for d in sorted(set(mine) | set(theirs)):
            if mine.get(d) != theirs.get(d):
                out.append("settlement report of %s differs" % day_text(d))
        return out
    finally:
        con.close()


def settled_through(db):
    """The last settled day (YYYY-MM-DD), or None."""
    con = connect_ro(db)
    try:
        d = con.execute("SELECT max(day) FROM settlements").fetchone()[0]
        return None if d is None else day_text(d)
    finally:
        con.close()
