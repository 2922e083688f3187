package io.callbackingress.family.live;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The live channels of SPEC 3.7 and which of them an event envelope belongs to. */
final class Channels {

  /** Every event, whatever it is about. */
  static final String EVENTS = "events";
  /** Longer than any id the families accept, short enough that a subscription costs little. */
  private static final int MAX_LENGTH = 300;
  private static final Pattern CHANNEL =
      Pattern.compile("events|metrics_.+|tooling_job\\..+|test_run\\..+|video_node\\..+", Pattern.DOTALL);

  private Channels() {}

  static boolean isValid(String channel) {
    return channel.length() <= MAX_LENGTH && CHANNEL.matcher(channel).matches();
  }

  /** {@code events}, plus the channel of the object the event is about, named by its type prefix and id. */
  static List<String> of(JsonObject envelope) {
    List<String> channels = new ArrayList<>(2);
    channels.add(EVENTS);
    String type = envelope.getString("type", "");
    JsonObject data = envelope.getJsonObject("data", new JsonObject());
    String object = type.substring(0, Math.max(0, type.indexOf('.')));
    switch (object) {
      case "live_metrics" -> add(channels, "metrics_", data.getValue("track_id"));
      case "tooling_job", "test_run" -> add(channels, object + ".", data.getValue("id"));
      // callback.stale is about a video node: its subscribers want to know a callback was refused.
      case "video_node", "callback" -> add(channels, "video_node.", data.getValue("node_uuid"));
      default -> { }
    }
    return channels;
  }

  private static void add(List<String> channels, String prefix, Object id) {
    if (id != null) {
      channels.add(prefix + id);
    }
  }
}
