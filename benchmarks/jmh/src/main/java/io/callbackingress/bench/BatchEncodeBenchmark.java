package io.callbackingress.bench;

import io.callbackingress.events.Event;
import io.callbackingress.events.EventOutbox;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
 * The client-side work of a full group-commit batch ({@code postgres.batch.maxRows} = 256): the
 * same column arrays and per-row {@code JsonObject.encode} that
 * {@code io.callbackingress.events.EventOutbox#store} builds for its {@code unnest} insert, ending
 * in the {@link Tuple} it executes. The Postgres wire encoding of the tuple is not included.
 *
 * <p>Run: {@code java -jar benchmarks/jmh/target/benchmarks.jar BatchEncodeBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchEncodeBenchmark {

  private static final int ROWS = 256;

  private List<Event> events;

  @Setup
  public void setUp() {
    events = new ArrayList<>(ROWS);
    for (int i = 0; i < ROWS; i++) {
      JsonObject data = new JsonObject()
          .put("id", UUID.randomUUID().toString())
          .put("submission_uuid", UUID.randomUUID().toString())
          .put("track_slug", "java")
          .put("exercise_slug", "two-fer")
          .put("status", "fail");
      events.add(Event.of("test_run.created", data, "req-" + i));
    }
  }

  /** EventOutbox.store up to the prepared query's arguments: the product's own code. */
  @Benchmark
  public Tuple outboxArrays() {
    return EventOutbox.rows(events);
  }

  /** The envelopes that EventOutbox.publish puts on the event bus after commit, encoded. */
  @Benchmark
  public int envelopesEncoded() {
    int bytes = 0;
    for (Event event : events) {
      bytes += event.envelope().encode().length();
    }
    return bytes;
  }
}
