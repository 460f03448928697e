-- wrk script: POST /api/v1/tickets with the demo city's real citizen messages, one JSON body per
-- line of $WRK_BODIES (scripts/wrk-intake.sh writes it), with the API key in $WRK_API_KEY.
-- Every thread starts at a different line; every non-201 answer counts as an error. With
-- WRK_IDEMPOTENCY=1 every request carries its own Idempotency-Key.
local bodies = {}
local counter = 0
local failures = 0
local sent = 0
local keyed = os.getenv("WRK_IDEMPOTENCY") == "1"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
  thread:set("run", os.time())
end

function init(args)
  for line in io.lines(os.getenv("WRK_BODIES")) do bodies[#bodies + 1] = line end
  counter = math.random(#bodies)
  wrk.method = "POST"
  wrk.path = "/api/v1/tickets"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-API-Key"] = os.getenv("WRK_API_KEY")
end

function request()
  counter = counter % #bodies + 1
  if keyed then
    sent = sent + 1
    wrk.headers["Idempotency-Key"] = string.format("wrk-%d-%d-%d", run, tid, sent)
  end
  return wrk.format(nil, nil, nil, bodies[counter])
end

function response(status, headers, body)
  if status ~= 201 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("status " .. status .. ": " .. body:sub(1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  io.write(string.format("latency ms: p50 %.2f, p90 %.2f, p99 %.2f, max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests: %d in %.2f s = %.0f/s; socket errors %d; non-2xx %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
