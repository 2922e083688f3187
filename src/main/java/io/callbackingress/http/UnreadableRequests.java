package io.callbackingress.http;

import io.callbackingress.spi.TimeOrderedIds;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests Netty could not decode — a request line or headers too long, a malformed start line —
 * answered like every other error (SPEC 2): 414, 431 or 400 with a JSON body, then the
 * connection is closed, as its framing can no longer be trusted.
 */
public final class UnreadableRequests implements Handler<HttpServerRequest> {

  private static final Logger log = LoggerFactory.getLogger(UnreadableRequests.class);

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String error;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      error = "URI too long";
    } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      status = 431;
      error = "Request header fields too large";
    } else {
      status = 400;
      error = "Bad request";
    }
    String requestId = TimeOrderedIds.next().toString();
    log.info("request {} from {} unreadable, answered {}: {}", requestId, request.remoteAddress(), status,
        cause == null ? "no cause" : cause.getMessage());
    request.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("X-Request-Id", requestId)
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .end(new JsonObject().put("error", error).toBuffer())
        .onComplete(v -> request.connection().close());
  }
}
