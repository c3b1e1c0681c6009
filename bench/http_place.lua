-- wrk script: places shop orders for the benchmark's members, ids unique per thread and
-- request, so every placement is new work (not an idempotent replay).
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  key = os.getenv("JIFEN_KEY")
  headers = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}
end

function request()
  counter = counter + 1
  local body = '{"order":"p' .. tid .. '-' .. counter .. '","phone":"' ..
               string.format("139%08d", counter % 200) .. '","items":[{"product":"tea","qty":1}]}'
  return wrk.format("POST", "/api/v1/integration/orders", headers, body)
end
