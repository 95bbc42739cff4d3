#!/bin/sh
# bench/train.sh BUILD: training throughput of the native trainer against PyTorch on the CPU,
# both measured here and now: LeNet-5 on Fashion-MNIST and a small VGG with batch-norm on the
# CIFAR-10 subset, batch 128, 2 threads, one epoch; images/s, test accuracy, peak RSS.
# Set TRAIN_BENCH_QUICK=1 for a short run (fewer images); CODEBENCH_PYTHON names an interpreter
# with torch (default: python3, then /usr/bin/python3, the first that imports torch).
# Peak RSS is the whole process's maximum resident set (getrusage), data sets included.
set -eu
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
fmnist=/usr/share/datasets/fashion-mnist
cifar="$src/../shared/data/cifar10"
[ -d "$cifar" ] || cifar=/work/shared/data/cifar10
lenet_n=0 vgg_n=0 test_n=0
if [ "${TRAIN_BENCH_QUICK:-0}" = 1 ]; then lenet_n=10000 vgg_n=2000 test_n=2000; fi

# Built here rather than by the Makefile: it links the core's registry and binding, as a run does.
mkdir -p "$build/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -I"$src/core" -I"$src/sdk/include" "$src/bench/train_bench.c" \
    "$build/libcodebench.a" "$build/libcbsdk.a" \
    $(pkg-config --libs yaml-0.1 libffi openblas sqlite3 libcrypto zlib libpng libjpeg) \
    -ldl -lpthread -lm -o "$build/bench/train_native"

py=python3 # when none imports torch, train_torch.py itself says the peer is not available
for cand in "${CODEBENCH_PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$cand" ] || continue
    if "$cand" -c 'import torch' >/dev/null 2>&1; then py=$cand; break; fi
done

run_native() {
    "$build/bench/train_native" "$build" "$@" batch=128 threads=2 epochs=1 test_subset=$test_n 2>/dev/null
}
# native/torch images per second, when both printed one
ratio() {
    a=$(echo "$1" | sed -n 's/.*: *\([0-9]*\) images\/s.*/\1/p')
    b=$(echo "$2" | sed -n 's/.*: *\([0-9]*\) images\/s.*/\1/p')
    [ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" -v m="$3" \
        'BEGIN { printf "%s: native / pytorch = %.2fx (goal: 1.5x)\n", m, a / b }' || true
}
echo "LeNet-5, Fashion-MNIST ($fmnist), batch 128, 2 threads, 1 epoch"
n=$(run_native lenet5 data_path="$fmnist" train_subset=$lenet_n); echo "$n"
t=$("$py" "$src/bench/train_torch.py" lenet5 "$fmnist" --train $lenet_n --test $test_n --threads 2); echo "$t"
ratio "$n" "$t" LeNet-5
echo "VGG with batch-norm (5 convolutions), CIFAR-10 subset ($cifar), batch 128, 2 threads, 1 epoch"
n=$(run_native vgg data_format=cifar10 data_path="$cifar" train_subset=$vgg_n); echo "$n"
t=$("$py" "$src/bench/train_torch.py" vgg "$cifar" --train $vgg_n --test $test_n --threads 2); echo "$t"
ratio "$n" "$t" VGG
