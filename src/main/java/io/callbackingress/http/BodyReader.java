package io.callbackingress.http;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.toolkit.MediaTypes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SPEC 2.5 and 7: reads a request body under the size cap, in the order 413, 415, 400, holding as
 * little memory as an attacker can make it hold. A declared Content-Length over the cap is
 * refused before a byte is read, and a body that streams past it the moment it crosses. The
 * buffer grows as bytes arrive, never to the declared length up front; every byte held for a
 * body counts against {@code limits.maxBufferedBodyBytes} across the process until its request
 * is answered ({@link #release}), and past that the request is shed with 503; a body that has
 * not all arrived within {@code http.bodyTimeoutSeconds} is a 408, however slowly it trickles.
 */
public final class BodyReader {

  /** Most callbacks are a few KiB; a larger body grows its buffer as it arrives. */
  private static final int INITIAL_CAPACITY = 16 * 1024;

  private final Vertx vertx;
  private final long maxBodyBytes;
  private final long bodyTimeoutMillis;
  private final long maxBufferedBytes;
  private final AtomicLong buffered = new AtomicLong();

  public BodyReader(Vertx vertx, long maxBodyBytes, long bodyTimeoutMillis, long maxBufferedBytes) {
    this.vertx = vertx;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyTimeoutMillis = bodyTimeoutMillis;
    this.maxBufferedBytes = maxBufferedBytes;
  }

  /** The bytes held by bodies being read or waiting for their answer, across the process. */
  public long bufferedBytes() {
    return buffered.get();
  }

  /**
   * The whole body. It holds its length in bytes against the process's budget until the caller
   * {@link #release releases} it; a read that fails has released what it held.
   */
  Future<Buffer> read(HttpServerRequest request, Set<String> mediaTypes) {
    long declared = declaredLength(request);
    if (declared > maxBodyBytes) {
      return Future.failedFuture(ApiException.payloadTooLarge());
    }
    if (!mediaTypes.contains(MediaTypes.of(request.getHeader(HttpHeaders.CONTENT_TYPE)))) {
      return Future.failedFuture(ApiException.unsupportedMediaType());
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer((int) Math.min(Math.max(declared, 0), INITIAL_CAPACITY));
    long timer = vertx.setTimer(bodyTimeoutMillis, id -> refuse(request, body, promise, ApiException.of(408, "Request timeout")));
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBodyBytes) {
        refuse(request, body, promise, ApiException.payloadTooLarge());
      } else if (!hold(chunk.length())) {
        refuse(request, body, promise, ApiException.overloaded(1));
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(failure -> refuse(request, body, promise, failure));
    request.endHandler(v -> promise.tryComplete(body));
    request.resume();
    return promise.future().andThen(done -> vertx.cancelTimer(timer));
  }

  /** Gives back what a body read by {@link #read} holds, once its request is answered. */
  void release(Buffer body) {
    buffered.addAndGet(-body.length());
  }

  private boolean hold(int bytes) {
    if (buffered.addAndGet(bytes) > maxBufferedBytes) {
      buffered.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  private void refuse(HttpServerRequest request, Buffer body, Promise<Buffer> promise, Throwable why) {
    request.handler(null);
    if (promise.tryFail(why)) {
      release(body);
    }
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
}
