-- wrk script for bench/run.py.
--
-- Each wrk thread is one client with its own session: BENCH_COOKIES holds one Cookie header
-- per thread, separated by newlines (none for anonymous pages). BENCH_MAX_PER_THREAD bounds
-- the requests of each thread (0: no bound). done() prints one JSON line with throughput,
-- latency percentiles (microseconds) and the count of responses that were not a 2xx.

local threads = {}

function setup(thread)
  local cookies = {}
  for line in (os.getenv("BENCH_COOKIES") or ""):gmatch("[^\n]+") do
    table.insert(cookies, line)
  end
  local index = #threads + 1
  thread:set("cookie", cookies[(index - 1) % math.max(#cookies, 1) + 1] or "")
  thread:set("max_requests", tonumber(os.getenv("BENCH_MAX_PER_THREAD") or "0"))
  table.insert(threads, thread)
end

function init(args)
  if cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
  responses = 0
  non2xx = 0
  bad_status = 0
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    bad_status = status
  end
  if max_requests > 0 and responses >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local non2xx_total, bad = 0, 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
    if thread:get("bad_status") ~= 0 then
      bad = thread:get("bad_status")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "non2xx": %d, "bad_status": %d, '
      .. '"socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, non2xx_total, bad,
    e.connect + e.read + e.write + e.timeout
  ))
end
