package io.callbackingress.family.live;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN} on one channel over a connection of its own that comes back: after a failed
 * connect, a failed {@code LISTEN} or a dropped connection it tries again every second until it
 * listens again. A server in recovery refuses {@code LISTEN}, so after a failover the listener
 * keeps trying until it reaches the writable primary — the only server that can deliver the
 * {@code NOTIFY}s written there. It logs once when it stops listening and once when it listens
 * again, and {@link #listening()} says which is true now. Runs on the event loop that started it.
 */
final class ChannelListener {

  private static final Logger log = LoggerFactory.getLogger(ChannelListener.class);
  /** Between attempts to (re)connect and LISTEN. */
  static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final Supplier<Future<PgConnection>> connector;
  private final String channel;
  private final Handler<String> payloads;
  private PgConnection connection;
  private volatile boolean listening;
  /** When listening was lost, or null while listening (and before the first attempt). */
  private Long lostAtNanos;
  private boolean stopped;

  /** @param channel a plain identifier, used in {@code LISTEN} as it is */
  ChannelListener(Vertx vertx, Supplier<Future<PgConnection>> connector, String channel, Handler<String> payloads) {
    this.vertx = vertx;
    this.connector = connector;
    this.channel = channel;
    this.payloads = payloads;
  }

  /** Starts trying; does not wait for the first LISTEN. */
  void start() {
    attempt();
  }

  boolean listening() {
    return listening;
  }

  Future<Void> stop() {
    stopped = true;
    listening = false;
    return connection == null ? Future.succeededFuture() : connection.close();
  }

  private void attempt() {
    if (stopped) {
      return;
    }
    connector.get()
        .compose(opened -> {
          opened.notificationHandler(notification -> {
            if (notification.getChannel().equals(channel)) {
              payloads.handle(notification.getPayload());
            }
          });
          return opened.query("LISTEN " + channel).execute()
              .map(opened)
              .onFailure(refused -> opened.close());
        })
        .onSuccess(this::listeningOn)
        .onFailure(failure -> lost(failure.getMessage()));
  }

  private void listeningOn(PgConnection opened) {
    if (stopped) {
      opened.close();
      return;
    }
    connection = opened;
    opened.closeHandler(closed -> {
      connection = null;
      lost("the connection closed");
    });
    listening = true;
    if (lostAtNanos != null) {
      log.info("LISTEN {} resumed after {} ms", channel, (System.nanoTime() - lostAtNanos) / 1_000_000);
      lostAtNanos = null;
    }
  }

  private void lost(String reason) {
    listening = false;
    if (stopped) {
      return;
    }
    if (lostAtNanos == null) {
      lostAtNanos = System.nanoTime();
      log.warn("not listening on {}, other replicas' events do not reach live subscribers here until it resumes"
          + " (trying every {} ms): {}", channel, RETRY_MS, reason);
    }
    vertx.setTimer(RETRY_MS, id -> attempt());
  }
}
