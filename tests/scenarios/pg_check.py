#!/usr/bin/env python3
"""Runs scenarios on PostgreSQL: starts a throwaway server with scripts/pg.sh, gives each
scenario an empty database of its own and checks it with check.py --db (the same snapshots and
the same `jifen verify` as on SQLite), then stops the server.

usage: pg_check.py JIFEN PG_SH SCENARIO.jsonl...
Scenarios listed in a PENDING file next to them are run with --pending."""
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def psql():
    for p in [shutil.which("psql"), "/usr/lib/postgresql/15/bin/psql"]:
        if p and os.access(p, os.X_OK):
            return p
    raise SystemExit("pg_check: psql not found")


def pending_names(scen):
    path = os.path.join(os.path.dirname(scen), "PENDING")
    if not os.path.exists(path):
        return set()
    return {l.split()[0] for l in open(path) if re.match(r"^[a-z0-9_]+ ", l)}


def main():
    jifen, pg_sh, scens = sys.argv[1], sys.argv[2], sys.argv[3:]
    tmp = tempfile.mkdtemp(prefix="jifen-pg-", dir="/tmp")
    try:
        start = subprocess.run(["bash", pg_sh, "start", tmp], capture_output=True, text=True,
                               timeout=120)
        if start.returncode != 0:
            print("FAIL: pg.sh start:\n" + start.stderr)
            return 1
        url = start.stdout.strip().splitlines()[-1]
        base = url.rsplit("/", 1)[0]

        def one(i, scen):
            name = "s%d" % i
            subprocess.run([psql(), "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                            "CREATE DATABASE %s" % name], check=True, capture_output=True)
            args = [sys.executable, os.path.join(HERE, "check.py"), jifen, scen,
                    "--db", "%s/%s" % (base, name)]
            if os.path.basename(scen)[:-len(".jsonl")] in pending_names(scen):
                args.append("--pending")
            run = subprocess.run(args, capture_output=True, text=True, timeout=600)
            return run.returncode, run.stdout + run.stderr

        failed = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            for rc, out in pool.map(lambda a: one(*a), enumerate(scens)):
                sys.stdout.write(out)
                failed += rc != 0
        print("%d of %d scenarios pass on PostgreSQL" % (len(scens) - failed, len(scens)))
        return 1 if failed else 0
    finally:
        subprocess.run(["bash", pg_sh, "stop", tmp], capture_output=True, timeout=120)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
