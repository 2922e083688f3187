-- W2: PATCH /spi/tooling_jobs/:id on jobs scripts/bench.sh registered before the run
-- (ids bench-<run>-1 .. bench-<run>-<BENCH_JOBS>). Status stays "running" (not terminal, so every
-- PATCH is accepted) and the output carries a counter, so every PATCH changes the row and
-- writes one tooling_job.updated event: that event count is what "stored" means for W2.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")

local prefix = os.getenv("BENCH_JOB_PREFIX")
local jobs = tonumber(os.getenv("BENCH_JOBS"))
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local job = (counter * 7 + tid * 13) % jobs + 1
  local body = string.format(
    '{"tooling_job":{"status":"running","output":"progress %d-%d: step ok"}}', tid, counter)
  return wrk.format("PATCH", string.format("/spi/tooling_jobs/%s-%d", prefix, job),
    { ["Content-Type"] = "application/json" }, body)
end

done = report.done
