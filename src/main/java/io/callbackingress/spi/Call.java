package io.callbackingress.spi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * One request as the endpoint families see it: who called, with what, on which route. The
 * pipeline fills it step by step; a family reads it and never touches the raw request, except to
 * take over the connection (a WebSocket upgrade).
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

  String pathParam(String name);

  String queryParam(String name);

  String header(CharSequence name);

  /** The body exactly as received (RAW and JSON endpoints). */
  Buffer body();

  /** The parsed body object (JSON endpoints). */
  JsonObject json();

  /** The idempotency key this write is recorded under, or null. */
  IdempotencyKey idempotencyKey();

  /** Webhooks make their delivery id the key (SPEC 6, last sentence). */
  void idempotencyKey(IdempotencyKey key);

  HttpServerRequest request();
}
