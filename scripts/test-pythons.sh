#!/usr/bin/env bash
# For every supported Python on this machine (on PATH or installed by pyenv): a fresh virtual
# environment in .venvs/<version>, installed from the lock, the demo pipeline end to end (every
# exact published figure reproduced) and the fast tests. Prints one result line per version.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
pythons=$(scripts/pythons.sh --all) || {
  echo "test-pythons: no supported Python (3.11, 3.12, 3.13) found" >&2; exit 1; }
results=()
status=0
for python in $pythons; do
  version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  venv=.venvs/$version
  work=$(mktemp -d)
  echo "== Python $version ($python)"
  rm -rf "$venv"
  if "$python" -m venv "$venv" \
     && scripts/install-packages.sh "$venv" \
     && "$venv/bin/kerncijfers" demo --output-dir "$work/raw/2021-03-31" >/dev/null \
     && "$venv/bin/kerncijfers" run --raw-dir "$work/raw/2021-03-31" --jaar 2019 --peildatum 2021-03-01 \
          --reference data/reference/jaarverslag-2019.yaml --output-dir "$work/out" \
          | tee "$work/run.log" | tail -3 \
     && grep -Eq "reference: ([0-9]+) of \1 exact figures reproduced" "$work/run.log" \
     && "$venv/bin/python" -m pytest -q -m "not slow and not browser" -p no:cacheprovider; then
    results+=("Python $version: $(grep -Eo "[0-9]+ of [0-9]+ exact figures reproduced" "$work/run.log"); fast tests pass")
  else
    results+=("Python $version: FAILED (see above)")
    status=1
  fi
  rm -rf "$work"
done
printf '\n'; printf '%s\n' "${results[@]}"
exit $status
