-- POST a problem transition: each request moves a different open problem
-- (the generator makes every tenth one open, version 1) to rectifying, so
-- every answer is a durable write, never a 409
package.path = package.path .. ";" .. (os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local n = 0
request = function()
  -- ids 10, 20, 30, ...: bench/run.sh runs two wrk threads, and thread
  -- tid takes every other one of them, so no problem is moved twice
  local id = 10 * ((tid or 0) + 1 + 2 * n)
  n = n + 1
  return wrk.format("POST", "/api/v1/problems/" .. id .. "/transition", nil,
    '{"to":"rectifying","note":"已部署整改","version":1}')
end
