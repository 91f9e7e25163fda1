#!/usr/bin/env bash
# Installs the Debian packages Aisle needs when they are missing. `serve` needs Python's venv,
# Node and npm; `test` also needs Chromium (browser tests), redis-server and PostgreSQL (the
# tests start their own instances on free ports). Never downloads browsers from elsewhere.
set -euo pipefail
profile=${1:-serve}

need=()
have() { command -v "$1" >/dev/null 2>&1; }
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
have node || need+=(nodejs)
have npm || need+=(npm)
if [ "$profile" = test ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  have redis-server || need+=(redis-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "installing Debian packages: ${need[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: install ${need[*]} with your package manager" >&2
  exit 1
fi
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"
