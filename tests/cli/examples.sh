#!/bin/sh
# tests/cli/examples.sh BUILD: every manifest under examples/ validates (the experiments, the
# quickstart and its one-line variants), the variants differ from the quickstart only in the
# line they swap (and their run folder), and a module-space study runs end to end: a tiny pool
# trained on a few hundred images, stopped with SIGINT midway and resumed to its budget.
set -u
build=${1:-build}
cb="$build/codebench"
export CODEBENCH_PLUGIN_PATH=
pass=0
failn=0
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL: $*" >&2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The examples name the shared data as ../../../shared/data (beside the checkout); validate
# copies whose shared paths point wherever that folder is found, so the checkout may live anywhere.
shared=$(cd ../shared/data 2>/dev/null && pwd)
[ -n "$shared" ] || shared=/work/shared/data
cp -r examples "$tmp/ex"
for f in examples/quickstart*.yaml examples/experiments/*.yaml; do
    [ -f "$f" ] || continue
    sed "s|\.\./\.\./\.\./shared/data|$shared|g" "$f" >"$tmp/ex/${f#examples/}"
    if "$cb" validate --quiet "$tmp/ex/${f#examples/}" >"$tmp/out" 2>"$tmp/err"; then ok; else bad "validate $f: $(head -n 3 "$tmp/err")"; fi
done

# The variants: the changed lines (comments aside) are the swapped line and output.dir.
# SIGINT to run $2 once its log $1 shows $3 evaluations (or it ended), polling up to $4 times
# every $5 s; waits for it, leaving its exit status in $?.
interrupt_after() {
    for _ in $(seq 1 "$4"); do
        n=$(grep -c '^codebench: \[' "$1" 2>/dev/null || true)
        [ "${n:-0}" -ge "$3" ] && break
        kill -0 "$2" 2>/dev/null || break
        sleep "$5"
    done
    kill -INT "$2" 2>/dev/null
    wait "$2"
}

variant() { # file, the line it must carry
    changed=$(diff examples/quickstart.yaml "$1" | grep '^[<>]' | grep -v '^[<>] *#' | grep -v 'output: {dir:' | wc -l)
    if [ "$changed" = 2 ] && grep -qF -- "$2" "$1"; then ok; else bad "$1 differs from the quickstart in $changed lines besides the run folder, expected 2 (one swapped)"; fi
}
variant examples/quickstart-search.yaml "search: {plugin: bananas, budget: 60, batch: 2}"
variant examples/quickstart-memory.yaml "{plugin: hbm, params: {banks: 16, ranks: 1, channels: 8}}"

# A module-space study end to end, interrupted and resumed.
plugins=$(cd "$build/plugins" && pwd)
space=$(cd examples/spaces && pwd)/fmnist-small.yaml
cat >"$tmp/mod.yaml" <<YAML
codebench: 1
name: modules-e2e
seed: 4
plugin_path: [$plugins]
cnn:
  input: {channels: 1, height: 28, width: 28}
  classes: 10
  space: modules
  space_file: $space
  candidates: 12
accelerator:
  mac: [mac1, mac16]
  memory: [{plugin: dram, params: {banks: 16, ranks: 2, channels: 2}}]
search: {plugin: boshcode, budget: 8, initial: 4, batch: 2}
trainer:
  plugin: native
  params: {train_subset: 256, test_subset: 128, epochs: 1, batch: 64, threads: 1}
workers: {count: 2, timeout_s: 300}
output: {dir: $tmp/run}
YAML
"$cb" run "$tmp/mod.yaml" >"$tmp/out1" 2>"$tmp/err1" &
pid=$!
# Stop it once a few evaluations are stored (or let it end), then resume to the budget.
interrupt_after "$tmp/err1" $pid 3 300 0.1
first=$?
if [ $first = 0 ] || [ $first = 1 ] || [ $first = 130 ]; then ok; else bad "modules run: exit $first after SIGINT"; cat "$tmp/err1" >&2; fi
# boshcode: only the coarsest level (12 / 2 levels) is built at start, the finer one is grown
if grep -q "pool .*6 distinct CNNs" "$tmp/err1"; then ok; else bad "modules run: no pool line"; cat "$tmp/err1" >&2; fi
if "$cb" run "$tmp/mod.yaml" --resume >"$tmp/out2" 2>"$tmp/err2"; then ok; else bad "modules run: resume failed"; cat "$tmp/err2" >&2; fi
rows=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from evaluations where finished is not null and error is null').fetchone()[0])" "$tmp/run/codebench.db" 2>/dev/null || echo 0)
if [ "$rows" = 8 ]; then ok; else bad "modules run: $rows finished evaluations, expected the budget of 8"; cat "$tmp/err2" >&2; fi
if grep -q "best pair: cnn" "$tmp/out2"; then ok; else bad "modules run: no best pair"; fi
# Its HTML report renders in headless Chromium with a clean console (skips without Chromium).
if sh tests/report/chromium-check.sh "$tmp/run/report" >"$tmp/chromium" 2>&1; then ok; else bad "report: $(cat "$tmp/chromium")"; fi
cat "$tmp/chromium"

# boshcode grows the finer level from its best CNNs of the coarse one: one accelerator per CNN,
# so the 4 coarse CNNs are used up after 4 pairs and the last 4 are on grown CNNs, evaluated
# by two workers that grow their pools from each job's growth log. Then the same study on one
# worker, stopped with SIGINT after the growth and resumed: it replays the growth from the
# database, so it ends with the very pairs (index and graph hash) of an uninterrupted run.
grow_manifest() { # $1 run folder
    cat <<YAML
codebench: 1
name: grow-e2e
seed: 4
plugin_path: [$plugins]
cnn:
  input: {channels: 1, height: 28, width: 28}
  classes: 10
  space: modules
  space_file: $space
  candidates: 8
accelerator:
  mac: [mac1]
  memory: [{plugin: dram, params: {banks: 16, ranks: 2, channels: 2}}]
  axes: {p_ib: [1], p_if: [1], p_ix: [2], p_iy: [2], p_of: [1], p_k: [3], batch: [1], act_buffer_mb: [1],
         weight_buffer_mb: [1], mask_buffer_mb: [1]}
search: {plugin: boshcode, params: {grow_parents: 2}, budget: 8, batch: 2}
trainer:
  plugin: native
  params: {train_subset: 256, test_subset: 128, epochs: 1, batch: 64, threads: 1}
workers: {count: 2, timeout_s: 300}
output: {dir: $1, report: false}
YAML
}
sqlq() { python3 -c "import sqlite3,sys; print('\n'.join('|'.join(str(x) for x in r) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))" "$@" 2>/dev/null; }
grow_manifest "$tmp/g2" >"$tmp/g2.yaml"
if "$cb" run "$tmp/g2.yaml" --workers 2 >"$tmp/g2.out" 2>"$tmp/g2.err"; then ok; else bad "grow run failed"; cat "$tmp/g2.err" >&2; fi
g=$(sqlq "$tmp/g2/codebench.db" "select level, length(parents) - length(replace(parents, ',', '')) + 1 from growth")
if [ "$g" = "0|2" ]; then ok; else bad "grow run: growth log '$g', expected level 0 from 2 parents"; fi
grown=$(sqlq "$tmp/g2/codebench.db" "select count(*) from evaluations where cnn >= 4 and level = 0 and status = 1")
if [ "${grown:-0}" -ge 1 ]; then ok; else bad "grow run: no grown CNN evaluated by the workers"; cat "$tmp/g2.err" >&2; fi
grow_manifest "$tmp/gref" >"$tmp/gref.yaml"
"$cb" run "$tmp/gref.yaml" --workers 1 --quiet >/dev/null 2>"$tmp/gref.err" || { bad "grow reference run failed"; cat "$tmp/gref.err" >&2; }
grow_manifest "$tmp/gint" >"$tmp/gint.yaml"
"$cb" run "$tmp/gint.yaml" --workers 1 >/dev/null 2>"$tmp/gint.err" &
pid=$!
interrupt_after "$tmp/gint.err" $pid 5 600 0.01
"$cb" run "$tmp/gint.yaml" --workers 1 --resume >/dev/null 2>"$tmp/gint2.err" || { bad "grow resume failed"; cat "$tmp/gint2.err" >&2; }
q="select cnn, cnn_hash, level from evaluations where status = 1 order by cnn"
a=$(sqlq "$tmp/gref/codebench.db" "$q")
b=$(sqlq "$tmp/gint/codebench.db" "$q")
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else bad "grow: the resumed study's pairs differ from the uninterrupted one's"; echo "$a" >&2; echo "--" >&2; echo "$b" >&2; cat "$tmp/gint2.err" >&2; fi
n=$(grep -c '^codebench: \[' "$tmp/gint.err")
if [ "$n" -ge 8 ] || grep -q "levels .*(1 growth so far)" "$tmp/gint2.err"; then ok; else bad "grow: the resume did not replay the growth"; cat "$tmp/gint2.err" >&2; fi
echo "grow: $n results before SIGINT; $(grep 'resuming' "$tmp/gint2.err")"

# A NAS-Bench-101 study: the table's cells on the skeleton, accuracies from the table trainer,
# which must be the table's own figures for each cell's key.
table=$(cd ../shared/data/nas 2>/dev/null && pwd)/nb101-1k.json
[ -f "$table" ] || table=/work/shared/data/nas/nb101-1k.json
skeleton=$(cd examples/codesign-nas && pwd)/nb101-skeleton.yaml
if [ -f "$table" ] && [ -f "$skeleton" ]; then
    cat >"$tmp/nb.yaml" <<YAML
codebench: 1
name: nb101-e2e
seed: 2
plugin_path: [$plugins]
cnn: {space: nb101, input: {channels: 3, height: 32, width: 32}, classes: 10, table: $table, skeleton: $skeleton}
accelerator:
  mac: [mac1, mac16]
  memory: [{plugin: rram, params: {banks: 16, ranks: 2, channels: 2}}]
search: {plugin: random, budget: 6, batch: 2}
trainer: {plugin: tabular, params: {table: $table}}
workers: {count: 2, timeout_s: 300}
output: {dir: $tmp/nbrun, report: false}
YAML
    if "$cb" run "$tmp/nb.yaml" >"$tmp/nbout" 2>"$tmp/nberr"; then ok; else bad "nb101 run failed"; cat "$tmp/nberr" >&2; fi
    if python3 - "$tmp/nbrun/codebench.db" "$table" <<'PY'
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "select cnn_hash, accuracy from evaluations where finished is not null and error is null").fetchall()
t = json.load(open(sys.argv[2]))
table = dict(zip(t["key"], t["108_final_validation_accuracy"]))
assert len(rows) == 6, rows
for key, acc in rows:
    assert abs(acc - table[key]) < 1e-6, (key, acc, table[key])
PY
    then ok; else bad "nb101 run: stored accuracies are not the table's"; fi
else
    echo "examples: nb101 study skipped (no $table)"
fi

echo "examples: $pass passed, $failn failed"
[ "$failn" = 0 ]
