-- The ceiling: GET /health/live on the same server — the pipeline (route, request id, audit,
-- metrics) without body, database or Redis.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
wrk.method = "GET"
wrk.path = "/health/live"
done = report.done
