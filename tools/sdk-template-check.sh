#!/bin/sh
# tools/sdk-template-check.sh BUILD: installs the SDK into a temporary prefix, builds the two
# templates of sdk/template from a copy outside the source tree using only
# `pkg-config codebench`, then checks that the installed codebench lists and shows them, both
# from --plugin-path and after `make install` into the plugin folder.
set -eu
build=$1
src=$(pwd)
tmp=$(mktemp -d /tmp/cb-sdk-check-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
prefix="$tmp/prefix"
make -s --no-print-directory -C "$src" BUILD="$build" PREFIX="$prefix" install >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cb="$prefix/bin/codebench"
fail=0
for t in op-pack:hswish memory:sram_mem; do
    dir=${t%%:*}; name=${t#*:}
    cp -r "$src/sdk/template/$dir" "$tmp/$dir"
    chmod -R go-w "$tmp/$dir"
    # CFLAGS from the environment must not leak the source tree's include paths in.
    env -u CFLAGS make -s --no-print-directory -C "$tmp/$dir" >/dev/null
    if ! "$cb" plugins --plugin-path "$tmp/$dir" | grep -q " $name "; then
        echo "sdk-template-check: FAIL: $name not listed from --plugin-path" >&2; fail=1
    fi
    if ! "$cb" plugins show "$name" --plugin-path "$tmp/$dir" --json | grep -q "\"name\":\"$name\""; then
        echo "sdk-template-check: FAIL: plugins show $name" >&2; fail=1
    fi
    make -s --no-print-directory -C "$tmp/$dir" install >/dev/null
    if ! "$cb" plugins | grep -q " $name "; then
        echo "sdk-template-check: FAIL: $name not found in the installed plugin folder" >&2; fail=1
    fi
done
if [ $fail = 0 ]; then
    echo "sdk-template-check: 2 out-of-tree plugins built with pkg-config codebench and loaded: ok"
fi
exit $fail
