#!/usr/bin/env bash
# Times `jifen replay` on a generated scenario of 100,000 operations (in memory and on a SQLite
# file) and prints one JSON line per run. A benchmark, not a test: it asserts nothing but that
# the replay succeeds.
set -euo pipefail
jifen=${1:-build/jifen}
ops=${OPS:-100000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$(dirname "$0")/gen_replay.py" "$ops" > "$dir/scenario.jsonl"
lines=$(grep -c . "$dir/scenario.jsonl")
run() {
    local label=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    "$jifen" replay "$@" "$dir/scenario.jsonl" > /dev/null
    t1=$(date +%s%N)
    local ns=$((t1 - t0))
    printf '{"bench":"replay","store":"%s","ops":%d,"seconds":%d.%03d,"ops_per_second":%d}\n' \
        "$label" "$lines" $((ns / 1000000000)) $((ns / 1000000 % 1000)) \
        $((lines * 1000000000 / ns))
}
run memory
run sqlite-file --db "$dir/bench.db"
"$jifen" verify --db "$dir/bench.db"
