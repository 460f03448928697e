#!/usr/bin/env bash
# Intake over HTTP from a separate process: `serve --demo` (release build, SQLite or PostgreSQL)
# against wrk POSTing the demo city's real citizen messages to /api/v1/tickets, so every request is
# classified, located, routed and checked for duplicates in the request (dispatch on).
#
#   scripts/wrk-intake.sh [--connections 16] [--threads 2] [--duration 20] [--database URL] [--idempotency]
#
# --idempotency: every request carries its own Idempotency-Key (what a careful client sends).
#
# Needs wrk (apt-get install wrk) and python3. Prints wrk's throughput and latency percentiles and
# the server's peak RSS. The SQLite database is a fresh temporary file unless --database is given.
set -euo pipefail
cd "$(dirname "$0")/.."
connections=16 threads=2 duration=20 idempotency=0 database="" port=$((20000 + RANDOM % 20000)) bin=.build/release/swift-response
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --database) database=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --binary) bin=$2; shift 2 ;;
    --idempotency) idempotency=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$bin" ] || { echo "no $bin: run swift build -c release --product swift-response first" >&2; exit 1; }
work=$(mktemp -d)
trap '[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
[ -n "$database" ] || database="$work/wrk.sqlite"

# One JSON body per line, from the demo's real messages; every third with a named complainant.
python3 - "$work/bodies.jsonl" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open("Sources/ResponseServer/Resources/demo/messages.csv", encoding="utf-8")))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for i, r in enumerate(rows):
        body = {"kind": "complaint", "channel": "phone", "title": r["title"][:200], "description": r["detail"]}
        if i % 3 == 0:
            body["complainant"] = {"name": "张三", "phone": "1380000%04d" % i, "anonymous": False}
        out.write(json.dumps(body, ensure_ascii=False) + "\n")
PY

export SWIFT_RESPONSE_DATABASE="$database"
# One API key files everything: measure the server, not its limit on a key.
echo '{"abuse": {"requestsPerMinute": 100000000, "requestBurst": 100000000}}' > "$work/config.json"
export SWIFT_RESPONSE_CONFIG="$work/config.json"
"$bin" serve --demo --port "$port" --log-level warning > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
key=$("$bin" apikey create --name "wrk-$$" 2>/dev/null)
echo "wrk: $connections connections, $threads threads, ${duration}s against serve --demo (pid $pid) on port $port, $(nproc) cores"
WRK_BODIES="$work/bodies.jsonl" WRK_API_KEY="$key" WRK_IDEMPOTENCY="$idempotency" \
  wrk -t "$threads" -c "$connections" -d "${duration}s" --latency -s scripts/wrk-intake.lua "http://127.0.0.1:$port" \
  | grep -E "^(latency ms|requests):"
echo "server peak RSS: $(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status) MB"
