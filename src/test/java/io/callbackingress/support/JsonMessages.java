package io.callbackingress.support;

import io.vertx.core.json.JsonObject;
import java.net.http.WebSocket;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;

/**
 * A JDK WebSocket listener that puts each text message, as JSON, on a queue the test polls — the
 * client the tests of a packaged jar use, set before the handshake so no message is missed.
 */
public final class JsonMessages implements WebSocket.Listener {

  private final BlockingQueue<JsonObject> messages;
  private final StringBuilder partial = new StringBuilder();

  public JsonMessages(BlockingQueue<JsonObject> messages) {
    this.messages = messages;
  }

  @Override
  public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
    partial.append(text);
    if (last) {
      messages.add(new JsonObject(partial.toString()));
      partial.setLength(0);
    }
    socket.request(1);
    return null;
  }

  /** The first of {@code messages} whose {@code data.id} is one of {@code ids}, taking those before it; null if none came yet. */
  public static JsonObject takeFirstAbout(BlockingQueue<JsonObject> messages, Set<String> ids) {
    for (JsonObject message = messages.poll(); message != null; message = messages.poll()) {
      JsonObject data = message.getJsonObject("data");
      if (data != null && ids.contains(data.getString("id"))) {
        return message;
      }
    }
    return null;
  }
}
