#!/usr/bin/env python3
"""Runs one scenario through `jifen replay --db` on a fresh store, compares every snapshot with
the .expected file as JSON (key order and spacing do not matter), then runs `jifen verify` on
the store the scenario left.

usage: check.py JIFEN SCENARIO.jsonl [--pending] [--db URL]
With --pending the scenario must fail with "not implemented" (its program is not built yet).
With --db the store is the given one (an empty PostgreSQL database, say) instead of a new SQLite
file."""
import json
import os
import subprocess
import sys
import tempfile


def first_diff(want, got, path=""):
    if type(want) is not type(got):
        return "%s: expected %r, got %r" % (path or "/", want, got)
    if isinstance(want, dict):
        for k in sorted(set(want) | set(got)):
            if k not in got:
                return "%s/%s: missing" % (path, k)
            if k not in want:
                return "%s/%s: unexpected" % (path, k)
            d = first_diff(want[k], got[k], path + "/" + k)
            if d:
                return d
    elif isinstance(want, list):
        if len(want) != len(got):
            return "%s: expected %d items, got %d" % (path, len(want), len(got))
        for i, (w, g) in enumerate(zip(want, got)):
            d = first_diff(w, g, "%s[%d]" % (path, i))
            if d:
                return d
    elif want != got:
        return "%s: expected %r, got %r" % (path or "/", want, got)
    return None


def main():
    jifen, scen = sys.argv[1], sys.argv[2]
    pending = "--pending" in sys.argv[3:]
    url = None
    if "--db" in sys.argv[3:]:
        url = sys.argv[sys.argv.index("--db") + 1]
    name = os.path.basename(scen)
    with tempfile.TemporaryDirectory() as tmp:
        db = url or os.path.join(tmp, "s.db")
        run = subprocess.run([jifen, "replay", "--db", db, scen], capture_output=True, text=True,
                             timeout=300)
        if pending:
            if run.returncode != 0 and "not implemented" in run.stderr:
                print("pending %s (its program is not built yet)" % name)
                return 0
            print("FAIL %s: listed as pending but did not fail with 'not implemented'; remove it "
                  "from PENDING if it passes now" % name)
            return 1
        if run.returncode != 0:
            print("FAIL %s: exit %d\n%s" % (name, run.returncode, run.stderr[-2000:]))
            return 1
        want = [l for l in open(scen[:-len(".jsonl")] + ".expected").read().splitlines() if l]
        got = run.stdout.splitlines()
        if len(got) != len(want):
            print("FAIL %s: expected %d snapshots, got %d" % (name, len(want), len(got)))
            return 1
        for i, (w, g) in enumerate(zip(want, got)):
            try:
                d = first_diff(json.loads(w), json.loads(g))
            except ValueError as e:
                d = "not JSON: %s" % e
            if d:
                print("FAIL %s: snapshot %d %s" % (name, i + 1, d))
                return 1
        ver = subprocess.run([jifen, "verify", "--db", db], capture_output=True, text=True,
                             timeout=300)
        if ver.returncode != 0:
            print("FAIL %s: jifen verify after the scenario:\n%s%s" % (name, ver.stdout,
                                                                       ver.stderr))
            return 1
    print("ok %s (%d snapshots; verify ok)" % (name, len(want)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
