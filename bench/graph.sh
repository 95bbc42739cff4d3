#!/bin/sh
# bench/graph.sh BUILD: CNNBench figures (bench/graph_bench.c): the NAS-Bench-101 space
# enumerated and hashed (423,624 unique graphs; the goal is under 30 s on 2 cores), graph edit
# distance throughput, and CNN2vec's Spearman rho against GED (NAS-Bench-101 cells; CNNs sampled
# from examples/spaces/cnnbench.yaml).
set -eu
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$build/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -I"$src/core" -I"$src/sdk/include" "$src/bench/graph_bench.c" \
    "$build/libcodebench.a" "$build/libcbsdk.a" \
    $(pkg-config --libs yaml-0.1 libffi openblas sqlite3 libcrypto jansson) \
    -ldl -lpthread -lm -o "$build/bench/graph_bench"
data="$src/../shared/data/nas/nb101-1k.json"
[ -r "$data" ] || data=/work/shared/data/nas/nb101-1k.json
"$build/bench/graph_bench" "$data" "$build" "$src"
