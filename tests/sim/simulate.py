#!/usr/bin/env python3
"""`jifen simulate` on small seeded runs (300 members over 40 days, the default rules and
config, the simulated store kept with --keep-db):
  - daily.csv is `jifen report daily --csv` of the kept store over the simulated days, byte for
    byte: the simulator's rows are the report's computation;
  - the daily rows add up exactly: for every asset, each day's outstanding is the day before's
    plus issued minus removed, equals the sums computed here from the ledger tables alone
    (tests/report/daily_sums.py), and the last day's equals `jifen report liabilities` and the
    members' balances in the accounts table; the growth pool and supply agree with the tables;
  - `jifen verify` passes on the kept store, and `jifen serve` on it answers
    GET /admin/reports/daily and /liabilities with the same rows and liabilities;
  - summary.md's headline figures are the sums of daily.csv (revenue, cash paid out and their
    ratio, the largest single forfeit) and its liabilities those of the report;
  - two runs with the same seed write byte-identical files, another seed different ones;
  - every SVG parses as XML and holds the expected series (a polyline of one point per day, the
    legend's names), axes and title;
  - rules that switch programs off simulate too, and leave no trace of them;
  - bad arguments exit with status 2 and an error naming the argument.

usage: simulate.py JIFEN"""
import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
sys.path.insert(0, os.path.join(HERE, "..", "report"))
import harness  # noqa: E402
from daily_sums import ASSETS, day_number, ledger_by_day  # noqa: E402

MEMBERS, DAYS, SEED = "300", "40", "7"
FIRST, LAST = "2026-01-01", "2026-02-09"
FILES = ["daily.csv", "summary.md", "liabilities.svg", "contribution.svg", "cash.svg",
         "growth_price.svg", "forfeits.svg"]
SVG = "{http://www.w3.org/2000/svg}"


def simulate(jifen, out, *extra, check=True):
    return harness.run(jifen, "simulate", "--members", MEMBERS, "--days", DAYS, "--out", out,
                       *extra, check=check)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def money(text):
    """"1,234.56" -> 123456 (minor units)."""
    whole, frac = text.replace(",", "").split(".")
    return int(whole) * 100 + (int(frac) if not whole.startswith("-") else -int(frac))


def check_sums(checks, jifen, out, db):
    expect = checks.expect
    text = read(os.path.join(out, "daily.csv")).decode()
    report = harness.run(jifen, "report", "daily", "--db", db, "--from", FIRST, "--to", LAST,
                         "--csv").stdout
    expect(text == report, "daily.csv is not `jifen report daily --csv` of the store")
    rows = list(csv.DictReader(io.StringIO(text)))
    expect(len(rows) == int(DAYS), "one row a day: %d" % len(rows))
    net, debt, balances, completed = ledger_by_day(db)
    outstanding = [0] * len(ASSETS)
    for row in rows:
        day = day_number(row["day"])
        expect(row["settled"] == "1", "%s settled" % row["day"])
        for i, a in enumerate(ASSETS):
            issued, removed = int(row[a + "_issued"]), int(row[a + "_removed"])
            out_ = int(row[a + "_outstanding"])
            expect(out_ == outstanding[i] + issued - removed,
                   "%s %s: %d != %d + %d - %d" % (row["day"], a, out_, outstanding[i], issued,
                                                  removed))
            outstanding[i] += net.get(day, [0] * len(ASSETS))[i]
            expect(out_ == outstanding[i], "%s %s outstanding %d, ledger %d" %
                   (row["day"], a, out_, outstanding[i]))
        expect(int(row["orders_completed"]) == completed.get(day, 0),
               "%s orders completed" % row["day"])
    liab = json.loads(harness.run(jifen, "report", "liabilities", "--db", db, "--json").stdout)
    for i, a in enumerate(ASSETS):
        expect(outstanding[i] == liab["assets"][a]["outstanding"] == balances.get(i, 0),
               "%s: days %d, liabilities %d, accounts %r" %
               (a, outstanding[i], liab["assets"][a]["outstanding"], balances.get(i)))
    con = sqlite3.connect(db)
    members = con.execute("SELECT count(*) FROM members").fetchone()[0]
    pool = con.execute("SELECT sum(balance) FROM accounts WHERE owner = -5 AND asset = 0"
                       ).fetchone()[0] or 0
    con.close()
    last = rows[-1]
    expect(int(last["members"]) == members == int(MEMBERS), "members %s" % last["members"])
    expect(int(last["growth_pool"]) == pool == liab["growth_pool"], "pool %s" % pool)
    expect(int(last["growth_supply"]) == liab["growth_supply"], "supply")
    for a in ("locked", "points", "contribution", "redpacket", "ad_points", "growth", "cash"):
        expect(liab["assets"][a]["outstanding"] > 0, "the run moves %s" % a)
    return rows, liab


