package io.callbackingress.http;

import io.callbackingress.audit.AuditClock;
import io.callbackingress.idempotency.InFlightKeys;
import io.callbackingress.ratelimit.RateDecision;
import io.callbackingress.ratelimit.RateLimiter;
import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.AuditRecord;
import io.callbackingress.spi.AuditSink;
import io.callbackingress.spi.Authenticator;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.IdempotencyKey;
import io.callbackingress.spi.toolkit.JsonBodies;
import io.callbackingress.spi.MetricsCollector;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.Violations;
import io.callbackingress.store.WriteBudget;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one request pipeline of SPEC 2 that every endpoint of every family goes through: request
 * id, authentication, rate limit, body, validation, idempotency, action, and the one place where
 * outcomes become HTTP answers (failures mapped by {@link FailureAnswers}), metrics and audit lines.
 */
public final class Pipeline {

  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");
  private static final CharSequence IDEMPOTENCY_KEY = HttpHeaders.createOptimized("Idempotency-Key");
  private static final CharSequence IDEMPOTENT_REPLAYED = HttpHeaders.createOptimized("Idempotent-Replayed");
  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence TRUE = HttpHeaders.createOptimized("true");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");
  private static final String UNMATCHED = "unmatched";
  /** Answered without a body or Content-Type (RFC 9110 §15.3.5): a discarded dead letter. */
  private static final int NO_CONTENT = 204;

  private final BodyReader bodies;
  private final RateLimiter limiter;
  private final InFlightKeys inFlight;
  private final WriteBudget writeBudget;
  private final ClientAddresses clientAddresses;
  private final MetricsCollector metrics;
  private final AuditSink audit;

  public Pipeline(BodyReader bodies, RateLimiter limiter, InFlightKeys inFlight, WriteBudget writeBudget,
                  ClientAddresses clientAddresses, MetricsCollector metrics, AuditSink audit) {
    this.bodies = bodies;
    this.limiter = limiter;
    this.inFlight = inFlight;
    this.writeBudget = writeBudget;
    this.clientAddresses = clientAddresses;
    this.metrics = metrics;
    this.audit = audit;
  }

  /** An endpoint of a family bound to that family's authenticator. */
  public record Route(String family, Endpoint endpoint, Authenticator authenticator, boolean rateLimited) {}

  public void handle(RoutingContext routing, Route route) {
    if (route.endpoint().body() != Endpoint.BodyKind.NONE) {
      // Auth and the rate limit answer before the body is read (or the connection upgraded); hold it
      // until then.
      routing.request().pause();
    }
    Exchange exchange = begin(routing, route.family(), route.endpoint().path());
    HttpCall call = exchange.call;
    if (!PathIds.areStorable(routing.pathParams())) {
      finish(exchange, Future.failedFuture(ApiException.notFound()));
      return;
    }
    String refusal = route.authenticator().refusal(call);
    if (refusal != null) {
      log.info("request {} to family {} unauthorized: {}", call.requestId(), route.family(), refusal);
      finish(exchange, Future.failedFuture(ApiException.unauthorized()));
      return;
    }
    Future<RateDecision> admitted = route.rateLimited()
        ? limiter.acquire(route.family(), client(call))
        : Future.succeededFuture();
    admitted
        .compose(decision -> admit(exchange, decision))
        .compose(v -> readBody(exchange, route.endpoint()))
        .compose(v -> reserveWrite(exchange, route.endpoint()))
        .compose(v -> validate(call, route.endpoint()))
        .compose(input -> {
          if (route.endpoint().body() == Endpoint.BodyKind.UPGRADE) {
            // The 101 is written by the upgrade itself: it carries what every answer carries (SPEC 2, 5).
            writeCommonHeaders(exchange, call.request().response().headers());
          }
          return act(call, route.endpoint(), input);
        })
        .onComplete(result -> finish(exchange, result));
  }

  public void notFound(RoutingContext routing) {
    refuse(routing, ApiException.notFound());
  }

  /** A request refused before any route is looked at (RFC 9112 framing, an unusable path). */
  public void refuse(RoutingContext routing, ApiException refusal) {
    Exchange exchange = begin(routing, null, UNMATCHED);
    finish(exchange, Future.failedFuture(refusal));
  }

