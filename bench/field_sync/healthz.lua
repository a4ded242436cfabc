-- wrk script for the baseline: the bare GET /healthz (one `SELECT 1`), reported like visits.lua.
--   wrk -t2 -c64 -d30s --timeout 5s -s healthz.lua http://127.0.0.1:8765/healthz

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d mean_us=%.0f "
      .. "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
end
