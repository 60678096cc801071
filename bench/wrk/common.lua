-- shared by the bench scripts: the session token and the data set's shape
-- come from the environment (bench/run.sh sets them)
token = os.getenv("BENCH_TOKEN") or ""
parents = tonumber(os.getenv("BENCH_PARENTS") or "10000")
tasks = tonumber(os.getenv("BENCH_TASKS") or "100000")
as_of = os.getenv("BENCH_AS_OF") or "2026-11-23"
wrk.headers["Authorization"] = "Bearer " .. token

-- a subtask (leaf) id, spread over the whole campaign
function leaf()
  return parents + math.random(1, tasks - parents)
end

-- every thread draws its own sequence
function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
end

-- a run that answered anything but 2xx is no figure
errors = 0
function response(status, headers, body)
  if status >= 300 then
    errors = errors + 1
    if errors <= 3 then
      io.stderr:write("wrk: status " .. status .. ": " .. body:sub(1, 200) .. "\n")
    end
  end
end
