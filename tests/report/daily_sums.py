#!/usr/bin/env python3
"""The daily report adds up exactly. A store is built by `jifen replay` from ledger_days.jsonl
(five days, each followed by its settlement and a snapshot); then, for every asset:
  - each day's outstanding is the day before's plus issued minus removed;
  - the sum over the days of issued minus removed is the outstanding of `jifen report
    liabilities`, and the members' balances in the accounts table;
  - each day's outstanding and debt equal sums computed here from the ledger tables alone
    (transfers, release rows, debt log; a settlement's rows on its day, others on the local day
    of their time), and the members' balances and debts of the snapshot taken after that day;
and the counts and the growth pool agree with the tables and the snapshots. The CSV and the
JSON output carry the same numbers, and a shorter range gives the same rows as the whole.

usage: daily_sums.py JIFEN"""
import csv
import datetime
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
import harness  # noqa: E402
ASSETS = ["cash", "points", "locked", "contribution", "redpacket", "voucher", "ad_points",
          "growth", "token"]
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
EPOCH = datetime.date(1970, 1, 1)


def day_number(text):
    return (datetime.date.fromisoformat(text) - EPOCH).days


def local_day(ts):
    return (datetime.datetime.fromtimestamp(ts, TZ).date() - EPOCH).days


def movement_day(ref, at):
    return day_number(ref[4:]) if ref.startswith("day:") else local_day(at)


def ledger_by_day(db):
    """{day: [net change of member balances per asset]}, {day: [debt change per asset]}."""
    con = sqlite3.connect(db)
    net, debt = {}, {}
    for debit, credit, asset, amount, ref, at in con.execute(
            "SELECT debit, credit, asset, amount, ref, at FROM transfers"):
        row = net.setdefault(movement_day(ref, at), [0] * len(ASSETS))
        row[asset] += (amount if credit > 0 else 0) - (amount if debit > 0 else 0)
    for day, static, share, team, peer in con.execute(
            "SELECT day, static, share, team, peer FROM releases"):
        row = net.setdefault(day, [0] * len(ASSETS))
        released = static + share + team + peer
        row[ASSETS.index("locked")] -= released
        row[ASSETS.index("points")] += released
    for account, delta, ref, at in con.execute("SELECT account, delta, ref, at FROM debt_log"):
        debt.setdefault(movement_day(ref, at), [0] * len(ASSETS))[account % 16] += delta
    balances = dict(con.execute("SELECT asset, sum(balance) FROM balances WHERE owner > 0 "
                                "GROUP BY asset").fetchall())
    completed = dict(con.execute("SELECT completed_day, count(*) FROM orders "
                                 "WHERE completed_day IS NOT NULL GROUP BY completed_day"))
    con.close()
    return net, debt, balances, completed


def run(*args):
    return harness.run(*args).stdout


