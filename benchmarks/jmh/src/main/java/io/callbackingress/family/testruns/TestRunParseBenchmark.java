package io.callbackingress.family.testruns;

import io.callbackingress.spi.Violations;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
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
 * What a {@code POST /spi/test_runs} costs before any I/O: parsing a ~1 KiB body into a
 * {@link JsonObject} and running the product's own validation and sanitization
 * ({@link TestRunRequests#submission}). This class lives in the product's package only because
 * {@code TestRunRequests} is package-private.
 *
 * <p>Run: {@code java -jar benchmarks/jmh/target/benchmarks.jar TestRunParseBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TestRunParseBenchmark {

  /** SPEC 11 default of {@code limits.maxOutputBytes}. */
  private static final int MAX_OUTPUT_BYTES = 65536;

  private Buffer body;
  private io.vertx.core.json.JsonArray tests;

  @Setup
  public void setUp() {
    body = Buffer.buffer(testRunBody(1024).getBytes(StandardCharsets.UTF_8));
    if (body.length() < 1000 || body.length() > 1100) {
      throw new IllegalStateException("body is " + body.length() + " bytes, not ~1 KiB");
    }
    TestRunRequests.Submission run = parseAndValidate();
    if (run == null) {
      throw new IllegalStateException("the benchmark body does not validate");
    }
    tests = run.tests();
  }

  /** A valid test_run of about {@code size} bytes: five tests and an output that fills the rest. */
  static String testRunBody(int size) {
    JsonObject run = new JsonObject()
        .put("submission_uuid", "6f1e9c1e-8a55-4d0e-9c8c-3b1f1d8f0a11")
        .put("track_slug", "java")
        .put("exercise_slug", "two-fer")
        .put("user_handle", "bench-user")
        .put("status", "fail")
        .put("duration_ms", 1234)
        .put("tests", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("name", "test one").put("status", "pass"))
            .add(new JsonObject().put("name", "test two").put("status", "pass"))
            .add(new JsonObject().put("name", "test three").put("status", "fail").put("message", "expected 1 got 2"))
            .add(new JsonObject().put("name", "test four").put("status", "pass"))
            .add(new JsonObject().put("name", "test five").put("status", "error").put("message", "timeout")));
    int used = new JsonObject().put("test_run", run.copy().put("output", "")).encode().length();
    run.put("output", "x".repeat(Math.max(0, size - used)));
    return new JsonObject().put("test_run", run).encode();
  }

  @Benchmark
  public TestRunRequests.Submission parseAndValidate() {
    JsonObject json = body.toJsonObject();
    return TestRunRequests.submission(json, new Violations(), MAX_OUTPUT_BYTES);
  }

  @Benchmark
  public JsonObject parseOnly() {
    return body.toJsonObject();
  }

  /** The stored {@code tests} column: the validated array encoded. */
  @Benchmark
  public String encodeTests() {
    return tests.encode();
  }

  /** The same array as the product stores it now ({@code spi.JsonText}). */
  @Benchmark
  public String encodeTestsAsText() {
    return io.callbackingress.json.JsonText.of(tests);
  }
}
