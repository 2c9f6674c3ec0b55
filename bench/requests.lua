-- wrk script: each thread cycles through its own share of a prepared list of requests.
--
-- The list (path in $BENCH_REQUESTS) has one request a line, tab-separated:
--   METHOD  PATH  COOKIE  BODY      (COOKIE and BODY may be "-"; a BODY is sent form-encoded)
-- Thread k of n takes lines k, k+n, k+2n... so no two threads send the same line (one submit per
-- attempt while the list lasts). done() prints one JSON line of figures, prefixed with "BENCH ".

local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in string.gmatch(line, "([^\t]*)\t?") do
    table.insert(fields, field)
    if #fields == 4 then break end
  end
  return fields
end

function init(args)
  local path = os.getenv("BENCH_REQUESTS")
  local total = tonumber(os.getenv("BENCH_THREADS") or "1")
  local mine = {}
  local n = 0
  for line in io.lines(path) do
    if n % total == index then
      local f = split(line)
      local headers = {["User-Agent"] = "debrief-bench/1", ["Accept"] = "text/html"}
      if f[3] ~= "-" and f[3] ~= "" then headers["Cookie"] = f[3] end
      local body = nil
      if f[4] ~= "-" and f[4] ~= "" then
        body = f[4]
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      table.insert(mine, wrk.format(f[1], f[2], headers, body))
    end
    n = n + 1
  end
  requests_list = mine
  position = 0
  if #mine == 0 then
    requests_list = {wrk.format("GET", "/livez")}
  end
end

function request()
  position = position + 1
  if position > #requests_list then
    position = 1
  end
  return requests_list[position]
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
