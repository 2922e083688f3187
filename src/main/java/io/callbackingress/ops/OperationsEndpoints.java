package io.callbackingress.ops;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.Call;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.Reply;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code /health/live}, {@code /health/ready}, {@code /metrics} (SPEC 3.9) and {@code /openapi.json}
 * (SPEC 15). They go through the same pipeline as every route, so they carry request ids and are
 * audited, but are not rate limited: a load balancer must always get its answer.
 */
public final class OperationsEndpoints {

  private static final JsonObject LIVE = new JsonObject().put("status", "UP");
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;
  /** The expected {@code Authorization} value for {@code /metrics}, or null when it is open. */
  private final byte[] metricsAuthorization;
  /** {@link OpenApiDocument}, encoded once: every answer sends the same bytes. */
  private final Buffer openApi;

  public OperationsEndpoints(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry,
                             String basicAuthUser, String basicAuthPassword, JsonObject openApi) {
    this.vertx = vertx;
    this.openApi = openApi.toBuffer();
    this.readiness = readiness;
    this.registry = registry;
    this.metricsAuthorization = basicAuthUser == null ? null
        : ("Basic " + Base64.getEncoder().encodeToString(
            (basicAuthUser + ":" + basicAuthPassword).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.get("/health/live", call -> Future.succeededFuture(Reply.ok(LIVE))),
        Endpoint.get("/health/ready", this::ready),
        Endpoint.get("/metrics", this::metrics),
        Endpoint.get("/openapi.json", this::openApi));
  }

  private Future<Reply> openApi(Call call) {
    call.request().response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("X-Request-Id", call.requestId())
        .end(openApi);
    return Future.succeededFuture(Reply.written(200));
  }

  private Future<Reply> ready(Call call) {
    return readiness.report().map(report -> new Reply("UP".equals(report.getString("status")) ? 200 : 503, report));
  }

  private Future<Reply> metrics(Call call) {
    if (metricsAuthorization != null && !authorized(call.header(HttpHeaders.AUTHORIZATION))) {
      return Future.failedFuture(new ApiException(401, new JsonObject().put("error", "Unauthorized"),
          Map.of("WWW-Authenticate", "Basic realm=\"metrics\"")));
    }
    // A scrape walks every meter: keep that work off the event loop.
    return vertx.executeBlocking(registry::scrape, false).map(text -> {
      call.request().response()
          .putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT)
          .putHeader("X-Request-Id", call.requestId())
          .end(text);
      return Reply.written(200);
    });
  }

  private boolean authorized(String header) {
    return header != null && MessageDigest.isEqual(metricsAuthorization, header.getBytes(StandardCharsets.UTF_8));
  }
}
