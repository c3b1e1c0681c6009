-- wrk script: each request pair places a shop order for a member and completes it, with ids
-- unique per thread and request (so every completion is real work, not a replay).
local counter = 0
local thread_id = 0
local pending = nil

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  key = os.getenv("JIFEN_KEY")
end

function request()
  local headers = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}
  if pending then
    local id = pending
    pending = nil
    return wrk.format("POST", "/api/v1/integration/orders/" .. id .. "/complete", headers, "")
  end
  counter = counter + 1
  local id = "w" .. tid .. "-" .. counter
  pending = id
  local phone = string.format("139%08d", counter % 200)
  local body = '{"order":"' .. id .. '","phone":"' .. phone ..
               '","items":[{"product":"tea","qty":1}]}'
  return wrk.format("POST", "/api/v1/integration/orders", headers, body)
end
