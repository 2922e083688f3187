package io.callbackingress.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK WebSocket on {@code /spi/live} of a packaged jar, subscribed to one channel and confirmed,
 * whose events a test waits for by the id of the object they are about.
 */
public final class LiveSubscription implements AutoCloseable {

  private static final Duration EVENT_LIMIT = Duration.ofSeconds(10);

  private final WebSocket socket;
  private final BlockingQueue<JsonObject> messages;
  private final String channel;

  private LiveSubscription(WebSocket socket, BlockingQueue<JsonObject> messages, String channel) {
    this.socket = socket;
    this.messages = messages;
    this.channel = channel;
  }

  /** Subscribes to {@code channel} at {@code port}, sending {@code headers} with the upgrade. */
  public static LiveSubscription open(HttpClient client, int port, String channel, Map<String, String> headers)
      throws Exception {
    BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    WebSocket.Builder builder = client.newWebSocketBuilder();
    headers.forEach(builder::header);
    WebSocket socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/spi/live"), new JsonMessages(messages))
        .get(10, TimeUnit.SECONDS);
    LiveSubscription subscription = new LiveSubscription(socket, messages, channel);
    socket.sendText(new JsonObject().put("subscribe", channel).encode(), true).get(5, TimeUnit.SECONDS);
    assertEquals(new JsonObject().put("subscribed", channel), messages.poll(5, TimeUnit.SECONDS));
    return subscription;
  }

  /** The next event whose {@code data.id} is {@code id}, skipping others; fails after ten seconds. */
  public JsonObject nextEventAbout(String id) {
    return await("an event about " + id)
        .atMost(EVENT_LIMIT)
        .until(() -> JsonMessages.takeFirstAbout(messages, Set.of(id)), Objects::nonNull);
  }

  /**
   * The next event about {@code id}, checked to be of {@code type}, on this subscription's channel,
   * and the very event stored in the outbox of {@code outbox}.
   */
  public JsonObject nextStoredEventAbout(String id, String type, Db outbox) {
    JsonObject event = nextEventAbout(id);
    assertEquals(type, event.getString("type"));
    assertEquals(channel, event.getString("channel"));
    assertEquals(List.of(type), outbox.column("SELECT type FROM ingress_events WHERE id = '" + event.getString("id") + "'"),
        "the event is the one stored in the outbox");
    return event;
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }
}
