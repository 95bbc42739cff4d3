#!/bin/sh
# tests/cli/run.sh BUILD: the codebench executable as a user meets it: exit statuses (0 ok,
# 1 failure, 2 bad input), --help and --version on every subcommand, and the exact first
# line of its error messages. Ends with "N passed, N failed".
set -u
build=${1:-build}
cb="$build/codebench"
fixtures="$build/tests/plugins"
pass=0; failn=0
tmp=$(mktemp -d /tmp/cb-cli-XXXXXX); trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL: $*" >&2; }

# expect STATUS DESCRIPTION -- COMMAND...: runs it, output in $tmp/out, $tmp/err
expect() {
    want=$1; what=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, expected $want"; sed 's/^/    /' "$tmp/err" >&2; fi
}
# contains FILE TEXT DESCRIPTION
contains() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in output"; sed 's/^/    /' "$1" >&2; fi; }
first_line() { if [ "$(head -n 1 "$1")" = "$2" ]; then ok; else bad "$3: first line '$(head -n 1 "$1")', expected '$2'"; fi; }

expect 0 "--version" -- "$cb" --version
contains "$tmp/out" "plugin ABI" "--version"
expect 0 "--help" -- "$cb" --help
contains "$tmp/out" "validate" "--help lists commands"
expect 2 "no arguments" -- "$cb"
expect 2 "unknown command" -- "$cb" frobnicate
first_line "$tmp/err" "codebench: unknown command 'frobnicate' (\`codebench --help\` lists them)" "unknown command"

for sub in $("$cb" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}'); do
    expect 0 "$sub --help" -- "$cb" "$sub" --help
    contains "$tmp/out" "usage: codebench $sub" "$sub --help"
    expect 0 "$sub --version" -- "$cb" "$sub" --version
done

export CODEBENCH_PLUGIN_PATH="$fixtures/good"
expect 0 "plugins" -- "$cb" plugins
contains "$tmp/out" "fx_mem" "plugins lists the fixture memory plugin"
contains "$tmp/out" "fixtures" "plugins names the pack"
expect 0 "plugins --kind search" -- "$cb" plugins --kind search
if grep -q fx_mem "$tmp/out"; then bad "--kind search lists a memory plugin"; else ok; fi
expect 2 "plugins --kind bogus" -- "$cb" plugins --kind bogus
expect 0 "plugins show" -- "$cb" plugins show fx_mem
contains "$tmp/out" "banks              int     16         1..64" "show: int parameter row"
contains "$tmp/out" "policy             enum    open       {open, closed}" "show: enum parameter row"
contains "$tmp/out" "clock_ghz          real    1.0        0.1..10" "show: real parameter row"
expect 0 "plugins show --json" -- "$cb" plugins show fx_mem --json
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["params"][0]["name"]=="banks" and d["params"][0]["max"]==64' "$tmp/out" 2>/dev/null; then ok; else bad "show --json is not the expected JSON"; fi
expect 0 "plugins --json" -- "$cb" plugins --json
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(p["name"]=="fx_op" for p in d)' "$tmp/out" 2>/dev/null; then ok; else bad "plugins --json"; fi
expect 0 "show op attributes" -- "$cb" plugins show fx_op
contains "$tmp/out" "Attributes" "show: op attributes"
expect 2 "show unknown" -- "$cb" plugins show fx_men
first_line "$tmp/err" "codebench plugins show: unknown plugin 'fx_men' (did you mean 'fx_mem'?)" "show unknown"

export CODEBENCH_PLUGIN_PATH="$fixtures"
expect 1 "plugins --verify with refused fixtures" -- "$cb" plugins --verify
contains "$tmp/out" "refused  $fixtures/abi_major.so: built for plugin ABI 2.0" "verify: abi_major"
contains "$tmp/out" "ok       $fixtures/good/fixture_pack.so (pack fixtures 1.0.0, 5 plugins)" "verify: good pack"
unset CODEBENCH_PLUGIN_PATH

# The in-tree plugins all load.
expect 0 "plugins --verify (in-tree)" -- "$cb" plugins --verify

