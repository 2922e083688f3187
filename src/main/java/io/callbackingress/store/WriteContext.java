package io.callbackingress.store;

import io.callbackingress.spi.MetricsCollector;
import io.vertx.core.json.JsonObject;

/** What a write sees of the batch it runs in. */
public interface WriteContext {

  /** Records an event (SPEC 9, 11a), stored in the write's transaction, published after it commits. */
  void emit(String type, JsonObject data);

  /** The request that caused the write: the events' correlation id. */
  String requestId();

  MetricsCollector metrics();
}
