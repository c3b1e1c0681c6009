#!/bin/sh
# Runs the OpenAPI response check with the npm packages of package-lock.json, installing them
# first (npm ci) when node_modules is missing or older than the lock file. The store is one
# from tests/http/harness.py: a SQLite file, or with JIFEN_TEST_PG set (the path of
# scripts/pg.sh) a database of a throwaway PostgreSQL server, stopped when the check ends.
#
# usage: openapi_check.sh JIFEN
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -f "$root/node_modules/.package-lock.json" ] ||
   [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    # one install at a time when several test runs start together
    (
        flock 9
        if [ ! -f "$root/node_modules/.package-lock.json" ] ||
           [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
            cd "$root" && npm ci --no-audit --no-fund >&2
        fi
    ) 9>"${TMPDIR:-/tmp}/jifen-npm-ci.lock"
fi
exec python3 "$root/tests/http/harness.py" with-store s \
    node "$root/tests/http/openapi_check.mjs" "$@"
