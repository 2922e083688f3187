package io.callbackingress.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * SPEC 2.5: reads a request body under the size cap, in the order 413, 415, 400. A declared
 * Content-Length over the cap is refused before a byte is read; a body that streams past it is
 * refused the moment it crosses, so no oversized body is ever held in memory.
 */
final class BodyReader {

  private static final int MAX_REASON_LENGTH = 120;

  private final long maxBodyBytes;

  BodyReader(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  Future<Buffer> read(HttpServerRequest request, Set<String> mediaTypes) {
    long declared = declaredLength(request);
    if (declared > maxBodyBytes) {
      return Future.failedFuture(ApiException.payloadTooLarge());
    }
    if (!mediaTypes.contains(mediaType(request))) {
      return Future.failedFuture(ApiException.unsupportedMediaType());
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 1024);
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBodyBytes) {
        request.handler(null);
        promise.tryFail(ApiException.payloadTooLarge());
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body));
    request.resume();
    return promise.future();
  }

  static JsonObject parseObject(Buffer body) {
    if (body.length() == 0) {
      throw ApiException.malformedJson("empty body");
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ApiException.malformedJson(reason(e));
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.malformedJson("the body must be a JSON object");
    }
    return object;
  }

  private static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String mediaType(HttpServerRequest request) {
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /** Jackson's first sentence, without the echo of the input that follows it. */
  private static String reason(DecodeException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String message = String.valueOf(cause.getMessage());
    int cut = message.length();
    for (String marker : new String[] {"\n", " at [Source", "; line:"}) {
      int at = message.indexOf(marker);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    String reason = message.substring(0, cut).replace("Failed to decode:", "").trim();
    if (reason.isEmpty()) {
      reason = "invalid JSON";
    }
    return reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
  }
}
