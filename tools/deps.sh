#!/bin/sh
# tools/deps.sh: installs the Debian packages codebench needs, only those missing.
# Run by `make deps` (and so by `make run` and `make check`). Why each one is needed:
# docs/dependencies.md.
set -e
PKGS="pkg-config libyaml-dev libffi-dev libopenblas-dev libsqlite3-dev libssl-dev
libcriterion-dev libcairo2-dev libpng-dev libjpeg-dev zlib1g-dev clang libjansson-dev
libopenmpi-dev openmpi-bin libclang-rt-14-dev valgrind
dataset-fashion-mnist python3-torch chromium"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "make deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "make deps: need root (or sudo) to install:$missing" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may never have fetched the package lists.
$SUDO apt-get update -qq || $SUDO apt-get update
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
