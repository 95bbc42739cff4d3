#!/bin/sh
# fuzz/seeds.sh FUZZ_BUILD TARGET: fills FUZZ_BUILD/corpus/TARGET with the target's seeds (files
# already there, which libFuzzer added in earlier runs, are kept). YAML seeds come from
# examples/ (and the manifest corpora of tests/manifests/); the binary formats, which examples/
# does not hold, are made here: a real checkpoint saved by the harness, a few Fashion-MNIST
# images (raw and gzip'd) when the data set is installed, and small CIFAR files.
set -eu
fb=$1; t=$2
dir="$fb/corpus/$t"
mkdir -p "$dir"
# (files over 8 KB are left out: the harnesses run with -max_len=8192, and a 20 KB DenseNet card
# costs a second an input under the sanitizers)
copy() { for f in "$@"; do [ -f "$f" ] && [ "$(wc -c < "$f")" -le 8192 ] && cp "$f" "$dir/seed_$(echo "$f" | tr / _)"; done; :; }
case "$t" in
manifest)   copy examples/*.yaml examples/codesign-nas/*.yaml tests/manifests/good/*.yaml \
                 tests/manifests/bad/*.yaml ;;
model_card) copy examples/models/*.yaml examples/quickstart/*.yaml ;;
accel_card) copy examples/accelerators/*.yaml ;;
spacefile)  copy examples/spaces/*.yaml ;;
checkpoint) CB_FUZZ_BUILD="$fb" CB_FUZZ_CKPT_SEED="$dir/seed.safetensors" "$fb/fuzz_checkpoint" >/dev/null ;;
data_idx|data_cifar)
    python3 - "$t" "$dir" <<'PY'
import gzip, os, struct, sys
t, d = sys.argv[1], sys.argv[2]
if t == "data_cifar":
    for name, rec, n in (("c10", 3073, 2), ("c100", 3074, 1)):
        body = b"".join(bytes([i % 10] * (rec - 3072)) + bytes((i * 7 + k) % 256 for k in range(3072))
                        for i in range(n))
        open(os.path.join(d, "seed_" + name + ".bin"), "wb").write(body)
    src = "../shared/data/cifar10/test_batch.bin"  # real records when the data is at hand
    if os.path.exists(src):
        open(os.path.join(d, "seed_real.bin"), "wb").write(open(src, "rb").read(3073 * 2))
else:
    n, rows = 3, 28
    root = "/usr/share/datasets/fashion-mnist/"
    try:
        img = gzip.open(root + "t10k-images-idx3-ubyte.gz").read(16 + n * rows * rows)[16:]
        lab = gzip.open(root + "t10k-labels-idx1-ubyte.gz").read(8 + n)[8:]
    except OSError:  # not installed: a synthetic pair
        img = bytes((k * 31) % 256 for k in range(n * rows * rows))
        lab = bytes([1, 5, 9])
    images = struct.pack(">BBBBIII", 0, 0, 8, 3, n, rows, rows) + img
    labels = struct.pack(">BBBBI", 0, 0, 8, 1, n) + lab
    small = struct.pack(">BBBBIII", 0, 0, 8, 3, 2, 2, 2) + bytes(range(8))
    for name, l, i in (("raw", labels, images), ("gz", gzip.compress(labels), gzip.compress(images)),
                       ("small", struct.pack(">BBBBI", 0, 0, 8, 1, 2) + b"\x00\x01", small)):
        open(os.path.join(d, "seed_" + name), "wb").write(bytes([len(l)]) + l + i)
PY
    ;;
*) echo "fuzz/seeds.sh: unknown target $t" >&2; exit 2 ;;
esac
