#!/usr/bin/env bash
# Builds the Python venv of the vendors' SDKs that referee the emulator
# (tests/referee) from requirements-dev.txt, in the user cache, keyed by the
# file's hash: a second run with the same file reuses it. Prints the venv's
# python. Test-only: nothing the package ships uses Python.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
requirements="$root/requirements-dev.txt"
key=$(sha256sum "$requirements" | cut -c1-12)
venv="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-training/referee-venv-$key"
if [ ! -f "$venv/.complete" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
    touch "$venv/.complete"
fi
echo "$venv/bin/python"
