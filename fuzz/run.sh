#!/bin/sh
# fuzz/run.sh FUZZ_BUILD SECONDS TARGET...: runs each harness for SECONDS on its corpus (seeded
# by fuzz/seeds.sh), one after the other, and fails if any found a crash. A crashing input is
# kept as FUZZ_BUILD/crashes/<target>-crash-<sha1> (replay: FUZZ_BUILD/fuzz_<target> FILE).
# Each harness writes only into its own temporary folder (fuzz/fuzz_util.c) and the corpus.
set -u
fb=$1; secs=$2; shift 2
export CB_FUZZ_BUILD="$fb"
mkdir -p "$fb/crashes" "$fb/logs"
case "$fb" in /*) tdir="$fb/tmp" ;; *) tdir="$PWD/$fb/tmp" ;; esac
failed=""
for t in "$@"; do
    sh fuzz/seeds.sh "$fb" "$t" || { failed="$failed $t(seeds)"; continue; }
    # a harness that crashes cannot remove its temporary folder: give it one here, removed after
    rm -rf "$tdir"; mkdir -p "$tdir"
    # -rss_limit_mb: a loader must not need gigabytes for a small file; -timeout: nor seconds;
    # -max_len: every seed fits, and bigger inputs only slow the search down
    TMPDIR="$tdir" ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" UBSAN_OPTIONS=print_stacktrace=1 \
    "$fb/fuzz_$t" -max_total_time="$secs" -max_len=8192 -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        -artifact_prefix="$fb/crashes/$t-" "$fb/corpus/$t" >"$fb/logs/$t.log" 2>&1
    rc=$?
    rm -rf "$tdir"
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$fb/logs/$t.log")
    if [ "$rc" = 0 ]; then
        echo "fuzz: $t: ${runs:-?} inputs in ${secs}s, no crash"
    else
        echo "fuzz: $t: FAILED (exit $rc) after ${runs:-?} inputs; log $fb/logs/$t.log" >&2
        grep -m 3 -E 'ERROR|runtime error|SUMMARY' "$fb/logs/$t.log" | sed 's/^/    /' >&2
        failed="$failed $t"
    fi
done
[ -z "$failed" ] || { echo "fuzz: failed:$failed" >&2; exit 1; }
