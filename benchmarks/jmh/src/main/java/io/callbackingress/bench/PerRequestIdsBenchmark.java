package io.callbackingress.bench;

import io.callbackingress.audit.AuditClock;
import io.callbackingress.spi.toolkit.TimeOrderedIds;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every request makes besides its body: ids (a W1 request makes three — request, run,
 * event) and the audit timestamp, the product's way and the JDK's. Two threads, as two event
 * loops, so a shared lock shows.
 *
 * <p>Run: {@code java -jar benchmarks/jmh/target/benchmarks.jar PerRequestIdsBenchmark -f 1 -wi 3 -i 5}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class PerRequestIdsBenchmark {

  @Benchmark
  public UUID timeOrderedId() {
    return TimeOrderedIds.next();
  }

  @Benchmark
  public UUID randomUuid() {
    return UUID.randomUUID();
  }

  @Benchmark
  public String auditClock() {
    return AuditClock.now();
  }

  @Benchmark
  public String instantToString() {
    return Instant.now().toString();
  }
}
