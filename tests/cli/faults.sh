#!/bin/sh
# tests/cli/faults.sh BUILD: `codebench run` when its output folder fails it:
#  1. a run folder that cannot be created (its parent is read-only) and an existing study whose
#     folder became read-only are refused with one clear line naming the folder, exit 1, and the
#     existing database is left as it was (integrity check, same rows);
#  2. a disk that fills up mid-run (a small tmpfs) stops the run with an error naming the
#     database; every evaluation finished before is kept, the database passes its integrity
#     check, and `--resume` once space is freed (the tmpfs grown) ends with exactly the pairs of
#     an uninterrupted run.
# Read-only and disk-full folders are made with tmpfs mounts (root) or, for the read-only case,
# chmod (others); a part whose mechanism is unavailable prints SKIP. Ends with
# "N passed, N failed".
set -u
build=${1:-build}
src=$(pwd)
cb="$src/$build/codebench"
[ -x "$cb" ] || cb="$build/codebench"
pass=0; failn=0
tmp=$(mktemp -d /tmp/cb-faults-XXXXXX)
mounts=""
cleanup() { [ -n "${CB_FAULTS_KEEP:-}" ] && return; for m in $mounts; do umount "$m" 2>/dev/null; done; chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 1' INT TERM # through cleanup: no tmpfs stays mounted
chmod 755 "$tmp"
export CODEBENCH_PLUGIN_PATH="$build/tests/plugins/good"
case "$CODEBENCH_PLUGIN_PATH" in /*) ;; *) CODEBENCH_PLUGIN_PATH="$src/$CODEBENCH_PLUGIN_PATH" ;; esac
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL: $*" >&2; }
skip() { echo "faults: SKIP: $*" >&2; }

# Eight tiny cards; a study of 16 pairs with a trainer that only hashes (fx_faulty, no fault).
cards=""
for c in 2 3 4 5 6 7 8 9; do
    cat > "$tmp/card$c.yaml" <<CARD
name: card$c
input: {channels: 1, height: 8, width: 8}
classes: 10
layers:
  - {name: conv, op: conv2d, attrs: {out_channels: $c, kernel: 3, stride: 2}}
  - {name: pool, op: global_avgpool}
  - {name: out, op: dense, attrs: {classes: 10}}
CARD
    cards="$cards    - card$c.yaml
"
done
manifest() { # NAME OUTPUT_DIR
    cat > "$tmp/$1.yaml" <<MAN
codebench: 1
name: faults
seed: 11
cnn:
  input: {channels: 1, height: 8, width: 8}
  classes: 10
  space: cards
  cards:
$cards
accelerator:
  mac: [mac1, mac16]
  memory: [rram, dram]
  axes: {p_ix: [1, 2], p_iy: [1, 2], batch: [1, 64]}
search: {plugin: random, budget: 16, batch: 1}
trainer: {plugin: fx_faulty}
workers: {count: 1, timeout_s: 30}
output: {dir: $2, report: false}
MAN
}
pairs() { # DB -> "id status cnn accel", in ask order
    python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("select id, status, cnn, accel from evaluations order by id"):
    print(*row)
PY
}
finished() { pairs "$1" | awk '$2 != 0 {print $1, $3, $4}'; }
integrity() { python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute('pragma integrity_check').fetchone()[0]; sys.exit(r!='ok')" "$1"; }

# the uninterrupted reference
manifest ref "$tmp/runs/ref"
"$cb" run "$tmp/ref.yaml" --quiet >/dev/null 2>"$tmp/ref.err" && ok || { bad "reference run"; cat "$tmp/ref.err" >&2; }
pairs "$tmp/runs/ref/codebench.db" > "$tmp/ref.pairs"
[ "$(awk '$2 == 1' "$tmp/ref.pairs" | wc -l)" = 16 ] && ok || bad "reference run: $(awk '$2 == 1' "$tmp/ref.pairs" | wc -l) finished rows, expected 16"

can_mount=0
if [ "$(id -u)" = 0 ] && mkdir "$tmp/probe" && mount -t tmpfs -o size=64k tmpfs "$tmp/probe" 2>/dev/null; then
    umount "$tmp/probe"; can_mount=1
fi

# 1. read-only output folders
mkdir -p "$tmp/ro"
if [ "$can_mount" = 1 ]; then
    mount -t tmpfs -o size=4m tmpfs "$tmp/ro" && mounts="$tmp/ro $mounts"
    mkdir -p "$tmp/ro/parent"
    manifest rostudy "$tmp/ro/study"
    "$cb" run "$tmp/rostudy.yaml" --quiet >/dev/null 2>"$tmp/ro1.err" || bad "run before the folder goes read-only"
    cp "$tmp/ro/study/codebench.db" "$tmp/ro-before.db"
    mount -o remount,ro "$tmp/ro"
    ro_ok=$?
elif [ "$(id -u)" != 0 ]; then
    mkdir -p "$tmp/ro/parent"
    manifest rostudy "$tmp/ro/study"
    "$cb" run "$tmp/rostudy.yaml" --quiet >/dev/null 2>"$tmp/ro1.err" || bad "run before the folder goes read-only"
    chmod 555 "$tmp/ro/parent" "$tmp/ro/study"
    cp "$tmp/ro/study/codebench.db" "$tmp/ro-before.db"
    chmod 444 "$tmp/ro/study/"*
    ro_ok=0
else
    ro_ok=1
fi
if [ "$ro_ok" = 0 ]; then
    # a run folder that cannot be created
    manifest ronew "$tmp/ro/parent/new"
    "$cb" run "$tmp/ronew.yaml" --quiet >/dev/null 2>"$tmp/ro2.err"; rc=$?
    [ "$rc" = 1 ] && ok || bad "read-only parent: exit $rc, expected 1"
    grep -q "^codebench run: $tmp/ro/parent/new: " "$tmp/ro2.err" && ok || { bad "read-only parent: the error does not name the folder"; cat "$tmp/ro2.err" >&2; }
    [ "$(wc -l < "$tmp/ro2.err")" -le 2 ] && ok || { bad "read-only parent: more than two lines of errors"; cat "$tmp/ro2.err" >&2; }
    # an existing study, resumed in a folder that became read-only: refused, and the database
    # is byte for byte what it was (SQLite cannot even open a WAL database read-only there, so
    # the check reads a copy)
    "$cb" run "$tmp/rostudy.yaml" --resume --quiet >/dev/null 2>"$tmp/ro3.err"; rc=$?
    [ "$rc" = 1 ] && ok || bad "read-only study: exit $rc, expected 1"
    grep -q "^codebench run: $tmp/ro/study: " "$tmp/ro3.err" && ok || { bad "read-only study: the error does not name the folder"; cat "$tmp/ro3.err" >&2; }
    cmp -s "$tmp/ro-before.db" "$tmp/ro/study/codebench.db" && ok || bad "read-only study: the database changed"
    cp "$tmp/ro/study/codebench.db" "$tmp/ro-after.db"
    integrity "$tmp/ro-after.db" && ok || bad "read-only study: the database fails its integrity check"
    [ "$(pairs "$tmp/ro-after.db" | awk '$2 == 1' | wc -l)" = 16 ] && ok || bad "read-only study: evaluations lost"
    echo "faults: read-only: $(head -n 1 "$tmp/ro2.err")" >&2
else
    skip "read-only output folder (root without mount: permissions do not bind root)"
fi

# 2. disk full mid-run, then --resume with space. Two sizes, so that the disk fills once while
# an asked pair is recorded and once while a finished evaluation is saved (which of the two a
# size hits depends on SQLite's page use; the checks hold for either).
disk_full() { # KB
    d="$tmp/full$1"; mkdir -p "$d"
    mount -t tmpfs -o size=$1k tmpfs "$d" && mounts="$d $mounts"
    manifest full$1 "$d/study"
    "$cb" run "$tmp/full$1.yaml" --quiet >/dev/null 2>"$tmp/full$1.err"; rc=$?
    db="$d/study/codebench.db"
    [ "$rc" = 1 ] && ok || { bad "disk full ($1k): exit $rc, expected 1"; tail -5 "$tmp/full$1.err" >&2; }
    grep -q "^codebench run: .*$db: database or disk is full" "$tmp/full$1.err" && ok || {
        bad "disk full ($1k): the error does not name the database and the full disk"; cat "$tmp/full$1.err" >&2; }
    integrity "$db" && ok || bad "disk full ($1k): the database fails its integrity check"
    finished "$db" > "$tmp/full$1.kept"
    n_kept=$(wc -l < "$tmp/full$1.kept")
    [ "$n_kept" -ge 1 ] && [ "$n_kept" -lt 16 ] && ok || bad "disk full ($1k): $n_kept evaluations kept, expected 1 to 15"
    # every kept evaluation is the reference's, under the same id
    if awk '{print $1, $3, $4}' "$tmp/ref.pairs" | grep -qvxFf - "$tmp/full$1.kept"; then
        bad "disk full ($1k): a kept evaluation differs from the reference"; else ok; fi
    echo "faults: disk full ($1k): kept $n_kept of 16: $(grep '^codebench run' "$tmp/full$1.err" | head -n 1)" >&2
    mount -o remount,size=16m "$d"
    "$cb" run "$tmp/full$1.yaml" --resume --quiet >/dev/null 2>"$tmp/resume$1.err" && ok || {
        bad "disk full ($1k): resume after freeing space"; tail -5 "$tmp/resume$1.err" >&2; }
    integrity "$db" && ok || bad "disk full ($1k): integrity check after resume"
    pairs "$db" | awk '{print $2, $3, $4}' > "$tmp/full$1.pairs"
    if awk '{print $2, $3, $4}' "$tmp/ref.pairs" | cmp -s - "$tmp/full$1.pairs"; then ok; else
        bad "disk full ($1k): after resume the study differs from the uninterrupted one"
        awk '{print $2, $3, $4}' "$tmp/ref.pairs" | diff - "$tmp/full$1.pairs" | head >&2; fi
}
if [ "$can_mount" = 1 ]; then
    for kb in ${CB_FAULTS_TMPFS_KB:-200 260}; do disk_full "$kb"; done
else
    skip "disk full (needs root to mount a small tmpfs)"
fi

echo "faults: $pass passed, $failn failed"
[ "$failn" = 0 ]
