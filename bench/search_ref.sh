#!/bin/sh
# bench/search_ref.sh BUILD: the time of one BOSHNAS active-learning step (surrogate fit +
# GOBI) at corpus sizes 50, 200 and 1000 on NAS-Bench-201 path encodings, codebench's boshnas
# plugin against the seeds' reference PyTorch code, both on one thread, in the same run.
# The reference (github.com/jha-lab/boshnas) is not part of this repository: set BOSHNAS_REF
# to a clone of it; without one only codebench's figures are printed. The peer needs
# python3-torch, python3-joblib, -scipy, -pandas, -matplotlib and -tqdm (Debian packages).
set -u
build=${1:-build}
src=$(cd "$(dirname "$0")/.." && pwd)
data="$src/../shared/data/nas/nb201-cifar10.json"
[ -f "$data" ] || data=/work/shared/data/nas/nb201-cifar10.json
echo "codebench boshnas (one trial of 150 queries, then the step timing):"
"$build/bench/bench_search_nb201" --trials 1 --only boshnas --embed path --jobs 1 --data "$data" |
    sed -n '/CPU seconds per active-learning step/,$p'
if [ -z "${BOSHNAS_REF:-}" ] || [ ! -d "${BOSHNAS_REF:-}/boshnas" ]; then
    echo "reference BOSHNAS: peer not available (set BOSHNAS_REF to a clone of jha-lab/boshnas)"
    exit 0
fi
python3 -W ignore "$src/bench/boshnas_ref.py" "$BOSHNAS_REF" "$data"
