-- wrk script for verify/load.py: every wrk thread is one user with its own session, walking
-- through its own list of pages in turn.
--
-- LOAD_USERS holds one line per user: the Cookie header, a tab, then the paths separated by
-- spaces. done() prints one JSON line with the totals.

local threads = {}

function setup(thread)
  local users = {}
  for line in (os.getenv("LOAD_USERS") or ""):gmatch("[^\n]+") do
    table.insert(users, line)
  end
  local index = #threads + 1
  local line = users[(index - 1) % #users + 1]
  local cookie, paths = line:match("^([^\t]*)\t(.*)$")
  thread:set("cookie", cookie)
  thread:set("paths", paths)
  table.insert(threads, thread)
end

function init(args)
  list = {}
  for path in paths:gmatch("%S+") do
    table.insert(list, path)
  end
  position = 0
  responses = 0
  non2xx = 0
  bad_status = 0
  bad_path = ""
end

function request()
  position = position % #list + 1
  current = list[position]
  return wrk.format("GET", current, { ["Cookie"] = cookie })
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    bad_status = status
    bad_path = current
  end
end

function done(summary, latency, requests)
  local non2xx_total, bad, where = 0, 0, ""
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
    if thread:get("bad_status") ~= 0 then
      bad = thread:get("bad_status")
      where = thread:get("bad_path")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "non2xx": %d, "bad_status": %d, "bad_path": "%s", '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, non2xx_total, bad, where,
    e.connect, e.read, e.write, e.timeout
  ))
end
