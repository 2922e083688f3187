package io.callbackingress.http;

import io.callbackingress.idempotency.IdempotencyKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One request as the endpoint families see it: who called, with what, on which route. The
 * pipeline fills it step by step; a family reads it and never touches the raw request.
 */
public final class Call {

  private final RoutingContext routing;
  private final String family;
  private final String route;
  private final String requestId;
  private final long startNanos;
  private final String clientIp;
  private final String identity;
  private Buffer body;
  private JsonObject json;
  private IdempotencyKey idempotencyKey;

  Call(RoutingContext routing, String family, String route, String requestId, long startNanos,
       String clientIp, String identity) {
    this.routing = routing;
    this.family = family;
    this.route = route;
    this.requestId = requestId;
    this.startNanos = startNanos;
    this.clientIp = clientIp;
    this.identity = identity;
  }

  public String family() {
    return family;
  }

  /** The route template, e.g. {@code /spi/tooling_jobs/:id}: what metrics and audit name. */
  public String route() {
    return route;
  }

  public String requestId() {
    return requestId;
  }

  public long startNanos() {
    return startNanos;
  }

  public String clientIp() {
    return clientIp;
  }

  /** The verified client-certificate identity (SPEC 4), or null without one. */
  public String identity() {
    return identity;
  }

  public String pathParam(String name) {
    return routing.pathParam(name);
  }

  public String queryParam(String name) {
    return request().getParam(name);
  }

  public String header(CharSequence name) {
    return request().getHeader(name);
  }

  /** The body exactly as received (RAW and JSON endpoints). */
  public Buffer body() {
    return body;
  }

  /** The parsed body object (JSON endpoints). */
  public JsonObject json() {
    return json;
  }

  /** The idempotency key this write is recorded under, or null. */
  public IdempotencyKey idempotencyKey() {
    return idempotencyKey;
  }

  /** Webhooks make their delivery id the key (SPEC 6, last sentence). */
  public void idempotencyKey(IdempotencyKey key) {
    this.idempotencyKey = key;
  }

  public HttpServerRequest request() {
    return routing.request();
  }

  public RoutingContext routing() {
    return routing;
  }

  void body(Buffer body) {
    this.body = body;
  }

  void json(JsonObject json) {
    this.json = json;
  }
}
