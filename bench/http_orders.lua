-- wrk script for the shop integration's orders; JIFEN_MODE picks the request:
--   complete  completes the orders the benchmark placed beforehand ("<prefix><thread>-<n>", the
--             prefix from JIFEN_PREFIX, "o" by default; paid, not yet completed), each once
--   place     places new orders ("p<thread>-<n>") for the benchmark's 200 members
-- Ids are unique per thread and request, so every request is new work, not a replay.
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  mode = os.getenv("JIFEN_MODE") or "complete"
  prefix = os.getenv("JIFEN_PREFIX") or "o"
  headers = {["Authorization"] = "Bearer " .. os.getenv("JIFEN_KEY"),
             ["Content-Type"] = "application/json"}
end

function request()
  counter = counter + 1
  if mode == "place" then
    local body = '{"order":"p' .. tid .. '-' .. counter .. '","phone":"' ..
                 string.format("139%08d", counter % 200) ..
                 '","items":[{"product":"tea","qty":1}]}'
    return wrk.format("POST", "/api/v1/integration/orders", headers, body)
  end
  return wrk.format("POST", "/api/v1/integration/orders/" .. prefix .. tid .. "-" .. counter ..
                    "/complete", headers, "")
end
