#!/usr/bin/env bash
# Installs the Debian packages kerncijfers needs, when they are missing.
#   runtime: Pango and fonts (WeasyPrint renders the PDFs)
#   --browser (make test): Chromium (the accessibility, screenshot and verkenner tests) and
#   faketime (the tests that move the clock)
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [[ "${1:-}" == "--browser" ]]; then
  want+=(chromium faketime)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} == 0 )); then
  exit 0
fi
echo "kerncijfers: installing system packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "kerncijfers: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
