#!/usr/bin/env bash
# Packaging checks, run by CI after the tests: build the wheel and check its resources, install
# it into a clean venv and run the app's --version and --self-test from there, validate the
# Linux desktop metadata, then build the PyInstaller one-folder app and run its self-test.
# Usage: bash packaging/check.sh [python]   (default: .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${1:-.venv/bin/python}
OUT=$(mktemp -d -t playground-packaging-XXXX)
export QT_QPA_PLATFORM=offscreen
step() { printf '\n== %s\n' "$*"; }
# --self-test; under a D-Bus session with gnome-keyring (as CI runs this) the keyring must be
# found, and found secure, from the installed app too
self_test() {
    local out
    out=$("$@" --self-test)
    echo "$out"
    if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v gnome-keyring-daemon >/dev/null; then
        grep -q '^\[ok  \] keyring' <<<"$out" || { echo "the keyring was not found secure" >&2; exit 1; }
    fi
}

step "wheel"
"$PY" -m pip wheel -q --no-deps -w "$OUT/dist" .
WHEEL=$(ls "$OUT"/dist/*.whl)
"$PY" packaging/check_wheel.py "$WHEEL"

step "clean venv: install the wheel, --version, --self-test"
python3 -m venv "$OUT/venv"
"$OUT/venv/bin/python" -m pip install -q --upgrade pip
"$OUT/venv/bin/python" -m pip install -q "$WHEEL"
cd "$OUT"  # not the checkout: the installed package must be the one that runs
"$OUT/venv/bin/playground" --version
self_test "$OUT/venv/bin/playground"
cd "$ROOT"

step "desktop metadata"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate packaging/linux/io.github.playground.Playground.desktop
    echo "desktop-file-validate: ok"
else
    echo "desktop-file-validate not installed: skipped"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net packaging/linux/io.github.playground.Playground.metainfo.xml
else
    echo "appstreamcli not installed: skipped"
fi

step "PyInstaller one-folder app"
"$OUT/venv/bin/python" -m pip install -q pyinstaller
"$OUT/venv/bin/pyinstaller" --noconfirm --log-level WARN \
    --distpath "$OUT/bundle" --workpath "$OUT/build" packaging/playground.spec
du -sh "$OUT/bundle/playground"
cd "$OUT"
"$OUT/bundle/playground/playground" --version
self_test "$OUT/bundle/playground/playground"
cd "$ROOT"
rm -rf "$OUT"
echo "packaging checks passed"
