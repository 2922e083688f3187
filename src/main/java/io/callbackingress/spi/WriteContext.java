package io.callbackingress.spi;

import io.vertx.core.json.JsonObject;

/**
 * What a write sees of the batch it runs in, handed to {@link WriteOperation#execute} by the
 * ingress. Valid until the future that call returned completes.
 */
public interface WriteContext {

  /** Records an event (SPEC 9, 11a), stored in the write's transaction, published after it commits. */
  void emit(String type, JsonObject data);

  /** The request that caused the write: the events' correlation id. */
  String requestId();

  /** The chosen {@link MetricsCollector}, for what the write learns only as it runs (a stale callback). */
  MetricsCollector metrics();

  /**
   * Runs {@code action} once the write's batch has committed, and never if it did not: a batch
   * that is retried write by write must not count or log its outcomes twice.
   */
  void afterCommit(Runnable action);
}
