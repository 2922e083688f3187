package io.callbackingress.store;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker around Postgres (SPEC 7), shared by every writer and the replayer. Only
 * outages count against it; a statement the server rejected is an answer, not an outage.
 */
public final class PostgresCircuit {

  private static final Logger log = LoggerFactory.getLogger(PostgresCircuit.class);
  /** A commit that has not come back in this time is treated as lost: its writes go to the spool. */
  private static final long COMMIT_TIMEOUT_MS = 5_000;

  private final CircuitBreaker breaker;
  /** Set from the first failure to the next success: a failed trial re-opens the circuit without a new warning. */
  private final AtomicBoolean down = new AtomicBoolean();

  public PostgresCircuit(Vertx vertx, long resetMillis) {
    this.breaker = CircuitBreaker.create("postgres", vertx, new CircuitBreakerOptions()
            .setTimeout(COMMIT_TIMEOUT_MS)
            .setMaxFailures(1)
            .setResetTimeout(resetMillis)
            .setNotificationAddress(null))
        .openHandler(v -> {
          if (down.compareAndSet(false, true)) {
            log.warn("Postgres unreachable: writes go to the spool");
          }
        })
        .closeHandler(v -> {
          if (down.compareAndSet(true, false)) {
            log.info("Postgres reachable again");
          }
        });
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  boolean isClosed() {
    return breaker.state() == CircuitBreakerState.CLOSED;
  }

  /** Runs {@code action} through the breaker; a server-side rejection passes through without tripping it. */
  <T> Future<T> attempt(Supplier<Future<T>> action) {
    return breaker.<Outcome<T>>execute(() -> action.get()
            .map(Outcome::<T>value)
            .recover(failure -> Outages.isOutage(failure)
                ? Future.failedFuture(failure)
                : Future.succeededFuture(Outcome.rejected(failure))))
        .compose(outcome -> outcome.failure == null
            ? Future.succeededFuture(outcome.value)
            : Future.failedFuture(outcome.failure));
  }

  private record Outcome<T>(T value, Throwable failure) {
    static <T> Outcome<T> value(T value) {
      return new Outcome<>(value, null);
    }

    static <T> Outcome<T> rejected(Throwable failure) {
      return new Outcome<>(null, failure);
    }
  }
}
