#!/usr/bin/env python3
"""Crash safety of the daily settlement: kills `jifen settle` with SIGKILL in the middle of a
day, runs it again, and checks that the store ends exactly as an uninterrupted settlement
leaves it, and that `jifen verify` passes.

usage: settle_kill.py JIFEN JIFEN_BENCH [--members N] [--kills K] [--seed S]"""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

DAY = "2026-03-02"
STATE = [  # what a settlement writes; times and report timings are left out
    "SELECT id, owner, asset, balance, debt FROM accounts ORDER BY id",
    "SELECT id, member, remaining, closed FROM lots ORDER BY id",
    "SELECT day, member, static, share, team, peer FROM releases ORDER BY day, member",
    "SELECT id, rank FROM members ORDER BY id",
    "SELECT day FROM settlements ORDER BY day",
    "SELECT id, debit, credit, asset, amount, kind, ref FROM transfers ORDER BY id",
    "SELECT key, value FROM meta ORDER BY key",
]


def state(db):
    con = sqlite3.connect(db)
    try:
        return [con.execute(q).fetchall() for q in STATE]
    finally:
        con.close()


def copy_store(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
    shutil.copyfile(src, dst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jifen")
    ap.add_argument("bench")
    ap.add_argument("--members", type=int, default=30000)
    ap.add_argument("--kills", type=int, default=4)
    ap.add_argument("--seed", type=int, default=20261125)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base.db")
        subprocess.run([a.bench, "settle", "--members", str(a.members), "--no-settle", "--db",
                        base], check=True, capture_output=True)
        ref = os.path.join(tmp, "ref.db")
        copy_store(base, ref)
        t0 = time.monotonic()
        subprocess.run([a.jifen, "settle", "--db", ref, "--day", DAY], check=True,
                       capture_output=True)
        duration = time.monotonic() - t0
        want = state(ref)
        killed_mid = 0
        for k in range(a.kills):
            db = os.path.join(tmp, "k%d.db" % k)
            copy_store(base, db)
            p = subprocess.Popen([a.jifen, "settle", "--db", db, "--day", DAY],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.1, 0.9) * duration)
            p.send_signal(signal.SIGKILL)
            p.wait()
            killed_mid += p.returncode == -signal.SIGKILL
            # the day is all or nothing: either unsettled with nothing written, or settled
            got = state(db)
            settled = DAY_SETTLED in [str(r) for r in got[4]]
            if not settled and got[2]:
                print("FAIL kill %d: release rows of an unsettled day survived" % k)
                return 1
            subprocess.run([a.jifen, "settle", "--db", db, "--day", DAY], check=True,
                           capture_output=True)
            got = state(db)
            for q, w, g in zip(STATE, want, got):
                if w != g:
                    print("FAIL kill %d: after the rerun, %r differs from an uninterrupted run"
                          % (k, q))
                    return 1
            ver = subprocess.run([a.jifen, "verify", "--db", db], capture_output=True, text=True)
            if ver.returncode != 0:
                print("FAIL kill %d: verify:\n%s" % (k, ver.stdout + ver.stderr))
                return 1
        print("settle_kill: %d kills (%d in the middle of a settlement of %d members, %.1f s), "
              "every rerun equal to an uninterrupted run; verify ok" % (a.kills, killed_mid,
                                                                       a.members, duration))
        if killed_mid == 0:
            print("FAIL no kill landed during a settlement")
            return 1
    return 0


DAY_SETTLED = "(20514,)"  # 2026-03-02 as a day number

if __name__ == "__main__":
    sys.exit(main())
