#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz, each for SECONDS with its seed corpus, and prints
# the executions of each, their total and the findings; exits 1 when there is a finding.
#
#   scripts/fuzz.sh BUILD_DIR SECONDS [TARGET ...]     (targets: amount rules replay api)
#
# BUILD_DIR is a build configured with -DJIFEN_FUZZ=ON (make fuzz: build-fuzz). The seeds in
# tests/fuzz/corpus/TARGET are only read (and tests/fuzz/TARGET.dict gives libFuzzer the
# tokens of its inputs): what a run adds to the corpus goes to
# BUILD_DIR/fuzz-work/corpus/TARGET (kept, so that the next run starts from there), a finding
# (crash, leak, timeout, out of memory) to BUILD_DIR/fuzz-work/findings/TARGET with the inputs
# that ran over 10 s (slow-unit-*: counted as slow, not as findings), each target's
# log to BUILD_DIR/fuzz-work/TARGET.log, and the table printed at the end to
# BUILD_DIR/fuzz-work/summary.txt. Reproduce a finding with BUILD_DIR/tests/fuzz/fuzz_TARGET FILE.
set -uo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 BUILD_DIR SECONDS [TARGET ...]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
secs=$2
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(amount rules replay api)
root=$(cd "$(dirname "$0")/.." && pwd)
work=$build/fuzz-work
mkdir -p "$work"

# Sanitizer reports stop the run; libFuzzer then writes the input to the findings.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

total=0
total_findings=0
failed=0
summary=$(printf '%-8s %12s %10s %8s %9s %6s\n' target executions "per s" corpus findings slow)
for t in "${targets[@]}"; do
    bin=$build/tests/fuzz/fuzz_$t
    seeds=$root/tests/fuzz/corpus/$t
    if [ ! -x "$bin" ] || [ ! -d "$seeds" ]; then
        echo "fuzz: no target '$t' ($bin, $seeds)" >&2
        exit 2
    fi
    mkdir -p "$work/corpus/$t" "$work/findings/$t"
    rm -f "$work/findings/$t"/* # the findings of this run only
    log=$work/$t.log
    dict=()
    [ -f "$root/tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
    # -timeout: an input that runs 120 s is a finding. The longest legitimate one is a settlement
    # of JF_SETTLE_SPAN_DAYS_MAX (3,660) days, about 50 s under the sanitizers: the API and
    # replay accept any day within that span of the first, so the fuzzers reach it (slow-unit).
    "$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=120 -rss_limit_mb=4096 \
        -artifact_prefix="$work/findings/$t/" "${dict[@]}" "$work/corpus/$t" "$seeds" >"$log" 2>&1 &
    pid=$!
    wait "$pid"
    rc=$?
    # the store files of a target that stopped on a finding (fuzz_store.c names them by pid)
    rm -rf /dev/shm/jifen-fuzz-"$pid"-* /tmp/jifen-fuzz-"$pid"-*
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    found=$(find "$work/findings/$t" -type f ! -name 'slow-unit-*' | wc -l)
    slow=$(find "$work/findings/$t" -type f -name 'slow-unit-*' | wc -l)
    units=$(find "$work/corpus/$t" "$seeds" -type f | wc -l)
    execs=${execs:-0}
    if [ "$rc" -ne 0 ] && [ "$found" -eq 0 ]; then
        found=1 # stopped without writing an input: the log says why
    fi
    summary+=$(printf '\n%-8s %12d %10s %8d %9d %6d' "$t" "$execs" "${rate:-?}" "$units" "$found" \
        "$slow")
    total=$((total + execs))
    total_findings=$((total_findings + found))
    if [ "$found" -ne 0 ]; then
        failed=$((failed + 1))
        echo "fuzz: $t: finding (log $log):" >&2
        grep -a -m 5 -E 'fuzz check failed|ERROR|runtime error|SUMMARY' "$log" >&2
        find "$work/findings/$t" -type f ! -name 'slow-unit-*' -printf '  %p\n' >&2
    fi
done
summary+=$(printf '\n%-8s %12d %10s %8s %9d' total "$total" "" "" "$total_findings")
{
    echo "fuzz: ${#targets[@]} targets, ${secs} s each ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
    echo "$summary"
} | tee "$work/summary.txt"
echo "fuzz: $(( ${#targets[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