  public void methodNotAllowed(RoutingContext routing, String family, String path, String allow) {
    Exchange exchange = begin(routing, family, path);
    finish(exchange, Future.failedFuture(ApiException.methodNotAllowed(allow)));
  }

  /** A handler that threw instead of failing its future still gets a contract answer. */
  public void unexpected(RoutingContext routing) {
    Exchange exchange = begin(routing, null, UNMATCHED);
    Throwable failure = routing.failure() != null ? routing.failure() : new IllegalStateException("status " + routing.statusCode());
    finish(exchange, Future.failedFuture(failure));
  }

  private Exchange begin(RoutingContext routing, String family, String path) {
    HttpServerRequest request = routing.request();
    String requestId = RequestIds.accept(request.getHeader(X_REQUEST_ID));
    HttpCall call = new HttpCall(routing, family, path, requestId, System.nanoTime(),
        clientAddresses.clientIp(request), clientAddresses.identity(request));
    return new Exchange(call);
  }

  private static String client(HttpCall call) {
    return call.identity() != null ? call.identity() : call.clientIp();
  }

  private Future<Void> admit(Exchange exchange, RateDecision decision) {
    exchange.decision = decision;
    if (decision != null && !decision.allowed()) {
      metrics.rateLimited(decision.family());
      return Future.failedFuture(ApiException.of(429, "Rate limit exceeded"));
    }
    return Future.succeededFuture();
  }

  /**
   * SPEC 7: past {@code limits.maxInFlightWrites} a write is refused before it reaches the
   * database. The slot is taken once the body has arrived: a body still arriving is bounded by the
   * memory budget ({@link BodyReader}) and its deadline, and holding a slot meanwhile would let a
   * few callers who trickle their bodies refuse every other caller's write.
   */
  private Future<Void> reserveWrite(Exchange exchange, Endpoint endpoint) {
    if (endpoint.body() == Endpoint.BodyKind.NONE || endpoint.body() == Endpoint.BodyKind.UPGRADE) {
      return Future.succeededFuture();
    }
    if (!writeBudget.tryAcquire()) {
      return Future.failedFuture(ApiException.overloaded(1));
    }
    exchange.holdsWriteSlot = true;
    return Future.succeededFuture();
  }

  private Future<Void> readBody(Exchange exchange, Endpoint endpoint) {
    HttpCall call = exchange.call;
    if (endpoint.body() == Endpoint.BodyKind.NONE || endpoint.body() == Endpoint.BodyKind.UPGRADE) {
      return Future.succeededFuture();
    }
    return bodies.read(call.request(), endpoint.mediaTypes()).map(body -> {
      exchange.heldBody = body;
      call.body(body);
      if (endpoint.body() == Endpoint.BodyKind.JSON) {
        call.json(JsonBodies.object(body));
      }
      return null;
    });
  }

  private static Future<Object> validate(HttpCall call, Endpoint endpoint) {
    Violations violations = new Violations();
    Object input = endpoint.validator().validate(call, violations);
    return violations.isEmpty() ? Future.succeededFuture(input) : Future.failedFuture(violations.toException());
  }

  private Future<Reply> act(HttpCall call, Endpoint endpoint, Object input) {
    String key = endpoint.idempotent() ? call.header(IDEMPOTENCY_KEY) : null;
    if (key == null) {
      return perform(call, endpoint, input);
    }
    if (!IdempotencyKeys.isValid(key)) {
      return Future.failedFuture(ApiException.badRequest("Invalid Idempotency-Key"));
    }
    IdempotencyKey idempotencyKey = new IdempotencyKey(IdempotencyKeys.scope(call), key, IdempotencyKeys.fingerprint(call.body()));
    if (!inFlight.enter(idempotencyKey)) {
      return Future.failedFuture(ApiException.conflict("A request with this Idempotency-Key is in progress"));
    }
    call.idempotencyKey(idempotencyKey);
    return perform(call, endpoint, input).andThen(done -> inFlight.leave(idempotencyKey));
  }

  /** An action that throws instead of failing its future still releases what the pipeline holds. */
  private static Future<Reply> perform(HttpCall call, Endpoint endpoint, Object input) {
    try {
      return endpoint.action().apply(call, input);
    } catch (RuntimeException bug) {
      return Future.failedFuture(bug);
    }
  }