def check_summary(checks, out, rows, liab):
    expect = checks.expect
    text = read(os.path.join(out, "summary.md")).decode()
    revenue = sum(int(r["revenue"]) for r in rows)
    paid = sum(int(r["cash_paid_out"]) for r in rows)
    biggest = max(int(r["forfeited_locked"]) for r in rows)

    def figure(label):
        m = re.search(r"\| \**%s[^|]*\| \**([-0-9,.]+%%?)" % re.escape(label), text)
        expect(m is not None, "summary.md has %r" % label)
        return m.group(1)

    expect(money(figure("revenue")) == revenue, "summary revenue %s" % figure("revenue"))
    expect(money(figure("cash paid out")) == paid, "summary cash paid out")
    bp = paid * 10000 // revenue
    expect(figure("cash out / revenue") == "%d.%02d%%" % (bp // 100, bp % 100),
           "cash out / revenue %s, %d bp" % (figure("cash out / revenue"), bp))
    expect(money(figure("largest single forfeit")) == biggest and biggest > 0,
           "largest forfeit %s, %d" % (figure("largest single forfeit"), biggest))
    for a in ASSETS:
        m = re.search(r"\| \S+ %s \| ([-0-9,.]+) \|" % a, text)
        expect(m is not None and money(m.group(1)) == liab["assets"][a]["outstanding"],
               "summary liability of %s" % a)
    for k in (30, 90, 365):
        expect("recovered their spending by day %d" % k in text, "recovery by day %d" % k)
    expect(re.search(r"by day 30 [^|]*\| [0-9.]+% \(\d+ of [1-9]\d* paying", text) is not None,
           "members reached day 30 and some paid: %s" % text)


def check_svgs(checks, out):
    expect = checks.expect
    series = {"liabilities.svg": ["零钱 cash", "可用积分 points", "待释放积分 locked"],
              "contribution.svg": ["贡献值 contribution"],
              "cash.svg": ["营收 revenue", "提现支付 cash paid out", "现金奖励 cash rewards",
                           "红包分红 dividends"],
              "growth_price.svg": ["价格 price"], "forfeits.svg": ["烧伤 forfeited"]}
    for name, expected in series.items():
        root = ET.parse(os.path.join(out, name)).getroot()  # raises on malformed XML
        expect(root.tag == SVG + "svg", "%s: root %s" % (name, root.tag))
        lines = root.findall(SVG + "polyline")
        titles = [p.find(SVG + "title").text for p in lines]
        for s in expected:
            expect(s in titles, "%s: series %r in %r" % (name, s, titles))
        for p in lines:
            points = p.get("points").split()
            expect(len(points) == int(DAYS), "%s: %d points" % (name, len(points)))
            for xy in points:
                expect(re.fullmatch(r"\d+\.\d,\d+\.\d", xy) is not None, "%s: %r" % (name, xy))
        texts = [t.text for t in root.iter(SVG + "text")]
        expect(FIRST in texts and "日期 date" in texts, "%s: x axis labels" % name)
        expect(root.find(SVG + "title").text, "%s: a title" % name)


def check_http(checks, jifen, db, rows):
    """The simulated store served: GET /admin/reports/daily and /liabilities answer the rows of
    daily.csv and the liabilities of the CLI (one report code for all three)."""
    expect = checks.expect
    harness.create_admin(jifen, db, "boss", "admin-secret")
    with harness.Server(jifen, "--db", db, "--settle-at", "off", checks=checks) as srv:
        api = harness.Api(srv.url + "/api/v1")
        code, a = api.post("/admin/auth/login", {"username": "boss", "password": "admin-secret"})
        expect(code == 200, "login: %d %r" % (code, a))
        code, daily = api.get("/admin/reports/daily?from=%s&to=%s" % (FIRST, LAST),
                              token=a["token"])
        expect(code == 200 and len(daily["items"]) == len(rows), "daily: %d" % code)
        for item, row in zip(daily["items"], rows):
            for col in ("members", "orders_completed", "sales", "revenue", "cash_paid_out",
                        "cash_rewards", "dividends", "forfeited_locked", "growth_pool"):
                expect(item[col] == int(row[col]), "%s %s: HTTP %r, CSV %s" %
                       (row["day"], col, item[col], row[col]))
            for a_ in ASSETS:
                expect(item["assets"][a_]["outstanding"] == int(row[a_ + "_outstanding"]),
                       "%s %s outstanding over HTTP" % (row["day"], a_))
        code, liab = api.get("/admin/reports/liabilities", token=a["token"])
        cli = json.loads(harness.run(jifen, "report", "liabilities", "--db", db, "--json").stdout)
        expect(code == 200 and liab == cli, "liabilities over HTTP: %d %r" % (code, liab))
        api.close()


def check_same_and_other_seed(checks, jifen, tmp, out):
    again, other = os.path.join(tmp, "again"), os.path.join(tmp, "other")
    simulate(jifen, again, "--seed", SEED)
    simulate(jifen, other, "--seed", str(int(SEED) + 1))
    for f in FILES:
        checks.expect(read(os.path.join(out, f)) == read(os.path.join(again, f)),
                      "%s differs between two runs of seed %s" % (f, SEED))
    checks.expect(read(os.path.join(out, "daily.csv")) != read(os.path.join(other, "daily.csv")),
                  "another seed gives the same daily.csv")


def check_programs_off(checks, jifen, tmp):
    rules = os.path.join(tmp, "off.json")
    with open(rules, "w") as f:
        json.dump({"release": {"enabled": False}, "ad": {"enabled": False},
                   "growth": {"enabled": False}}, f)
    out, db = os.path.join(tmp, "off"), os.path.join(tmp, "off.db")
    simulate(jifen, out, "--rules", rules, "--keep-db", db)
    rows = list(csv.DictReader(io.StringIO(read(os.path.join(out, "daily.csv")).decode())))
    for a in ("locked", "ad_points", "growth"):
        checks.expect(all(int(r[a + "_issued"]) == 0 for r in rows), "%s with its program off" % a)
    checks.expect(int(rows[-1]["contribution_outstanding"]) > 0, "contribution still on")
    checks.expect("rules 规则: off.json" in read(os.path.join(out, "summary.md")).decode(),
                  "summary names the rules file")
    harness.run(jifen, "verify", "--db", db)


def check_bad_arguments(checks, jifen, tmp):
    out = os.path.join(tmp, "bad")
    config = os.path.join(tmp, "bad-config.json")
    with open(config, "w") as f:
        json.dump({"orders": {"dayly": "1%"}}, f)
    rules = os.path.join(tmp, "bad-rules.json")
    with open(rules, "w") as f:
        json.dump({"release": {"daily_rate": "lots"}}, f)
    kept = os.path.join(tmp, "kept.db")
    open(kept, "w").close()
    configs = [({"orders": {"daily": 0.01}}, "config.orders.daily"),
               ({"orders": {"daily": "101%"}}, "config.orders.daily"),
               ({"join": {"curve": "sideways"}}, "config.join.curve"),
               ({"join": {"founders": 0}}, "config.join.founders"),
               ({"referral": {"chains": 1001}}, "config.referral.chains"),
               ({"products": [{"id": "x", "name": "X", "zone": "shop", "price": 1,
                               "weight": 1}]}, "config.products[0].zone"),
               ({"products": [{"id": "x", "name": "X", "zone": "normal", "price": 1}]},
                "config.products[0].weight"),
               ({"products": [{"id": "x", "name": "X", "zone": "normal", "price": 1, "weight": 1},
                              {"id": "x", "name": "Y", "zone": "normal", "price": 2,
                               "weight": 1}]}, "config.products[1]"),
               ({"regions": ["4403"]}, "config.regions[0]"),
               ({"agents": [{"level": "galaxy", "region": "440000"}]}, "config.agents[0]"),
               ({"start": "2026-02-30"}, "config.start"),
               ([1, 2], "config")]
    cases = []
    for i, (doc, named) in enumerate(configs):
        path = os.path.join(tmp, "config-%d.json" % i)
        with open(path, "w") as f:
            json.dump(doc, f)
        cases.append((["--out", out, "--members", "5", "--days", "2", "--config", path], named))
    cases += [
        ([], "--out"),
        (["--out", out, "--members", "0"], "--members"),
        (["--out", out, "--members", "abc"], "--members"),
        (["--out", out, "--members", "1000001"], "--members"),
        (["--out", out, "--days", "3651"], "--days"),
        (["--out", out, "--days", "-3"], "--days"),
        (["--out", out, "--seed", "-1"], "--seed"),
        (["--out", out, "--seed", "18446744073709551616"], "--seed"),
        (["--out", out, "--members"], "--members"),
        (["--out", out, "--frobnicate", "1"], "--frobnicate"),
        (["--out", out, "--config", config], "config.orders.dayly"),
        (["--out", out, "--config", os.path.join(tmp, "none.json")], "config"),
        (["--out", out, "--rules", rules], "rules.release.daily_rate"),
        (["--out", out, "--keep-db", kept], "--keep-db"),
        (["--out", os.path.join(tmp, "no", "such", "dir")], "--out"),
    ]
    for args, named in cases:
        r = harness.run(jifen, "simulate", *args, check=False)
        status = 1 if "config.agents" in named else 2  # the service refuses the agent
        checks.expect(r.returncode == status and named in r.stderr and r.stdout == "",
                      "simulate %s: status %d, stderr %r (should name %s)" %
                      (args, r.returncode, r.stderr, named))


def main():
    jifen = sys.argv[1]
    checks = harness.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        out, db = os.path.join(tmp, "out"), os.path.join(tmp, "sim.db")
        r = simulate(jifen, out, "--seed", SEED, "--keep-db", db)
        checks.expect(r.stdout == "" and "outputs in" in r.stderr, "stderr only: %r" % r.stderr)
        checks.expect(sorted(os.listdir(out)) == sorted(FILES), "files: %r" % os.listdir(out))
        rows, liab = check_sums(checks, jifen, out, db)
        harness.run(jifen, "verify", "--db", db)
        check_summary(checks, out, rows, liab)
        check_http(checks, jifen, db, rows)
        check_svgs(checks, out)
        check_same_and_other_seed(checks, jifen, tmp, out)
        check_programs_off(checks, jifen, tmp)
        check_bad_arguments(checks, jifen, tmp)
    print("simulate: %d checks" % checks.count)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, subprocess.CalledProcessError) as e:
        print("FAIL simulate: %s" % e)
        sys.exit(1)
