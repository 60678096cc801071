-- GET a page of 25 tasks from a county's subtree (the county's own tasks
-- and its townships'), with their lights
package.path = package.path .. ";" .. (os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"

request = function()
  local county = 17 + math.random(0, 119)
  return wrk.format("GET", "/api/v1/tasks?campaign_id=1&unit_id=" .. county ..
    "&per_page=25&page=" .. math.random(1, 4) .. "&as_of=" .. as_of)
end
