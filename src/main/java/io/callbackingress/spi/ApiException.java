package io.callbackingress.spi;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A failure that has a place in the contract (SPEC 2): it carries the status, the JSON body and
 * any header the status requires. Anything else that fails a request becomes a 500.
 * No stack trace is filled in: these are answers, not bugs.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final JsonObject body;
  private final Map<String, String> headers;

  public ApiException(int status, JsonObject body, Map<String, String> headers) {
    super(body.encode(), null, false, false);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }

  public static ApiException of(int status, String error) {
    return new ApiException(status, new JsonObject().put("error", error), Map.of());
  }

  public static ApiException notFound() {
    return of(404, "Not found");
  }

  public static ApiException unauthorized() {
    return of(401, "Unauthorized");
  }

  public static ApiException badRequest(String error) {
    return of(400, error);
  }

  public static ApiException conflict(String error) {
    return of(409, error);
  }

  public static ApiException payloadTooLarge() {
    return of(413, "Payload too large");
  }

  public static ApiException unsupportedMediaType() {
    return of(415, "Unsupported media type");
  }

  public static ApiException malformedJson(String reason) {
    return of(400, "Malformed JSON: " + reason);
  }

  public static ApiException unprocessable(JsonObject errors) {
    return new ApiException(422, new JsonObject().put("errors", errors), Map.of());
  }

  public static ApiException methodNotAllowed(String allow) {
    return new ApiException(405, new JsonObject().put("error", "Method not allowed"), Map.of("Allow", allow));
  }

  /** SPEC 7: every 503 tells the caller when to come back. */
  public static ApiException overloaded(long retryAfterSeconds) {
    return unavailable("Overloaded", retryAfterSeconds);
  }

  public static ApiException unavailable(String error, long retryAfterSeconds) {
    return new ApiException(503, new JsonObject().put("error", error),
        Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
  }

  public int status() {
    return status;
  }

  public JsonObject body() {
    return body;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
