package io.callbackingress.bench;

import io.callbackingress.spi.toolkit.Sanitizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Sanitizer#sanitize} on a 64 KiB tool output (the {@code limits.maxOutputBytes} default),
 * in two shapes: a log with {@code key: value} lines and a few secrets — the regexes run — and
 * plain text with neither {@code =} nor {@code :}, where the pre-check skips them.
 *
 * <p>Run: {@code java -jar benchmarks/jmh/target/benchmarks.jar SanitizerBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SanitizerBenchmark {

  private static final int SIZE = 64 * 1024;

  private String logWithSecrets;
  private String plainText;

  @Setup
  public void setUp() {
    StringBuilder log = new StringBuilder(SIZE);
    int line = 0;
    while (log.length() < SIZE) {
      log.append(switch (line % 50) {
        case 0 -> "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig\n";
        case 25 -> "export API_KEY=abc123def456 password: hunter2\n";
        default -> "[INFO] step " + line + ": compiled module-" + line + " in 12ms, status=ok\n";
      });
      line++;
    }
    logWithSecrets = log.substring(0, SIZE);
    plainText = "lorem ipsum dolor sit amet consectetur\n".repeat(SIZE / 39 + 1).substring(0, SIZE);
    if (Sanitizer.sanitize(logWithSecrets).equals(logWithSecrets)) {
      throw new IllegalStateException("the log input holds no secret to redact");
    }
  }

  @Benchmark
  public String logWithSecrets() {
    return Sanitizer.sanitize(logWithSecrets);
  }

  @Benchmark
  public String plainText() {
    return Sanitizer.sanitize(plainText);
  }
}
