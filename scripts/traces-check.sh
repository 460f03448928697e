#!/usr/bin/env bash
# Shows request traces leaving the server over OTLP/HTTP: builds swift-response with the
# OpenTelemetry trait (into .build-otel/, apart from the default build), starts a loopback OTLP/HTTP
# receiver and `serve --demo --traces-endpoint` against it, sends a few requests, and checks that
# the receiver got spans of the service `swift-response` naming the routes asked.
#   scripts/traces-check.sh [--binary PATH]     # a binary already built with --traits OpenTelemetry
set -euo pipefail
cd "$(dirname "$0")/.."
binary=
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$(realpath "$2"); shift 2 ;;
    *) echo "usage: $0 [--binary PATH]" >&2; exit 2 ;;
  esac
done
if [ -z "$binary" ]; then
  echo "building swift-response with the OpenTelemetry trait into .build-otel/ (the first time takes several minutes)…"
  swift build --traits OpenTelemetry --product swift-response --scratch-path .build-otel
  binary=$PWD/.build-otel/debug/swift-response
fi
work=$(mktemp -d /tmp/sr-traces.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
collector=$(free_port); port=$(free_port)
# The receiver: keeps every POST body to /v1/traces and answers as a collector does.
python3 - "$collector" "$work" > "$work/receiver.log" 2>&1 <<'PY' &
import http.server, sys, os
port, out = int(sys.argv[1]), sys.argv[2]
class Receiver(http.server.BaseHTTPRequestHandler):
    n = 0
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Receiver.n += 1
        with open(os.path.join(out, f"batch-{Receiver.n}.{self.path.strip('/').replace('/', '-')}"), "wb") as f:
            f.write(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
PY
receiver=$!
(cd "$work" && exec "$binary" serve --demo --demo-password traces-demo --port "$port" --traces-endpoint "http://127.0.0.1:$collector" > "$work/serve.log" 2>&1) &
server=$!
trap 'kill $server $receiver 2>/dev/null; wait $server $receiver 2>/dev/null; rm -rf "$work"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 1 120); do curl -fs -m 2 "$base/health/ready" > /dev/null && break; sleep 1; done
curl -fs -m 5 "$base/health/ready" > /dev/null || { echo "the server did not come up: $(tail -5 "$work/serve.log")" >&2; exit 1; }
for _ in 1 2 3; do
  curl -s -o /dev/null "$base/health/ready"
  curl -s -o /dev/null "$base/api/v1/public/dashboard"
  curl -s -o /dev/null "$base/open311/v2/services.json"
done
# What a span must never hold: the path as sent, the query, a header.
curl -s -o /dev/null -H "User-Agent: agent-SECRET-UA" "$base/api/v1/public/requests/20261203-999999?code=SECRET-CODE-123"
# The batch exporter sends every few seconds.
for _ in $(seq 1 30); do
  if cat "$work"/batch-*v1-traces 2>/dev/null | grep -aq "/api/v1/public/requests/"; then break; fi
  sleep 1
done
batches=$(ls "$work" | grep -c "v1-traces$" || true)
bytes=$(cat "$work"/batch-*v1-traces 2>/dev/null | wc -c || true)
echo "receiver: $batches OTLP/HTTP trace batches to /v1/traces, $bytes bytes"
ok=1
for name in swift-response /health/ready /api/v1/public/dashboard /open311/v2/services.json /api/v1/public/requests/; do
  if cat "$work"/batch-*v1-traces 2>/dev/null | grep -aq -- "$name"; then echo "✔ a span names $name"; else echo "✘ no span names $name"; ok=0; fi
done
for secret in 20261203-999999 SECRET-CODE-123 SECRET-UA 127.0.0.1; do
  if cat "$work"/batch-*v1-traces 2>/dev/null | grep -aq -- "$secret"; then echo "✘ a span holds $secret"; ok=0; else echo "✔ no span holds $secret"; fi
done
[ $ok = 1 ] || { echo "serve log:"; tail -20 "$work/serve.log"; exit 1; }
echo "traces reach the collector"