# A world-writable plugin folder is refused with one line.
mkdir "$tmp/ww"; cp "$fixtures/good/fixture_pack.so" "$tmp/ww/"; chmod 777 "$tmp/ww"
expect 2 "world-writable folder" -- "$cb" plugins --plugin-path "$tmp/ww"
first_line "$tmp/err" "codebench plugins: $tmp/ww: refused: the folder is writable by others (chmod go-w to trust it)" "world-writable folder"

# validate: a bad manifest is file:line:col, exit 2; a missing file is exit 2 too.
if [ -d tests/manifests/bad ]; then
    f=$(ls tests/manifests/bad/*.yaml 2>/dev/null | head -n 1)
    if [ -n "$f" ]; then
        export CODEBENCH_PLUGIN_PATH="$fixtures/good"
        expect 2 "validate bad manifest" -- "$cb" validate "$f"
        want=$(head -n 1 "$f" | sed 's/^# expect: //')
        first_line "$tmp/err" "$f:$want" "validate: first line"
        unset CODEBENCH_PLUGIN_PATH
    fi
fi
expect 2 "validate missing file" -- "$cb" validate "$tmp/nope.yaml"

# validate creates the search as run does: a combination its create() refuses, or a value out
# of its range, is bad input at the parameter's place in the manifest.
search_manifest() { # PLUGIN PARAMS -> $tmp/search.yaml (the params flow map on line 12)
    cat >"$tmp/search.yaml" <<EOF
codebench: 1
cnn:
  input: {channels: 1, height: 28, width: 28}
  classes: 10
  space: cards
  cards: [$PWD/examples/models/lenet5.yaml]
accelerator:
  mac: [mac1]
  memory: [dram]
search:
  plugin: $1
  params: {$2}
trainer: native
EOF
}
search_manifest boshnas "alpha_p: 0.6, beta_p: 0.4"
expect 0 "validate: alpha_p + beta_p = 1" -- "$cb" validate --quiet "$tmp/search.yaml"
search_manifest boshnas "alpha_p: 0.6, beta_p: 0.5"
expect 2 "validate: alpha_p + beta_p > 1" -- "$cb" validate "$tmp/search.yaml"
first_line "$tmp/err" "$tmp/search.yaml:12:34: search plugin 'boshnas': parameter 'beta_p': alpha_p + beta_p = 0.6 + 0.5 exceeds 1: they are probabilities of one draw" "validate: alpha_p + beta_p > 1"
search_manifest boshcode "k2: 0.1, k1: -0.5"
expect 2 "validate: k1 < 0" -- "$cb" validate "$tmp/search.yaml"
first_line "$tmp/err" "$tmp/search.yaml:12:25: search plugin 'boshcode': parameter 'k1' = -0.5 is out of range 0..100" "validate: k1 < 0"
search_manifest boshcode "grow_parents: 0"
expect 2 "validate: grow_parents < 1" -- "$cb" validate "$tmp/search.yaml"
first_line "$tmp/err" "$tmp/search.yaml:12:26: search plugin 'boshcode': parameter 'grow_parents' = 0 is out of range 1..1000" "validate: grow_parents < 1"
search_manifest bananas "candidates: 20, per_round: 30"
expect 2 "validate: per_round > candidates" -- "$cb" validate --quiet "$tmp/search.yaml"
first_line "$tmp/err" "$tmp/search.yaml:12:39: search plugin 'bananas': parameter 'per_round': per_round (30) exceeds candidates (20): a round picks among them" "validate: per_round > candidates"

# simulate: a model card on an accelerator card; a bad card is file:line:col, exit 2.
expect 0 "simulate" -- "$cb" simulate --model examples/models/lenet5.yaml --accel examples/accelerators/spring.yaml
contains "$tmp/out" "latency" "simulate: latency"
sed 's/p_ix: 8/p_ix: 9/' examples/accelerators/spring.yaml >"$tmp/bad_accel.yaml"
expect 2 "simulate with a bad accelerator card" -- "$cb" simulate --model examples/models/lenet5.yaml --accel "$tmp/bad_accel.yaml"
first_line "$tmp/err" "$tmp/bad_accel.yaml:7:35: p_ix = 9 is not in the AccelBench space (Table 2: 1, 2, 3, 4, 5, 6, 7, 8)" "simulate: bad card"

echo "cli: $pass passed, $failn failed"
[ "$failn" = 0 ]
