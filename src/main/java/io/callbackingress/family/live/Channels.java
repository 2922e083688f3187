package io.callbackingress.family.live;

import io.callbackingress.spi.LiveChannel;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live channels of SPEC 3.7 — {@code events}, and those the enabled families declared — and
 * which of them an event envelope belongs to. Built once per event loop, read on it.
 */
final class Channels {

  /** Every event, whatever it is about. */
  static final String EVENTS = "events";
  /** Longer than any id the families accept, short enough that a subscription costs little. */
  private static final int MAX_LENGTH = 300;

  /** By the object an event type names before its first dot ({@code tooling_job} of {@code tooling_job.created}). */
  private final Map<String, LiveChannel> byEventObject = new HashMap<>();

  Channels(List<LiveChannel> declared) {
    declared.forEach(channel -> byEventObject.put(channel.eventObject(), channel));
  }

  boolean isValid(String channel) {
    if (channel.length() > MAX_LENGTH) {
      return false;
    }
    if (channel.equals(EVENTS)) {
      return true;
    }
    for (LiveChannel declared : byEventObject.values()) {
      if (channel.length() > declared.channelPrefix().length() && channel.startsWith(declared.channelPrefix())) {
        return true;
      }
    }
    return false;
  }

  /** {@code events}, plus the channel of the object the event is about, named by its type prefix and id. */
  List<String> of(JsonObject envelope) {
    List<String> channels = new ArrayList<>(2);
    channels.add(EVENTS);
    String type = envelope.getString("type", "");
    LiveChannel channel = byEventObject.get(type.substring(0, Math.max(0, type.indexOf('.'))));
    if (channel != null) {
      Object id = envelope.getJsonObject("data", new JsonObject()).getValue(channel.idField());
      if (id != null) {
        channels.add(channel.channelPrefix() + id);
      }
    }
    return channels;
  }
}
