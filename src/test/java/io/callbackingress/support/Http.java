package io.callbackingress.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real HTTP requests to a test server, awaited on the test thread (never on an event loop). */
public final class Http {

  /** A test request that hears nothing for this long fails rather than hanging the suite. */
  private static final long REQUEST_IDLE_TIMEOUT_MS = 20_000;

  /** Whatever happens to a connection, a test request ends by then. */
  private static final long REQUEST_DEADLINE_SECONDS = 30;

  private final HttpClient client;
  private final int port;

  public Http(Vertx vertx, int port) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(64));
    this.port = port;
  }

  public record Response(int status, MultiMap headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.get(name);
    }
  }

  public Response get(String path) {
    return send(HttpMethod.GET, path, Map.of(), null);
  }

  public Response get(String path, Map<String, String> headers) {
    return send(HttpMethod.GET, path, headers, null);
  }

  public Response post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, Map.of("Content-Type", "application/json"), body.toBuffer());
  }

  public Response post(String path, JsonObject body, Map<String, String> headers) {
    return send(HttpMethod.POST, path, withJson(headers), body.toBuffer());
  }

  public Response patch(String path, JsonObject body) {
    return send(HttpMethod.PATCH, path, Map.of("Content-Type", "application/json"), body.toBuffer());
  }

  public Response patch(String path, JsonObject body, Map<String, String> headers) {
    return send(HttpMethod.PATCH, path, withJson(headers), body.toBuffer());
  }

  public Response send(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    return request(method, path, headers, body).await();
  }

  /** The same request without waiting: for bursts and concurrent requests. */
  public Future<Response> request(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setPort(port).setURI(path)
        .setIdleTimeout(REQUEST_IDLE_TIMEOUT_MS);
    headers.forEach(options::putHeader);
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(b -> new Response(response.statusCode(), response.headers(), b.toString())))
        .timeout(REQUEST_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  public static Map<String, String> json() {
    return Map.of("Content-Type", "application/json");
  }

  private static Map<String, String> withJson(Map<String, String> headers) {
    java.util.HashMap<String, String> all = new java.util.HashMap<>(headers);
    all.putIfAbsent("Content-Type", "application/json");
    return all;
  }
}
