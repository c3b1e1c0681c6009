#!/usr/bin/env bash
# The settlement benchmark on both stores: for each member count, `jifen-bench settle` on a
# fresh SQLite file and on a fresh database of a throwaway PostgreSQL 15 server, each followed
# by `jifen verify`, printing the JSON line of each run with the store added. A benchmark, not a
# test: it asserts only that the runs and the checks succeed.
#
#   bash bench/pg_settle_bench.sh [BUILD_DIR] [MEMBERS...]      (default: build 100000)
#   BENCH_VERBOSE=1 ...   also prints each stage of the measured day (jifen-bench --verbose)
#
# The PostgreSQL server runs with a production-like durable configuration (fsync and full page
# writes on, 4 GB of shared buffers, checkpoints spaced out so none falls inside a measured
# day); the settlement's own commit does not wait for the disk on either store (a day is re-run
# after a crash). Before the measured day each store is brought to the state a running one is
# in: SQLite checkpointed; PostgreSQL vacuumed, analysed and checkpointed (jifen-bench does it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000)
dir=$(mktemp -d /tmp/jifen-pgbench-XXXXXX)
chmod 755 "$dir"
cleanup() { bash "$here/../scripts/pg.sh" stop "$dir/pg" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
export PG_OPTS="-c fsync=on -c full_page_writes=on -c synchronous_commit=on
 -c shared_buffers=4GB -c max_wal_size=20GB -c checkpoint_timeout=1h -c work_mem=256MB"
PG_OPTS=$(echo $PG_OPTS)
url=$(bash "$here/../scripts/pg.sh" start "$dir/pg" | tail -n 1)
base=${url%/*}
psql=$(command -v psql || echo /usr/lib/postgresql/15/bin/psql)
for n in "${sizes[@]}"; do
    "$build/jifen-bench" settle --members "$n" --db "$dir/s$n.db" --keep ${BENCH_VERBOSE:+--verbose} |
        sed 's/^{/{"store":"sqlite",/'
    "$build/jifen" verify --db "$dir/s$n.db" >/dev/null
    rm -f "$dir/s$n.db" "$dir/s$n.db-wal" "$dir/s$n.db-shm"
    "$psql" -q "$url" -c "CREATE DATABASE p$n"
    "$build/jifen-bench" settle --members "$n" --db "$base/p$n" --keep ${BENCH_VERBOSE:+--verbose} |
        sed 's/^{/{"store":"postgres",/'
    "$build/jifen" verify --db "$base/p$n" >/dev/null
    "$psql" -q "$url" -c "DROP DATABASE p$n"
done
