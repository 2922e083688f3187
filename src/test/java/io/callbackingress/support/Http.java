package io.callbackingress.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real HTTP/1.1 requests to a test server, with the JDK's client: a client that shares nothing
 * with the server under test — no event loop, no Vert.x pool — so a test observes the server only.
 * Blocking calls wait on the test thread, never on an event loop.
 *
 * <p>Every answer is held to the OpenAPI document ({@link OpenApiContract}): one that does not
 * conform fails the request, and so the test that made it, naming the operation, the status and
 * the violation.
 */
public final class Http {

  /** Whatever happens to a connection, a test request ends by then. */
  private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(30);
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final String base;
  private final OpenApiContract contract;

  /** @param vertx unused by the JDK client; kept so every test builds its client from its server */
  public Http(Vertx vertx, int port) {
    this(port);
  }

  /** A client of a server in another process, such as the packaged jar. */
  public Http(int port) {
    this(port, OpenApiContract.shipped());
  }

  /** A client whose answers are held to {@code contract}: what a server with routes of its own serves. */
  public Http(int port, OpenApiContract contract) {
    this.base = "http://127.0.0.1:" + port;
    this.contract = contract;
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
    return send(HttpMethod.POST, path, json(), body.toBuffer());
  }

  public Response post(String path, JsonObject body, Map<String, String> headers) {
    return send(HttpMethod.POST, path, withJson(headers), body.toBuffer());
  }

  public Response patch(String path, JsonObject body) {
    return send(HttpMethod.PATCH, path, json(), body.toBuffer());
  }

  public Response patch(String path, JsonObject body, Map<String, String> headers) {
    return send(HttpMethod.PATCH, path, withJson(headers), body.toBuffer());
  }

  public Response send(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    return request(method, path, headers, body).await();
  }

  /** The same request without waiting: for bursts and concurrent requests. */
  public Future<Response> request(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(REQUEST_DEADLINE)
        .method(method.name(), body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body.getBytes()));
    headers.forEach(builder::header);
    return Future.fromCompletionStage(CLIENT.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(Http::response))
        .map(response -> conforming(method, path, response));
  }

  /** An unlabelled sample of {@code /metrics}, such as a process-wide gauge. */
  public double metric(String name) {
    Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(get("/metrics").body());
    if (!sample.find()) {
      throw new AssertionError(name + " is not exported");
    }
    return Double.parseDouble(sample.group(1));
  }

  public static Map<String, String> json() {
    return Map.of("Content-Type", "application/json");
  }

  private Response conforming(HttpMethod method, String path, Response response) {
    contract.requireConforming(method, path, response.status(), response.headers(), response.body());
    return response;
  }

  private static Response response(HttpResponse<String> response) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    response.headers().map().forEach(headers::add);
    return new Response(response.statusCode(), headers, response.body());
  }

  private static Map<String, String> withJson(Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.putIfAbsent("Content-Type", "application/json");
    return all;
  }
}
