package io.callbackingress.store;

import io.vertx.core.json.JsonObject;

/** Collects the events of a write so they are stored with it and published after it commits. */
@FunctionalInterface
public interface EventSink {

  /** Records an event of {@code type} (SPEC 11a) whose {@code data} carries the object's id. */
  void emit(String type, JsonObject data);
}
