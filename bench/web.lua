-- wrk script for bench/web.sh: POST /api/eval with a small expression. The
-- first answer's session is reused, as a notebook would, so the server does not
-- make a new session per request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local program = '{"program": "x = [1 2; 3 4] * [5; 6]"'
wrk.body = program .. "}"

local session = nil
response = function(status, headers, body)
  if not session and status == 200 then
    session = body:match('"session":"([%w%-]+)"')
    if session then
      wrk.body = program .. ', "session": "' .. session .. '"}'
    end
  end
end

done = function(summary, latency, requests)
  io.write(string.format("WEBBENCH requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
