#!/bin/sh
# bench/run.sh BUILD: runs every benchmark in bench/ (bench/*.sh scripts and the bench_*
# programs the Makefile builds), each printing its figures against a peer measured in the
# same run. Benchmarks are never part of `make check`.
set -u
build=${1:-build}
status=0
for b in bench/*.sh; do
    [ "$b" = bench/run.sh ] && continue
    [ -f "$b" ] || continue
    echo "== $b"
    sh "$b" "$build" || status=1
done
for b in "$build"/bench/bench_*; do
    [ -x "$b" ] || continue
    echo "== $b"
    "$b" || status=1
done
exit $status
