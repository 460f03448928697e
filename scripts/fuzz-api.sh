#!/usr/bin/env bash
# Fuzzes the HTTP API from its own OpenAPI document with schemathesis (PyPI): starts
# `serve --demo` on a free loopback port, signs in as the demo supervisor, and sends generated
# requests to every documented operation for a bounded number of examples. Fails on any 5xx, on
# a response that does not match its documented schema, or on a wrong Content-Type.
#   scripts/fuzz-api.sh [--binary PATH] [--examples 25] [--python .build-venv/bin/python]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=.build/debug/swift-response
examples=25
python=.build-venv/bin/python
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --examples) examples=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    *) echo "usage: $0 [--binary PATH] [--examples N] [--python PY]" >&2; exit 2 ;;
  esac
done
binary=$(realpath "$binary")
"$python" -c 'import schemathesis' 2>/dev/null || "$python" -m pip install -q schemathesis
work=$(mktemp -d /tmp/sr-fuzz.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
password=fuzz-demo-password
(cd "$work" && exec "$binary" serve --demo --demo-password "$password" --port "$port" > "$work/serve.log" 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
base=http://127.0.0.1:$port
token=
for _ in $(seq 1 120); do
  # The demo's users exist once its city is loaded: until then a sign-in fails.
  token=$(curl -s -m 2 "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"supervisor\",\"password\":\"$password\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin).get("token",""))' 2>/dev/null || true)
  [ -n "$token" ] && break
  sleep 1
done
[ -n "$token" ] || { echo "the demo server did not come up: $(tail -5 "$work/serve.log")" >&2; exit 1; }
# Signing out would end the session every later request uses.
"$(dirname "$python")/schemathesis" run "$base/api/v1/openapi.json" --url "$base" \
  -H "Authorization: Bearer $token" --max-examples "$examples" --phases examples,fuzzing \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --exclude-path /api/v1/auth/logout --request-timeout 10 --generation-deterministic
