package io.callbackingress.spi;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * One route of a family, declared once: what the shared pipeline must do with its body, how its
 * input is validated, and the action that answers. Families build these with the static factories;
 * the pipeline runs the steps in SPEC 2 order around them.
 *
 * @param path the full route template, e.g. {@code /spi/tooling_jobs/:id}
 */
public record Endpoint(HttpMethod method, String path, BodyKind body, Set<String> mediaTypes,
                       Validator validator, Action action) {

  /** How the pipeline reads the request body before the endpoint sees it. */
  public enum BodyKind {
    /** Nothing is read. */
    NONE,
    /** A JSON object, {@code application/json}. */
    JSON,
    /** The bytes exactly as received, of one of the endpoint's media types. */
    RAW,
    /** A WebSocket upgrade: the connection is held until the endpoint takes it over. */
    UPGRADE
  }

  /**
   * Turns the request into the endpoint's typed input, reporting every violation. The pipeline
   * answers 422 with all of them when any was recorded, and does not run the action.
   */
  @FunctionalInterface
  public interface Validator {
    Object validate(Call call, Violations violations);
  }

  /**
   * Answers the call with the validated input. Runs on the event loop that accepted the request:
   * must not block. A future failed with an {@link ApiException} is answered with its status,
   * body and headers; one failed because a dependency cannot be reached or serve now (a refused,
   * dropped or timed-out connection, a Postgres in recovery), 503 with {@code Retry-After}; any
   * other failure is logged and answered 500.
   */
  @FunctionalInterface
  public interface Action {
    Future<Reply> apply(Call call, Object input);
  }

  /** Parses a JSON body into a typed request; returns null when it recorded violations. */
  @FunctionalInterface
  public interface BodyParser<T> {
    T parse(JsonObject body, Violations violations);
  }

  /** Like {@link BodyParser}, for a body whose meaning depends on the path ({@code PATCH /x/:id}). */
  @FunctionalInterface
  public interface PathBodyParser<T> {
    T parse(Call call, JsonObject body, Violations violations);
  }

  /** The typed form of {@link Action}, for the factories. */
  @FunctionalInterface
  public interface Handler<T> {
    Future<Reply> handle(Call call, T request);
  }

  /** An {@link Action} of an endpoint without a parsed body. */
  @FunctionalInterface
  public interface SimpleHandler {
    Future<Reply> handle(Call call);
  }

  /** A WebSocket endpoint: the handler upgrades the request and answers {@link Reply#written(int)} 101. */
  public static Endpoint webSocket(String path, SimpleHandler handler) {
    return new Endpoint(HttpMethod.GET, path, BodyKind.UPGRADE, Set.of(), (call, v) -> null,
        (call, input) -> handler.handle(call));
  }

  public static Endpoint get(String path, SimpleHandler handler) {
    return withoutBody(HttpMethod.GET, path, handler);
  }

  /** A route that reads no body whatever its method, such as {@code DELETE /x/:id} or an action's {@code POST}. */
  public static Endpoint withoutBody(HttpMethod method, String path, SimpleHandler handler) {
    return new Endpoint(method, path, BodyKind.NONE, Set.of(), (call, v) -> null,
        (call, input) -> handler.handle(call));
  }

  @SuppressWarnings("unchecked")
  public static <T> Endpoint json(HttpMethod method, String path, BodyParser<T> parser, Handler<T> handler) {
    return new Endpoint(method, path, BodyKind.JSON, Set.of("application/json"),
        (call, violations) -> parser.parse(call.json(), violations),
        (call, input) -> handler.handle(call, (T) input));
  }

  @SuppressWarnings("unchecked")
  public static <T> Endpoint json(HttpMethod method, String path, PathBodyParser<T> parser, Handler<T> handler) {
    return new Endpoint(method, path, BodyKind.JSON, Set.of("application/json"),
        (call, violations) -> parser.parse(call, call.json(), violations),
        (call, input) -> handler.handle(call, (T) input));
  }

  /** An endpoint that takes the raw bytes and checks them itself, such as a signed webhook. */
  public static Endpoint raw(HttpMethod method, String path, Set<String> mediaTypes, SimpleHandler handler) {
    return new Endpoint(method, path, BodyKind.RAW, mediaTypes, (call, v) -> null,
        (call, input) -> handler.handle(call));
  }

  /** Whether a repeated {@code Idempotency-Key} header applies (SPEC 6: POST and PATCH with a JSON body). */
  public boolean idempotent() {
    return body == BodyKind.JSON && (method == HttpMethod.POST || method == HttpMethod.PATCH);
  }
}
