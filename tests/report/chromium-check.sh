#!/bin/sh
# tests/report/chromium-check.sh REPORT_DIR [SCREENSHOT.png]: opens REPORT_DIR/index.html (a
# `codebench report` page) in headless Chromium and fails unless the page renders: a 1280x2000
# screenshot that is a real PNG and far from blank, no message on the browser console (a
# script error, a blocked or failed load), and a page that loads nothing from elsewhere (every
# src= is a data: URI; no <script>, <link> or url()). Skips, exiting 0, when Chromium is not
# installed ($CHROMIUM overrides /usr/bin/chromium). Keeps the screenshot when a path is given.
set -u
dir=${1:-}
if [ -z "$dir" ]; then
    echo "usage: $0 REPORT_DIR [SCREENSHOT.png]" >&2
    exit 2
fi
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "chromium-check: skipped: chromium not installed ($chromium)"
    exit 0
fi
page="$dir/index.html"
if [ ! -f "$page" ]; then
    echo "chromium-check: $page: no such file" >&2
    exit 2
fi
abs=$(cd "$dir" && pwd)/index.html
tmp=$(mktemp -d /tmp/cb-chromium-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
shot=${2:-$tmp/screenshot.png}
fail=0
bad() { echo "chromium-check: FAIL: $*" >&2; fail=1; }

# Static: a self-contained page fetches nothing (relative files included: the page must work
# when mailed alone).
grep -o 'src="[^"]*' "$page" | grep -v '^src="data:' | head -3 | while read -r s; do
    echo "chromium-check: FAIL: $page loads ${s#src=\"}" >&2
done
if grep -o 'src="[^"]*' "$page" | grep -qv '^src="data:'; then fail=1; fi
grep -qi '<script' "$page" && bad "$page has a <script>"
grep -qi '<link' "$page" && bad "$page has a <link>"
grep -q 'url(' "$page" && bad "$page has a CSS url()"

# Dynamic: render it. The profile lives in tmp so no state leaks between runs.
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
    --screenshot="$shot" --window-size=1280,2000 "file://$abs" >"$tmp/stdout" 2>"$tmp/log"
rc=$?
[ $rc = 0 ] || bad "chromium exited with status $rc (log: last lines below)"

# Console messages (a page without scripts should log none) and failed loads. Chromium's own
# noise in a container (D-Bus, GPU, sandbox warnings) is not about the page and is ignored.
if grep -E ':CONSOLE[:(]|Failed to load resource|net::ERR_' "$tmp/log" >"$tmp/console"; then
    bad "the browser console logged:"
    sed 's/^/    /' "$tmp/console" >&2
fi

# The screenshot: a PNG of the window's size and far larger than a blank page compresses to
# (about 10 kB at 1280x2000; a report with its figures is several hundred kB).
if [ ! -s "$shot" ]; then
    bad "no screenshot written"
    [ $rc = 0 ] || tail -n 5 "$tmp/log" >&2
else
    sig=$(od -An -tx1 -N8 "$shot" | tr -d ' \n')
    [ "$sig" = "89504e470d0a1a0a" ] || bad "$shot is not a PNG (starts $sig)"
    size=$(od -An -tu1 -j16 -N8 "$shot" | tr -s ' ' | sed 's/^ //')
    # shellcheck disable=SC2086
    set -- $size
    w=$(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 )); h=$(( ($5 << 24) + ($6 << 16) + ($7 << 8) + $8 ))
    [ "$w" = 1280 ] && [ "$h" = 2000 ] || bad "screenshot is ${w}x${h}, expected 1280x2000"
    bytes=$(wc -c <"$shot")
    [ "$bytes" -gt 60000 ] || bad "screenshot is only $bytes bytes: a blank or broken page?"
fi

if [ $fail = 0 ]; then
    echo "chromium-check: ok: $page renders (screenshot ${bytes} bytes), console clean"
fi
exit $fail
