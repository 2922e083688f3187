package io.callbackingress.http;

import io.callbackingress.spi.Call;
import io.callbackingress.spi.IdempotencyKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The pipeline's {@link Call}: the routing context behind it, and the steps that fill it in. */
final class HttpCall implements Call {

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

  HttpCall(RoutingContext routing, String family, String route, String requestId, long startNanos,
       String clientIp, String identity) {
    this.routing = routing;
    this.family = family;
    this.route = route;
    this.requestId = requestId;
    this.startNanos = startNanos;
    this.clientIp = clientIp;
    this.identity = identity;
  }

  @Override
  public String family() {
    return family;
  }

  @Override
  public String route() {
    return route;
  }

  @Override
  public String requestId() {
    return requestId;
  }

  long startNanos() {
    return startNanos;
  }

  @Override
  public String clientIp() {
    return clientIp;
  }

  @Override
  public String identity() {
    return identity;
  }

  @Override
  public String pathParam(String name) {
    return routing.pathParam(name);
  }

  @Override
  public String queryParam(String name) {
    return request().getParam(name);
  }

  @Override
  public String header(CharSequence name) {
    return request().getHeader(name);
  }

  @Override
  public Buffer body() {
    return body;
  }

  @Override
  public JsonObject json() {
    return json;
  }

  @Override
  public IdempotencyKey idempotencyKey() {
    return idempotencyKey;
  }

  @Override
  public void idempotencyKey(IdempotencyKey key) {
    this.idempotencyKey = key;
  }

  @Override
  public HttpServerRequest request() {
    return routing.request();
  }

  RoutingContext routing() {
    return routing;
  }

  void body(Buffer body) {
    this.body = body;
  }

  void json(JsonObject json) {
    this.json = json;
  }
}
