-- W3: POST /spi/webhooks/github, a 4 KiB JSON body signed once by scripts/bench.sh
-- (X-Hub-Signature-256 covers the body only) and a unique X-GitHub-Delivery per request, so every
-- delivery is new and stored. Body file and signature come from BENCH_W3_BODY / BENCH_W3_SIGNATURE.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")

local file = assert(io.open(os.getenv("BENCH_W3_BODY"), "rb"))
local body = file:read("*a")
file:close()
local signature = os.getenv("BENCH_W3_SIGNATURE")
local run_id = os.time()
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/spi/webhooks/github", {
    ["Content-Type"] = "application/json",
    ["X-Hub-Signature-256"] = signature,
    ["X-GitHub-Event"] = "push",
    ["X-GitHub-Delivery"] = string.format("w3-%d-%d-%d", run_id, tid, counter),
  }, body)
end

done = report.done
