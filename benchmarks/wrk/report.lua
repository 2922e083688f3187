-- Shared by every wrk script here: after the run, one machine-readable line that scripts/bench.sh
-- turns into a table row. wrk's own summary stays above it for humans.
--   BENCH requests=<n> non2xx=<status errors> socket_errors=<n> rps=<n> p50_ms= p99_ms= p999_ms=
local report = {}

function report.done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d non2xx=%d socket_errors=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end

return report
