#!/usr/bin/env bash
# Proves that constraints.txt installs on every supported Python this machine has: for each,
# a throw-away virtual environment resolves the project against the lock (pip --dry-run).
set -euo pipefail
cd "$(dirname "$0")/.."
pythons=$(scripts/pythons.sh --all) || { echo "check-lock: no supported Python found" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for python in $pythons; do
  version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  "$python" -m venv "$work/$version"
  "$work/$version/bin/python" -m pip install --quiet --upgrade "pip<27"
  if "$work/$version/bin/python" -m pip install --quiet --dry-run -c constraints.txt -e '.[dev]'; then
    echo "check-lock: constraints.txt installs on Python $version ($python)"
  else
    echo "check-lock: constraints.txt does NOT install on Python $version ($python)" >&2
    status=1
  fi
done
exit $status