def main():
    jifen = sys.argv[1]
    checks = harness.Checks()
    expect = checks.expect
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "r.db")
        out = harness.replay(jifen, db, os.path.join(HERE, "ledger_days.jsonl")).stdout
        snapshots = {s["day_settled"]: s for s in map(json.loads, out.splitlines())}
        first, last = "2026-03-01", "2026-03-07"  # a day before the first event, one after
        rows = list(csv.DictReader(io.StringIO(run(jifen, "report", "daily", "--db", db,
                                                   "--from", first, "--to", last, "--csv"))))
        lines = [json.loads(x) for x in run(jifen, "report", "daily", "--db", db, "--from",
                                            first, "--to", last).splitlines()]
        liab = json.loads(run(jifen, "report", "liabilities", "--db", db, "--json"))
        net, debt, balances, completed = ledger_by_day(db)
        expect(len(rows) == len(lines) == 7, "one row a day: %d, %d" % (len(rows), len(lines)))

        outstanding, owed = [0] * len(ASSETS), [0] * len(ASSETS)
        total = [0] * len(ASSETS)
        for row, line in zip(rows, lines):
            day = day_number(row["day"])
            expect(line["day"] == row["day"], "same days: %s %s" % (line["day"], row["day"]))
            for i, a in enumerate(ASSETS):
                issued, removed = int(row[a + "_issued"]), int(row[a + "_removed"])
                out_ = int(row[a + "_outstanding"])
                expect(out_ == outstanding[i] + issued - removed,
                       "%s %s: %d != %d + %d - %d" % (row["day"], a, out_, outstanding[i],
                                                      issued, removed))
                total[i] += issued - removed
                outstanding[i] += net.get(day, [0] * len(ASSETS))[i]
                owed[i] += debt.get(day, [0] * len(ASSETS))[i]
                expect(out_ == outstanding[i], "%s %s outstanding %d, ledger %d" %
                       (row["day"], a, out_, outstanding[i]))
                expect(int(row[a + "_debt"]) == owed[i], "%s %s debt %s, debt log %d" %
                       (row["day"], a, row[a + "_debt"], owed[i]))
                expect(line["assets"][a] == {"issued": issued, "removed": removed,
                                             "outstanding": out_, "debt": int(row[a + "_debt"])},
                       "%s %s: JSON %r" % (row["day"], a, line["assets"][a]))
            expect(int(row["orders_completed"]) == completed.get(day, 0),
                   "%s orders completed %s" % (row["day"], row["orders_completed"]))
            for col in ("members", "sales", "revenue", "cash_paid_out", "dividends",
                        "forfeited_locked", "growth_pool", "growth_supply"):
                expect(line[col] == int(row[col]), "%s %s: CSV %s, JSON %s" %
                       (row["day"], col, row[col], line[col]))
            snap = snapshots.get(row["day"])
            if snap is not None:  # the state right after the day's settlement
                members = snap["members"].values()
                expect(int(row["members"]) == len(snap["members"]), "%s members" % row["day"])
                expect(int(row["growth_pool"]) == snap["system"]["growth_pool"] and
                       int(row["growth_supply"]) == snap["system"]["growth_supply"],
                       "%s growth: %s %s, snapshot %r" % (row["day"], row["growth_pool"],
                                                         row["growth_supply"], snap["system"]))
                for a in ASSETS:
                    held = sum(m[a] for m in members)
                    due = sum(m["debt"].get(a, 0) for m in members)
                    expect(int(row[a + "_outstanding"]) == held and int(row[a + "_debt"]) == due,
                           "%s %s: report %s/%s, snapshot %d/%d" %
                           (row["day"], a, row[a + "_outstanding"], row[a + "_debt"], held, due))
        expect(len(snapshots) == 5, "five settled days: %r" % sorted(snapshots))
        forfeited = sum(int(r["forfeited_locked"]) for r in rows)
        expect(forfeited > 0 and forfeited == snapshots["2026-03-06"]["system"]["forfeited"]
               ["locked"] == liab["forfeited_locked"], "forfeited %d, %r" % (forfeited, liab))
        for i, a in enumerate(ASSETS):
            expect(total[i] == liab["assets"][a]["outstanding"] == balances.get(i, 0),
                   "%s: sum of days %d, liabilities %d, accounts %r" %
                   (a, total[i], liab["assets"][a]["outstanding"], balances.get(i)))
            expect(liab["assets"][a]["debt"] == owed[i], "%s debt %r" % (a, liab["assets"][a]))
        expect(any(total) and any(owed), "the scenario moves assets and leaves debts")
        expect(liab["day_settled"] == "2026-03-06", "settled: %r" % liab["day_settled"])
        # a range that starts and ends inside the history gives the same rows: the days before
        # it are carried into its first outstanding, the days after it left out
        part = run(jifen, "report", "daily", "--db", db, "--from", "2026-03-04", "--to",
                   "2026-03-05")
        expect([json.loads(x) for x in part.splitlines()] == lines[3:5],
               "2026-03-04..05 alone: %s" % part)
        run(jifen, "verify", "--db", db)
    print("report daily sums: %d checks over %d days" % (checks.count, len(rows)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, subprocess.CalledProcessError) as e:
        print("FAIL report daily sums: %s" % e)
        sys.exit(1)
