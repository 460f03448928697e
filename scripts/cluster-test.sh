#!/usr/bin/env bash
# Runs scripts/cluster-test.py (a PostgreSQL primary and synchronous standby, three instances
# behind nginx, kill -9 and failover), installing what it needs from Debian's packages first.
#   scripts/cluster-test.sh [--binary PATH] [--phase SECONDS] [--clients N] [--keep] [--out DIR]
# The binary defaults to the release build; build it with `swift build -c release`.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v nginx >/dev/null 2>&1 || need+=(nginx)
[ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || need+=(libnginx-mod-stream)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need[@]}" >&2
  # Debian's package starts a system nginx on port 80; the test runs its own.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop nginx >/dev/null 2>&1 || true; fi
  if [ -f /run/nginx.pid ]; then kill "$(cat /run/nginx.pid)" 2>/dev/null || true; fi
fi
exec python3 -u scripts/cluster-test.py "$@"
