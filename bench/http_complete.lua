-- wrk script: completes the orders the benchmark placed beforehand ("<prefix><thread>-<n>", the
-- prefix from JIFEN_PREFIX, "o" by default; paid and not yet completed), each once, in order; every completion runs the reward programs.
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  key = os.getenv("JIFEN_KEY")
  prefix = os.getenv("JIFEN_PREFIX") or "o"
  headers = {["Authorization"] = "Bearer " .. key}
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/api/v1/integration/orders/" .. prefix .. tid .. "-" .. counter ..
                    "/complete", headers, "")
end
