#!/usr/bin/env bash
# The supported Python interpreters on this machine (3.11, 3.12, 3.13), newest first, one path
# per line: the commands python3.13, python3.12, python3.11 and python3 on PATH that run and
# are in range. With --all, also interpreters that pyenv installed but did not put on PATH
# (for `make test-pythons`). Prints nothing and exits 1 when none is found.
set -uo pipefail
SUPPORTED="3.11 3.12 3.13"

version_of() {
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

candidates=()
for name in python3.13 python3.12 python3.11 python3; do
  path=$(command -v "$name" 2>/dev/null) && candidates+=("$path")
done
if [[ "${1:-}" == "--all" ]] && command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for minor in 13 12 11; do
    for bin in "$root"/versions/3."$minor".*/bin/python3."$minor"; do
      [[ -x "$bin" ]] && candidates+=("$bin")
    done
  done
fi

declare -A seen=()
found=()
for path in "${candidates[@]}"; do
  version=$(version_of "$path") || continue
  [[ " $SUPPORTED " == *" $version "* ]] || continue
  [[ -n "${seen[$version]:-}" ]] && continue
  seen[$version]=1
  found+=("$version $path")
done
(( ${#found[@]} )) || exit 1
printf '%s\n' "${found[@]}" | sort -r -V | cut -d' ' -f2-
