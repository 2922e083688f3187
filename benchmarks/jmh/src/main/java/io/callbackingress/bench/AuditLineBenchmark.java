package io.callbackingress.bench;

import io.callbackingress.audit.AuditLine;
import io.callbackingress.spi.AuditRecord;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The audit line built for every request, as the product writes it (({@code audit.AuditLine}))
 * and as it did before (a JsonObject tree with the same fields, then {@code encode()}).
 *
 * <p>Run: {@code java -jar benchmarks/jmh/target/benchmarks.jar AuditLineBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AuditLineBenchmark {

  private final AuditRecord record = new AuditRecord("2026-12-01T05:40:00.123456Z", "4f8aafe7-3df4-4bd2-93d2-f309df332be9",
      "POST", "/spi/test_runs", 201, 3.141, "203.0.113.9", null, "test_runs", 1024, 45);

  @Benchmark
  public String fieldByField() {
    return AuditLine.of(record);
  }

  @Benchmark
  public String jsonObjectTree() {
    return new JsonObject()
        .put("ts", record.ts())
        .put("request_id", record.requestId())
        .put("method", record.method())
        .put("path", record.path())
        .put("status", record.status())
        .put("duration_ms", record.durationMs())
        .put("client_ip", record.clientIp())
        .put("identity", record.identity())
        .put("family", record.family())
        .put("bytes_in", record.bytesIn())
        .put("bytes_out", record.bytesOut())
        .encode();
  }
}
