-- W1: POST /spi/test_runs, a ~1 KiB valid test_run, a unique Idempotency-Key per request
-- (thread number + counter + start time, so two runs against one database never collide).
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")

local counter = 0
local threads = 0
local run_id = os.time()

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local output = string.rep("x", 560)

function request()
  counter = counter + 1
  local key = string.format("w1-%d-%d-%d", run_id, tid, counter)
  local body = string.format(
    '{"test_run":{"submission_uuid":"%s","track_slug":"java","exercise_slug":"two-fer",'
      .. '"user_handle":"bench-%d","status":"fail","duration_ms":%d,'
      .. '"tests":[{"name":"test one","status":"pass"},{"name":"test two","status":"pass"},'
      .. '{"name":"test three","status":"fail","message":"expected 1 got 2"},'
      .. '{"name":"test four","status":"pass"},{"name":"test five","status":"error","message":"timeout"}],'
      .. '"output":"%s"}}',
    key, tid, counter % 100000, output)
  return wrk.format("POST", "/spi/test_runs",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key }, body)
end

done = report.done
