#!/usr/bin/env bash
# Times `jifen simulate` on 100,000 members over 365 days (the default rules and assumptions,
# seed 1; MEMBERS=, DAYS=, SEED=, RUNS= change them) and prints one JSON line per run: wall
# and CPU seconds, peak memory, the service operations the run made. A benchmark, not a test:
# it asserts nothing but that the simulation succeeds. The outputs are kept in $OUT (default a
# temporary directory, removed at the end).
set -euo pipefail
jifen=${1:-build/jifen}
members=${MEMBERS:-100000}
days=${DAYS:-365}
seed=${SEED:-1}
runs=${RUNS:-1}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=${OUT:-$dir/out}
for run in $(seq 1 "$runs"); do
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" \
        "$jifen" simulate --members "$members" --days "$days" --seed "$seed" --out "$out" \
        2> "$dir/stderr" || { cat "$dir/stderr" >&2; exit 1; }
    read -r wall user sys rss_kb < "$dir/time"
    ops=$(sed -n 's/.* days, \([0-9]*\) operations in .*/\1/p' "$dir/stderr")
    printf '{"bench":"simulate","run":%d,"members":%d,"days":%d,"seed":%s,"seconds":%s,' \
        "$run" "$members" "$days" "$seed" "$wall"
    printf '"user_seconds":%s,"system_seconds":%s,"peak_rss_mb":%d,"operations":%s}\n' \
        "$user" "$sys" $((rss_kb / 1024)) "${ops:-0}"
done
