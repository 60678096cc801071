-- GET one task (with its light, indicators and milestones)
package.path = package.path .. ";" .. (os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"

request = function()
  return wrk.format("GET", "/api/v1/tasks/" .. leaf() .. "?as_of=" .. as_of)
end
