package io.callbackingress.http;

import io.callbackingress.spi.toolkit.TimeOrderedIds;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests Netty could not decode — a request line or headers too long, a malformed start line —
 * or that {@link RequestHeadCheck} refused, answered like every other error (SPEC 2): 414, 431,
 * 505, 404 or 400 with a JSON body, then the connection is closed, as its framing can no longer be
 * trusted. The log line says what kind of request it was, never what it held
 * ({@link DecoderFailures}).
 */
public final class UnreadableRequests implements Handler<HttpServerRequest> {

  private static final Logger log = LoggerFactory.getLogger(UnreadableRequests.class);

  @Override
  public void handle(HttpServerRequest request) {
    RefusedRequestHead refusal = DecoderFailures.refusal(request.decoderResult().cause());
    String requestId = TimeOrderedIds.next().toString();
    log.info("request {} from {} unreadable, answered {}: {}", requestId, request.remoteAddress(), refusal.status(),
        refusal.kind());
    request.response()
        .setStatusCode(refusal.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("X-Request-Id", requestId)
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .end(new JsonObject().put("error", refusal.error()).toBuffer())
        .onComplete(v -> request.connection().close());
  }
}
