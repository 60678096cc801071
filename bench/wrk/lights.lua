-- GET the campaign's lights: every one of its 100,000 tasks
package.path = package.path .. ";" .. (os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"

request = function()
  return wrk.format("GET", "/api/v1/campaigns/1/lights?as_of=" .. as_of)
end
