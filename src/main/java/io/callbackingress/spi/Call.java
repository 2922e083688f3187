package io.callbackingress.spi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * One request as the endpoint families see it: who called, with what, on which route. The
 * pipeline fills it step by step; a family reads it and never touches the raw request, except to
 * take over the connection (a WebSocket upgrade). Implemented by the ingress; valid on the loop
 * serving the request until the action's future completes.
 */
public interface Call {

  /** The family whose route matched, or null before any did. */
  String family();

  /** The route template, e.g. {@code /spi/tooling_jobs/:id}: what metrics and audit name. */
  String route();

  String requestId();

  String clientIp();

  /** The verified client-certificate identity (SPEC 4), or null without one. */
  String identity();

  /** The decoded value of {@code :name} in the route template, or null. */
  String pathParam(String name);

  /** The first value of the query parameter, or null. */
  String queryParam(String name);

  /** The first value of the header, matched case-insensitively, or null. */
  String header(CharSequence name);

  /** The body exactly as received ({@code RAW} and {@code JSON} endpoints); null for the others. */
  Buffer body();

  /** The parsed body object ({@code JSON} endpoints); null for the others. */
  JsonObject json();

  /** The idempotency key this write is recorded under, or null. */
  IdempotencyKey idempotencyKey();

  /** Webhooks make their delivery id the key (SPEC 6, last sentence). */
  void idempotencyKey(IdempotencyKey key);

  /**
   * The raw request, for {@link Endpoint#webSocket} endpoints to upgrade. Answering or reading the
   * body through it bypasses the pipeline: its status, headers, metrics and audit would be wrong.
   */
  HttpServerRequest request();
}
