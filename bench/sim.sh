#!/bin/sh
# bench/sim.sh BUILD: AccelBench simulations per second (bench/sim_bench.c) on the ResNet-18
# and MobileNet-V2 model cards, cold, warm and along a random search of Table 2's space,
# beside SCALE-Sim's published figure for ResNet-18.
set -eu
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
# Built here rather than by the Makefile: it links the core's registry and binding, as a run does.
mkdir -p "$build/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -I"$src/core" -I"$src/sdk/include" "$src/bench/sim_bench.c" \
    "$build/libcodebench.a" "$build/libcbsdk.a" \
    $(pkg-config --libs yaml-0.1 libffi openblas sqlite3 libcrypto) \
    -ldl -lpthread -lm -o "$build/bench/sim_bench"
"$build/bench/sim_bench" "$build" "$src"
