package io.callbackingress.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * RFC 9112 §9.6: a connection answered before its body was read is not closed at once. A client
 * still sending would hit a reset and most would never read the answer (the 413 of a body that is
 * too large, say). So what follows is read and thrown away — never held — and the connection is
 * closed when the body ends, after {@link #MAX_BYTES}, or after {@link #MAX_MILLIS}, whichever
 * comes first. Closing a closed connection again is harmless, so the bounds need no bookkeeping.
 */
final class Linger {

  private static final long MAX_BYTES = 16 << 20;
  private static final long MAX_MILLIS = 5_000;

  private Linger() {}

  /** Called on the request's event loop, once its answer has been sent. */
  static void thenClose(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (request.isEnded()) {
      connection.close();
      return;
    }
    Vertx.currentContext().owner().setTimer(MAX_MILLIS, id -> connection.close());
    long[] discarded = {0};
    request.handler(chunk -> {
      discarded[0] += chunk.length();
      if (discarded[0] > MAX_BYTES) {
        connection.close();
      }
    });
    request.endHandler(end -> connection.close());
    request.resume();
  }
}
