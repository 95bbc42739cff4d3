#!/bin/sh
# tools/core-names-check.sh: the core never names a plugin. It learns every plugin name from
# the packs it loads, so swapping or adding a plugin never needs a core change. This lists the
# names of every in-tree plugin (from their CB_PACK'd descriptors' source) and fails if any
# appears as a string literal in core/.
set -e
names=$(grep -rhoE '^\s*(static\s+)?const\s+cb_plugin\s+\w+\s*=\s*\{[^"]*"[a-z0-9_]+"' plugins 2>/dev/null \
        | grep -oE '"[a-z0-9_]+"' | sort -u)
# Descriptors written over several lines: the first string literal after CB_KIND_*.
more=$( (grep -rhoE 'CB_KIND_[A-Z]+,\s*"[a-z0-9_]+"' plugins; \
        grep -rhoE '\.kind *= *CB_KIND_[A-Z]+, *\.name *= *"[a-z0-9_]+"' plugins; \
        grep -rhA3 -E '\.kind *= *CB_KIND_[A-Z]+,? *$' plugins | grep -oE '\.name *= *"[a-z0-9_]+"') 2>/dev/null \
        | grep -oE '"[a-z0-9_]+"' | sort -u)
fail=0
for n in $names $more; do
    if grep -rn --include='*.c' --include='*.h' -F "$n" core/ >/dev/null 2>&1; then
        echo "core-names-check: core/ names the plugin $n:" >&2
        grep -rn --include='*.c' --include='*.h' -F "$n" core/ >&2
        fail=1
    fi
done
count=$(printf '%s\n' $names $more | sort -u | grep -c . || true)
[ $fail = 0 ] && echo "core-names-check: core/ names none of the $count in-tree plugins"
exit $fail
