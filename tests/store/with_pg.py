#!/usr/bin/env python3
"""Runs a program against an empty database of a throwaway PostgreSQL server: starts the server
with scripts/pg.sh, creates the database, runs PROGRAM ARGS... URL, stops the server, and exits
with the program's status.

usage: with_pg.py PG_SH PROGRAM [ARGS...]"""
import shutil
import subprocess
import sys
import tempfile


def main():
    pg_sh, prog = sys.argv[1], sys.argv[2:]
    tmp = tempfile.mkdtemp(prefix="jifen-pg-", dir="/tmp")
    try:
        start = subprocess.run(["bash", pg_sh, "start", tmp], capture_output=True, text=True,
                               timeout=120)
        if start.returncode != 0:
            print("FAIL: pg.sh start:\n" + start.stderr)
            return 1
        url = start.stdout.strip().splitlines()[-1]
        psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
        subprocess.run([psql, "-q", "-v", "ON_ERROR_STOP=1", url, "-c", "CREATE DATABASE t"],
                       check=True, capture_output=True)
        return subprocess.run(prog + [url.rsplit("/", 1)[0] + "/t"], timeout=600).returncode
    finally:
        subprocess.run(["bash", pg_sh, "stop", tmp], capture_output=True, timeout=120)


if __name__ == "__main__":
    sys.exit(main())
