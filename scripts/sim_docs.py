#!/usr/bin/env python3
"""Regenerates the simulation shown in docs/rules.md ("What the programs do to the
liabilities"): `jifen simulate` of the default rules and assumptions (2,000 members over 365
days, seed 1) into docs/sim/ (the charts and summary.md), and the table that compares the end of
that run with the same run under each program switched off, written between the markers
<!-- sim-table:begin --> and <!-- sim-table:end --> of docs/rules.md.

tests/docs/sim_charts.py checks that docs/sim/ is what the current binary writes.

usage: scripts/sim_docs.py [JIFEN]   (default build/jifen)"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DOCS_RUN = ["--members", "2000", "--days", "365", "--seed", "1"]
KEEP = ["liabilities.svg", "contribution.svg", "cash.svg", "growth_price.svg", "forfeits.svg",
        "summary.md"]
VARIANTS = [
    ("all programs on (the defaults) 默认", None),
    ("release off 关闭积分释放", {"release": {"enabled": False}}),
    ("contribution and sign-in off 关闭贡献值与签到", {"contribution": {"enabled": False},
                                                   "signin": {"enabled": False}}),
    ("ad points off 关闭广告积分", {"ad": {"enabled": False}}),
    ("growth off 关闭消费增值", {"growth": {"enabled": False}}),
    ("agents off 关闭区域代理", {"agents": {"enabled": False}}),
    ("release without team and peer 无级差平级", {"release": {"ranks": [], "peer": "0%"}}),
]
COLUMNS = [("locked", "待释放 locked"), ("points", "积分 points"), ("cash", "零钱 cash"),
           ("redpacket+voucher", "红包+消费金 redpacket+voucher"), ("ad_points", "广告积分 ad"),
           ("growth", "增值积分 growth"), ("paid_out", "提现 paid out"),
           ("forfeited", "烧伤 forfeited")]


def yuan(minor):
    return "{:,}".format(minor // 100)


def run(jifen, out, rules=None):
    args = [jifen, "simulate", *DOCS_RUN, "--out", out]
    if rules is not None:
        args += ["--rules", rules]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "daily.csv")) as f:
        rows = list(csv.DictReader(f))
    last = rows[-1]
    v = {a: int(last[a + "_outstanding"]) for a in ("locked", "points", "cash", "ad_points",
                                                     "growth")}
    v["redpacket+voucher"] = (int(last["redpacket_outstanding"]) +
                              int(last["voucher_outstanding"]))
    v["paid_out"] = sum(int(r["cash_paid_out"]) for r in rows)
    v["forfeited"] = sum(int(r["forfeited_locked"]) for r in rows)
    v["revenue"] = sum(int(r["revenue"]) for r in rows)
    return v


def table(jifen, tmp):
    lines = ["| rules 规则 | " + " | ".join(c[1] for c in COLUMNS) + " |",
             "|---|" + "---:|" * len(COLUMNS)]
    for i, (label, patch) in enumerate(VARIANTS):
        rules = None
        if patch is not None:
            rules = os.path.join(tmp, "v%d.json" % i)
            with open(rules, "w") as f:
                json.dump(patch, f)
        v = run(jifen, os.path.join(tmp, "v%d" % i), rules)
        lines.append("| %s | " % label + " | ".join(yuan(v[c[0]]) for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def main():
    jifen = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "jifen")
    docs = os.path.join(ROOT, "docs", "sim")
    os.makedirs(docs, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "default")
        run(jifen, out)
        for name in KEEP:
            shutil.copy(os.path.join(out, name), os.path.join(docs, name))
        text = table(jifen, tmp)
    path = os.path.join(ROOT, "docs", "rules.md")
    with open(path) as f:
        doc = f.read()
    pattern = re.compile(r"(<!-- sim-table:begin -->\n).*?(<!-- sim-table:end -->)", re.S)
    if not pattern.search(doc):
        sys.exit("docs/rules.md has no <!-- sim-table:begin --> ... <!-- sim-table:end -->")
    with open(path, "w") as f:
        f.write(pattern.sub(lambda m: m.group(1) + text + m.group(2), doc))
    print("docs/sim/ and the table of docs/rules.md regenerated")


if __name__ == "__main__":
    main()
