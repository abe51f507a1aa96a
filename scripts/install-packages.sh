#!/usr/bin/env bash
# Installs kerncijfers and the locked versions of everything it needs (constraints.txt) into
# the virtual environment VENV:   scripts/install-packages.sh VENV
#
# With uv (itself installed from PyPI into VENV, at the version the lock names): the same
# packages from the same lock in seconds instead of half a minute with pip. Both compile the
# packages' bytecode as they install (uv only when asked): a Python started with
# PYTHONDONTWRITEBYTECODE would otherwise compile every module it imports, every time.
# pip is used instead when pip is set up to use another index than PyPI (uv does not read
# pip's settings), when KERNCIJFERS_INSTALLER=pip, or when uv cannot be had or fails.
set -euo pipefail
venv=$(realpath -m "${1:?usage: scripts/install-packages.sh VENV}")
cd "$(dirname "$0")/.."
python="$venv/bin/python"

with_pip() {
  "$python" -m pip install --quiet --upgrade "pip<27"
  "$python" -m pip install --quiet -c constraints.txt -e '.[dev]'
}

own_index() {  # pip is set up to use another index than PyPI
  [[ -n "${PIP_INDEX_URL:-}" ]] || "$python" -m pip config get global.index-url >/dev/null 2>&1 \
    || "$python" -m pip config get install.index-url >/dev/null 2>&1
}

if [[ "${KERNCIJFERS_INSTALLER:-uv}" != uv ]] || own_index; then
  with_pip
  exit 0
fi
if "$python" -m pip install --quiet --disable-pip-version-check -c constraints.txt uv \
   && "$venv/bin/uv" pip install --quiet --compile-bytecode --python "$python" -c constraints.txt \
        -e '.[dev]'; then
  exit 0
fi
echo "kerncijfers: uv could not install the packages; installing them with pip instead" >&2
with_pip
