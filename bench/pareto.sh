#!/bin/sh
# bench/pareto.sh BUILD: the exhaustive enumeration of Codesign-NAS's space (`codebench pareto`,
# docs/codesign-nas.md), printing pairs/s and total time:
#   1. the 1,000 tabulated NAS-Bench-101 cells x the 8,640 FPGA configurations: the exact
#      front over (accuracy, latency, area), with the plugin's fast path;
#   2. its peer, measured in the same run: the same pairs through evaluate(), one pair at a
#      time (on the first PARETO_PEER_CELLS cells, 20 by default; pairs/s compare directly);
#   3. every cell of the NAS-Bench-101 space (423,624) x the 8,640 configurations, about 3.7e9
#      pairs, latency only (the table has no accuracies for most cells); PARETO_CELLS limits
#      it to the first N cells for a quick look.
# PARETO_THREADS sets the threads (default 2: the goal is the whole space in under 10 minutes
# on 2 cores). Compare CPU times, not wall times, on a machine shared with other jobs. The
# search strategies measured against the front of step 1 are bench/pareto_search.c.
set -eu
build=${1:-build}
exe="$build/codebench"
threads=${PARETO_THREADS:-2}
manifest=examples/codesign-nas/unconstrained.yaml
[ -x "$exe" ] || { echo "bench/pareto.sh: no $exe (make first)" >&2; exit 1; }

summary() { sed -n -e '/^pairs:/p' -e '/^pareto front/p'; }

echo "-- 1,000 tabulated cells x 8,640 configurations, fast path, $threads threads"
"$exe" pareto "$manifest" --threads "$threads" --top 0 | summary
echo "-- peer: the first ${PARETO_PEER_CELLS:-20} cells through evaluate() per pair"
"$exe" pareto "$manifest" --evaluate --cells "${PARETO_PEER_CELLS:-20}" --top 0 | summary
echo "-- every NAS-Bench-101 cell x 8,640 configurations (latency only), $threads threads"
start=$(date +%s)
"$exe" pareto "$manifest" --all-cells ${PARETO_CELLS:+--cells "$PARETO_CELLS"} \
    --threads "$threads" --top 0 | summary
echo "total wall time: $(( $(date +%s) - start )) s"
