#!/bin/sh
# bench/sweep.sh BUILD: `codebench sweep` on the ResNet-18 card over Table 2's space
# (bench/sweep-table2.yaml, 228,433,920 points with its 11 memories), against its peer measured
# in the same run: cb_simulate per point with its per-layer cache (`--no-reuse`, how `run`
# simulates).
#   - reuse: a 1/64 slice swept whole (P_ix = 3, P_iy = 6: 3,569,280 points with every other
#     axis whole), so every group of the full sweep is represented as it is there;
#   - peer: 3000 points sampled from the same slice;
#   - the whole space's time at the slice's rate (the slice is 1/64 of it), in wall time on
#     this machine's threads and in CPU time; SWEEP_FULL=1 sweeps the whole space instead.
set -eu
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
cb="$build/codebench"
threads=${SWEEP_THREADS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e 's|^  mac: \[mac1, mac16\]|  mac: [mac1, mac16]\n  axes: {p_ix: [3], p_iy: [6]}|' \
    -e "s|\.\./examples|$src/examples|" "$src/bench/sweep-table2.yaml" > "$tmp/slice.yaml"
model="$src/examples/models/resnet18.yaml"

# runs codebench sweep; prints "points seconds layer_sims cpu_seconds point_layers"
measure() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%U %S' -o "$tmp/cpu" "$cb" sweep --model "$model" --threads "$threads" --quiet "$@" > "$tmp/out"
    else
        "$cb" sweep --model "$model" --threads "$threads" --quiet "$@" > "$tmp/out"
        echo "0 0" > "$tmp/cpu"
    fi
    awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "on") p = $(i + 1) }
         NR == 2 { s = $1; l = $5; pl = $9 } END { printf "%s %s %s ", p, s, l }' "$tmp/out"
    awk '{ printf "%.3f ", $1 + $2 }' "$tmp/cpu"
    awk 'NR == 2 { print $9 }' "$tmp/out"
}

echo "ResNet-18 (CIFAR card) over Table 2's accelerator space, $threads threads:"
if [ "${SWEEP_FULL:-0}" = 1 ]; then
    set -- $(measure "$src/bench/sweep-table2.yaml")
    awk -v p="$1" -v s="$2" -v l="$3" -v c="$4" 'BEGIN {
        printf "  whole space: %d points in %.1f s (%.1f min; CPU %.1f s), %.0f points/s, %d layer simulations\n",
               p, s, s / 60, c, p / s, l }'
    exit 0
fi
set -- $(measure "$tmp/slice.yaml")
reuse_p=$1 reuse_s=$2 reuse_l=$3 reuse_c=$4 reuse_pl=$5
set -- $(measure "$tmp/slice.yaml" --sample 3000 --no-reuse)
peer_p=$1 peer_s=$2 peer_c=$4
awk -v rp="$reuse_p" -v rs="$reuse_s" -v rl="$reuse_l" -v rc="$reuse_c" -v pp="$peer_p" -v ps="$peer_s" \
    -v pc="$peer_c" -v t="$threads" -v pl="$reuse_pl" 'BEGIN {
    printf "  %-44s %10.0f points/s (%d points, %.2f s, CPU %.2f s, %d layer simulations for %d point-layers)\n",
           "reuse: codebench sweep, slice P_ix=3 P_iy=6", rp / rs, rp, rs, rc, rl, pl
    printf "  %-44s %10.0f points/s (%d sampled points, %.2f s, CPU %.2f s)\n",
           "peer: cb_simulate per point (--no-reuse)", pp / ps, pp, ps, pc
    printf "  %-44s %10.1fx (wall), %.1fx (CPU per point)\n", "ratio", (rp / rs) / (pp / ps), \
           (pc > 0 && rc > 0) ? (pc / pp) / (rc / rp) : 0
    printf "  whole space, 228,433,920 points, at the slice rate: %.1f min wall on %d threads here, " \
           "%.1f CPU-min (%.1f min on 2 idle cores); goal: under 60 min on 2 cores\n",
           rs * 64 / 60, t, rc * 64 / 60, rc * 64 / 120
    printf "  peer at its rate: %.1f days wall on %d threads\n", ps / pp * 228433920 / 86400, t }'
