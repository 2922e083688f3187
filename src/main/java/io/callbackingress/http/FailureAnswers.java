package io.callbackingress.http;

import io.callbackingress.spi.ApiException;
import io.callbackingress.store.Outages;
import io.vertx.core.http.HttpClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error mapping: what a failed request is answered. A contract answer is sent as it is;
 * a caller that left is recorded as 499; a dependency out of reach is a 503 that says when to come
 * back; anything else is a bug, a 500. Each is logged here once, with the request id.
 */
final class FailureAnswers {

  private static final Logger log = LoggerFactory.getLogger(FailureAnswers.class);
  /** The status audited for a request whose client left before the answer (nginx's convention). */
  private static final int CLIENT_CLOSED_REQUEST = 499;
  /** Long enough for a failover to make progress, short enough for a worker's retry budget. */
  private static final long UNAVAILABLE_RETRY_SECONDS = 5;
  /** The Retry-After of a 503 whose cause named none (SPEC 5). */
  static final String UNAVAILABLE_RETRY_AFTER = Long.toString(UNAVAILABLE_RETRY_SECONDS);

  private FailureAnswers() {}

  static ApiException answerTo(HttpCall call, Throwable failure) {
    if (failure instanceof ApiException answer) {
      return answer;
    }
    if (failure instanceof HttpClosedException) {
      // The caller went away mid-request: nothing to answer and nothing of ours failed.
      log.info("request {} on {} {}: the client closed the connection first", call.requestId(), call.request().method(),
          call.route());
      return ApiException.of(CLIENT_CLOSED_REQUEST, "Client closed request");
    }
    if (Outages.isUnavailable(failure)) {
      log.warn("request {} on {} {}: dependency unreachable: {}", call.requestId(), call.request().method(), call.route(),
          failure.getMessage());
      return ApiException.unavailable("Service unavailable", UNAVAILABLE_RETRY_SECONDS);
    }
    log.error("request {} failed on {} {}", call.requestId(), call.request().method(), call.route(), failure);
    return ApiException.of(500, "Internal server error");
  }
}
