-- POST a monthly report on a subtask with its indicator's value: a
-- durable write (group commit), audit record included
package.path = package.path .. ";" .. (os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local t = leaf()
  local body = '{"period":"2026-11","summary":"十一月调度情况：按计划推进",' ..
    '"blockers":"无","next_steps":"继续推进","indicator_values":' ..
    '[{"indicator_id":' .. (t - parents) .. ',"value":' ..
    math.random(50, 100) .. '}]}'
  return wrk.format("POST", "/api/v1/tasks/" .. t .. "/reports", nil, body)
end