  /** Where every request ends, whatever its outcome: what it holds is given back, then it is answered and recorded. */
  private void finish(Exchange exchange, AsyncResult<Reply> result) {
    release(exchange);
    HttpCall call = exchange.call;
    HttpServerResponse response = call.request().response();
    if (result.succeeded()) {
      Reply reply = result.result();
      if (reply.isWritten()) {
        record(call, reply.status(), response.bytesWritten());
        return;
      }
      if (reply.replayed()) {
        response.putHeader(IDEMPOTENT_REPLAYED, TRUE);
      }
      respond(exchange, reply.status(), reply.body());
    } else {
      ApiException answer = FailureAnswers.answerTo(call, result.cause());
      answer.headers().forEach(response::putHeader);
      respond(exchange, answer.status(), answer.body());
    }
  }

  /** The write slot and the body's share of the memory budget go back as soon as the outcome is known. */
  private void release(Exchange exchange) {
    if (exchange.holdsWriteSlot) {
      exchange.holdsWriteSlot = false;
      writeBudget.release();
    }
    if (exchange.heldBody != null) {
      bodies.release(exchange.heldBody);
      exchange.heldBody = null;
    }
  }

  /** Writes {@code status} and {@code body} with the headers every answer carries, unless the response is gone. */
  private void respond(Exchange exchange, int status, JsonObject body) {
    HttpCall call = exchange.call;
    HttpServerResponse response = call.request().response();
    if (response.ended() || response.closed()) {
      record(call, status, 0);
      return;
    }
    MultiMap headers = response.headers();
    writeCommonHeaders(exchange, headers);
    Buffer payload;
    if (status == NO_CONTENT) {
      payload = Buffer.buffer();
    } else {
      payload = body.toBuffer();
      headers.set(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
    }
    if (status == 503 && !headers.contains(RETRY_AFTER)) {
      // SPEC 5: every 503 says when to come back, readiness included.
      headers.set(RETRY_AFTER, FailureAnswers.UNAVAILABLE_RETRY_AFTER);
    }
    end(call.request(), status, payload);
    record(call, status, payload.length());
  }

  /**
   * Ends the response. A request answered before its body was read (413, 401, 404, 415...) must
   * not carry half a request into the next one, so its connection closes — after a linger for a
   * client that is still sending, so it can read the answer. A chunked body closes its connection
   * too (RequestFraming).
   */
  private static void end(HttpServerRequest request, int status, Buffer payload) {
    HttpServerResponse response = request.response();
    if (request.version() == HttpVersion.HTTP_2 || !(hasUnreadBody(request) || RequestFraming.isChunked(request))) {
      response.setStatusCode(status).end(payload);
      return;
    }
    response.headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    response.setStatusCode(status).end(payload);
    if (status == 408 || status >= 500) {
      // A body too slow or a process too loaded: the point is to stop reading, not to linger.
      request.connection().close();
    } else {
      Linger.thenClose(request);
    }
  }

  /** X-Request-Id on every answer, and the rate limit's headers where the limit was consulted. */
  private static void writeCommonHeaders(Exchange exchange, MultiMap headers) {
    headers.set(X_REQUEST_ID, exchange.call.requestId());
    if (exchange.decision != null) {
      exchange.decision.writeHeaders(headers);
    }
  }

  /** The request announced a body (a length or chunks) that has not all arrived. */
  private static boolean hasUnreadBody(HttpServerRequest request) {
    if (request.isEnded()) {
      return false;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return (length != null && !length.trim().equals("0")) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  private void record(HttpCall call, int status, long bytesOut) {
    long nanos = System.nanoTime() - call.startNanos();
    String family = call.family() == null ? "none" : call.family();
    HttpServerRequest request = call.request();
    metrics.request(family, call.route(), request.method().name(), status, nanos);
    audit.record(new AuditRecord(AuditClock.now(), call.requestId(), request.method().name(),
        call.route().equals(UNMATCHED) ? request.path() : call.route(), status, nanos / 1_000_000.0,
        call.clientIp(), call.identity(), family, request.bytesRead(), bytesOut));
  }

  /** The state of one request that only the pipeline sees. */
  private static final class Exchange {
    final HttpCall call;
    RateDecision decision;
    boolean holdsWriteSlot;
    Buffer heldBody;

    Exchange(HttpCall call) {
      this.call = call;
    }
  }
}
