package io.callbackingress.retry;

import io.callbackingress.spi.RetryPolicy;
import io.callbackingress.spi.RetrySettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Runs an asynchronous call again after failures, as a {@link RetryPolicy} says, without blocking. */
public final class Retry {

  private Retry() {}

  /**
   * The first success of {@code action}, or its last failure once {@code policy} gives up. Waits
   * between attempts with Vert.x timers, so on an event loop the retries run on the caller's
   * context. Every failure is retried: pass an action that fails only with what is worth retrying.
   */
  public static <T> Future<T> withRetry(Vertx vertx, RetryPolicy policy, RetrySettings settings,
                                        Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    attempt(vertx, policy, settings, action, 1, result);
    return result.future();
  }

  private static <T> void attempt(Vertx vertx, RetryPolicy policy, RetrySettings settings,
                                  Supplier<Future<T>> action, int attempt, Promise<T> result) {
    // compose() turns an action that throws instead of failing into a failed future.
    Future.<Void>succeededFuture()
        .compose(v -> action.get())
        .onSuccess(result::complete)
        .onFailure(failure -> {
          long delay = policy.delayMillis(attempt, settings);
          if (delay < 0) {
            result.fail(failure);
          } else if (delay == 0) {
            // setTimer refuses delays under 1 ms.
            vertx.runOnContext(v -> attempt(vertx, policy, settings, action, attempt + 1, result));
          } else {
            vertx.setTimer(delay, id -> attempt(vertx, policy, settings, action, attempt + 1, result));
          }
        });
  }
}
