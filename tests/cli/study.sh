#!/bin/sh
# tests/cli/study.sh BUILD: `codebench run` end to end on a small study with test plugins:
#  1. a run killed with SIGKILL at random moments, resumed each time, ends with exactly the
#     evaluations of an uninterrupted run (same seed), losing none, and the database stays sound;
#  2. a trainer that segfaults on some CNNs leaves the study complete with those recorded failed;
#  3. a bad manifest is refused before any work (exit 2), a second run without --resume too;
#  4. (when mpirun exists) an MPI run on 3 ranks evaluates the same set of pairs as the local pool.
# Ends with "N passed, N failed".
set -u
build=${1:-build}
src=$(pwd)
cb="$src/$build/codebench"
[ -x "$cb" ] || cb="$build/codebench"
pass=0; failn=0
tmp=$(mktemp -d /tmp/cb-study-XXXXXX); trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
export CODEBENCH_PLUGIN_PATH="$build/tests/plugins/good"
case "$CODEBENCH_PLUGIN_PATH" in /*) ;; *) CODEBENCH_PLUGIN_PATH="$src/$CODEBENCH_PLUGIN_PATH" ;; esac
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL: $*" >&2; }

# forty small cards, one per channel count, so that most evaluations train (and take time)
cards=""
for c in $(seq 4 43); do
    cat > "$tmp/card$c.yaml" <<CARD
name: card$c
input: {channels: 1, height: 12, width: 12}
classes: 10
layers:
  - {name: conv, op: conv2d, attrs: {out_channels: $c, kernel: 3, stride: 2}}
  - {name: pool, op: global_avgpool}
  - {name: out, op: dense, attrs: {classes: 10}}
CARD
    cards="$cards    - card$c.yaml
"
done

manifest() { # NAME MODE TRIGGER DELAY BUDGET WORKERS
    cat > "$tmp/$1.yaml" <<MAN
codebench: 1
name: $1
seed: 7
cnn:
  input: {channels: 1, height: 12, width: 12}
  classes: 10
  space: cards
  cards:
$cards
accelerator:
  mac: [mac1, mac16]
  memory: [rram, dram]
  axes: {p_ix: [1, 2], p_iy: [1, 2], batch: [1, 64], act_buffer_mb: [1, 4], weight_buffer_mb: [1, 4]}
search: {plugin: random, budget: $5, batch: $6}
trainer:
  plugin: fx_faulty
  params: {mode: $2, trigger: "$3", delay_ms: $4}
workers: {count: $6, timeout_s: 30}
output: {dir: runs/$1}
MAN
}

pairs() { # DB -> "status cnn accel" per row, in ask order
    python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("select status, cnn, accel, coalesce(error, '') from evaluations order by id"):
    print(*row)
PY
}
sorted_pairs() { pairs "$1" | awk '{print $2, $3}' | sort; }

# 1. uninterrupted reference, then kill -9 and resume until done
manifest ref segv "" 60 40 1
"$cb" run "$tmp/ref.yaml" --quiet >/dev/null 2>"$tmp/ref.err" && ok || { bad "reference run"; cat "$tmp/ref.err" >&2; }
pairs "$tmp/runs/ref/codebench.db" > "$tmp/ref.pairs"
[ "$(grep -c '^1 ' "$tmp/ref.pairs")" = 40 ] && ok || bad "reference run has $(grep -c '^1 ' "$tmp/ref.pairs") ok rows, expected 40"

cp "$tmp/ref.yaml" "$tmp/kill.yaml"; sed -i 's/^name: ref/name: kill/; s|dir: runs/ref|dir: runs/kill|' "$tmp/kill.yaml"
kills=0
for attempt in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    "$cb" run "$tmp/kill.yaml" --resume --quiet >/dev/null 2>>"$tmp/kill.err" &
    pid=$!
    # a random moment 0.1 to 0.4 s in: each attempt gets a little further
    sleep "$(awk -v s="$attempt" 'BEGIN { srand(s * 7919); printf "%.2f", 0.1 + rand() * 0.3 }')"
    if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
    wait "$pid" 2>/dev/null
    pkill -9 -f "worker $tmp/kill.yaml" 2>/dev/null
    python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute('pragma integrity_check').fetchone()[0]; sys.exit(r!='ok')" \
        "$tmp/runs/kill/codebench.db" || bad "integrity check after kill $attempt"
done
"$cb" run "$tmp/kill.yaml" --resume --quiet >/dev/null 2>>"$tmp/kill.err" && ok || { bad "final resume"; tail -5 "$tmp/kill.err" >&2; }
pairs "$tmp/runs/kill/codebench.db" > "$tmp/kill.pairs"
if cmp -s "$tmp/ref.pairs" "$tmp/kill.pairs"; then ok; else
    bad "after $kills kills the resumed study differs from the uninterrupted one"; diff "$tmp/ref.pairs" "$tmp/kill.pairs" | head >&2; fi
echo "study: $kills SIGKILLs survived, $(grep -c '^1 ' "$tmp/kill.pairs") evaluations, 0 lost" >&2

# 2. a trainer that segfaults on CNNs whose hash starts with a chosen digit
trigger=$(python3 -c "
import sqlite3,sys
rows=sqlite3.connect(sys.argv[1]).execute('select distinct cnn_hash from evaluations').fetchall()
print(sorted(r[0][0] for r in rows)[0])" "$tmp/runs/ref/codebench.db")
manifest crash segv "$trigger" 0 30 2
"$cb" run "$tmp/crash.yaml" --quiet >/dev/null 2>"$tmp/crash.err" && ok || { bad "crash run did not finish"; tail -5 "$tmp/crash.err" >&2; }
pairs "$tmp/runs/crash/codebench.db" > "$tmp/crash.pairs"
n_fail=$(grep -c '^2 ' "$tmp/crash.pairs"); n_ok=$(grep -c '^1 ' "$tmp/crash.pairs")
[ "$n_fail" -ge 1 ] && [ $((n_fail + n_ok)) = 30 ] && ok || bad "crash run: $n_ok ok + $n_fail failed, expected 30 with at least one failure"
grep '^2 ' "$tmp/crash.pairs" | grep -q "worker killed by signal 11 (SIGSEGV)" && ok || bad "crash run: the failure does not name SIGSEGV"

# 3. bad input before any work; an existing study without --resume
printf 'codebench: 1\nsearch: {plugin: random, budget: 0}\n' > "$tmp/bad.yaml"
"$cb" run "$tmp/bad.yaml" >/dev/null 2>"$tmp/bad.err"; [ $? = 2 ] && ok || bad "bad manifest: exit status is not 2"
head -n 1 "$tmp/bad.err" | grep -q "^$tmp/bad.yaml:[0-9]*:[0-9]*: " && ok || bad "bad manifest: no file:line:col message"
[ ! -e "$tmp/runs/bad" ] && ok || bad "bad manifest: a run folder was created"
"$cb" run "$tmp/ref.yaml" --quiet >/dev/null 2>"$tmp/again.err"; [ $? = 2 ] && ok || bad "a second run without --resume is not refused"

# 4. MPI: 3 ranks (a coordinator and two evaluating ranks) against the local pool
if command -v mpirun >/dev/null 2>&1; then
    manifest mpi segv "" 0 30 2
    manifest local segv "" 0 30 2
    sed -i 's/^name: mpi/name: mpi/' "$tmp/mpi.yaml"
    "$cb" run "$tmp/local.yaml" --quiet >/dev/null 2>"$tmp/local.err" || bad "local pool run"
    # OpenMPI itself leaks at exit; LeakSanitizer is told so (the other runs keep it on).
    OMPI_MCA_btl=self,tcp OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo \
        ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" timeout 300 mpirun --allow-run-as-root --oversubscribe -np 3 "$cb" run "$tmp/mpi.yaml" --quiet \
        >/dev/null 2>"$tmp/mpi.err" && ok || { bad "mpirun -np 3"; tail -5 "$tmp/mpi.err" >&2; }
    if [ "$(sorted_pairs "$tmp/runs/mpi/codebench.db")" = "$(sorted_pairs "$tmp/runs/local/codebench.db")" ]; then ok; else
        bad "MPI and local runs evaluated different pairs"; fi
else
    echo "study: skipped the MPI check (no mpirun)" >&2
fi

echo "study: $pass passed, $failn failed"
[ "$failn" = 0 ]
