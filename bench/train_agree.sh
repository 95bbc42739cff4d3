#!/bin/sh
# bench/train_agree.sh BUILD: the native and the pytorch trainers at equal recipe must agree on
# LeNet-5's Fashion-MNIST test accuracy within 1.5 points (the same data, recipe, schedule,
# batch and epochs; each its own initial weights, shuffling and validation split). Prints both
# runs and the gap; exits 1 when the gap is larger, 0 with a note when no python3 imports torch.
#   AGREE_EPOCHS (5), AGREE_DEVICE (cpu; cuda or auto for a GPU), AGREE_THREADS (2),
#   CODEBENCH_PYTHON (an interpreter with torch; default: python3, then /usr/bin/python3)
set -eu
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
fmnist=/usr/share/datasets/fashion-mnist
epochs=${AGREE_EPOCHS:-5}
device=${AGREE_DEVICE:-cpu}
threads=${AGREE_THREADS:-2}

py=""
for cand in "${CODEBENCH_PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$cand" ] || continue
    if "$cand" -c 'import torch, numpy' >/dev/null 2>&1; then py=$cand; break; fi
done
if [ -z "$py" ]; then
    echo "train_agree: peer not available (no python3 imports torch: install python3-torch)"
    exit 0
fi

mkdir -p "$build/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -I"$src/core" -I"$src/sdk/include" "$src/bench/train_bench.c" \
    "$build/libcodebench.a" "$build/libcbsdk.a" \
    $(pkg-config --libs yaml-0.1 libffi openblas sqlite3 libcrypto zlib libpng libjpeg) \
    -ldl -lpthread -lm -o "$build/bench/train_trainers"

recipe="data_path=$fmnist epochs=$epochs batch=128 optimizer=adamw lr=0.001 weight_decay=0.0001 schedule=cosine threads=$threads"
echo "LeNet-5, Fashion-MNIST (60000 training images, 10% held out, 10000 test), $recipe"
native=$("$build/bench/train_trainers" "$build" lenet5 trainer=native $recipe 2>/dev/null)
echo "$native"
torch=$("$build/bench/train_trainers" "$build" lenet5 trainer=pytorch python="$py" device="$device" $recipe 2>/dev/null)
echo "$torch"
acc() { echo "$1" | sed -n 's/.*test accuracy \([0-9.]*\).*/\1/p'; }
awk -v a="$(acc "$native")" -v b="$(acc "$torch")" 'BEGIN {
    gap = (a > b ? a - b : b - a) * 100
    printf "native %.2f%%, pytorch %.2f%%: gap %.2f points (limit 1.5)\n", a * 100, b * 100, gap
    exit gap <= 1.5 ? 0 : 1 }'
