package io.callbackingress.family.live;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket subscribers of one event loop. Everything here runs on that loop — sockets are
 * attached by requests it accepted and events arrive through consumers registered on it — so
 * nothing is shared between threads and no socket is written from another thread.
 */
final class LiveHub {

  /** Bounds the memory one connection can pin; a dashboard follows a handful of channels. */
  private static final int MAX_SUBSCRIPTIONS = 256;
  /** RFC 6455 "Try Again Later": the client reconnects and catches up from the events feed. */
  private static final short TRY_AGAIN_LATER = 1013;

  private final Map<String, Set<ServerWebSocket>> subscribers = new HashMap<>();
  private final Map<ServerWebSocket, Set<String>> subscriptions = new HashMap<>();
  private final Channels channels;
  private final AtomicInteger connections;

  /** @param connections the open sockets of all hubs of the process, kept up to date by each */
  LiveHub(Channels channels, AtomicInteger connections) {
    this.channels = channels;
    this.connections = connections;
  }

  void attach(ServerWebSocket socket) {
    subscriptions.put(socket, new HashSet<>());
    connections.incrementAndGet();
    socket.textMessageHandler(text -> receive(socket, text));
    socket.binaryMessageHandler(bytes -> socket.writeTextMessage(error("Messages must be JSON text")));
    socket.closeHandler(v -> detach(socket));
  }

  /** Sends the envelope, with its {@code channel}, to every socket subscribed to one of its channels. */
  void deliver(JsonObject envelope) {
    for (String channel : channels.of(envelope)) {
      Set<ServerWebSocket> sockets = subscribers.get(channel);
      if (sockets == null) {
        continue;
      }
      String message = envelope.copy().put("channel", channel).encode();
      for (ServerWebSocket socket : Set.copyOf(sockets)) {
        if (socket.writeQueueFull()) {
          // A subscriber that cannot keep up is let go rather than buffered for without bound.
          socket.close(TRY_AGAIN_LATER, "Too slow");
          detach(socket);
        } else {
          socket.writeTextMessage(message);
        }
      }
    }
  }

  private void receive(ServerWebSocket socket, String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      socket.writeTextMessage(error("Malformed JSON"));
      return;
    }
    if (message.size() != 1 || !(message.getValue("subscribe") instanceof String
        || message.getValue("unsubscribe") instanceof String)) {
      socket.writeTextMessage(error("Expected {\"subscribe\":\"<channel>\"} or {\"unsubscribe\":\"<channel>\"}"));
      return;
    }
    boolean subscribe = message.containsKey("subscribe");
    String channel = message.getString(subscribe ? "subscribe" : "unsubscribe");
    if (!channels.isValid(channel)) {
      socket.writeTextMessage(error("Unknown channel"));
      return;
    }
    Set<String> subscribed = subscriptions.get(socket);
    if (subscribed == null) {
      return;
    }
    if (subscribe) {
      if (!subscribed.contains(channel) && subscribed.size() >= MAX_SUBSCRIPTIONS) {
        socket.writeTextMessage(error("At most " + MAX_SUBSCRIPTIONS + " subscriptions per connection"));
        return;
      }
      subscribed.add(channel);
      subscribers.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(socket);
      socket.writeTextMessage(new JsonObject().put("subscribed", channel).encode());
    } else {
      subscribed.remove(channel);
      unsubscribe(socket, channel);
      socket.writeTextMessage(new JsonObject().put("unsubscribed", channel).encode());
    }
  }

  private void detach(ServerWebSocket socket) {
    Set<String> subscribed = subscriptions.remove(socket);
    if (subscribed != null) {
      connections.decrementAndGet();
      subscribed.forEach(channel -> unsubscribe(socket, channel));
    }
  }

  private void unsubscribe(ServerWebSocket socket, String channel) {
    Set<ServerWebSocket> sockets = subscribers.get(channel);
    if (sockets != null && sockets.remove(socket) && sockets.isEmpty()) {
      subscribers.remove(channel);
    }
  }

  private static String error(String error) {
    return new JsonObject().put("error", error).encode();
  }
}
