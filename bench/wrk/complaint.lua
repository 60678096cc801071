-- POST a public complaint (no account): intake, tracking code, due date
-- by the working-day calendar, audit record; a durable write
package.path = package.path .. ";" .. (os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = nil

request = function()
  local body = '{"channel":"web","category":"conduct","content":' ..
    '"窗口办事拖延，多次往返未办结","unit_id":' .. math.random(137, 1636) ..
    ',"contact":"13800000000"}'
  return wrk.format("POST", "/api/v1/public/complaints", nil, body)
end
