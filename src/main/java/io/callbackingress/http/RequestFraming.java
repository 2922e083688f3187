package io.callbackingress.http;

import io.callbackingress.spi.ApiException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * RFC 9112 hygiene, before any route is matched: nothing a proxy in front could frame differently
 * from us is let through, so no request can be smuggled behind another.
 *
 * <p>Netty reads a request carrying both Content-Length and Transfer-Encoding as chunked and drops
 * the length before we see it, so such a request cannot be told from a plain chunked one. Hence a
 * chunked request is the last one read from its connection: it is answered with
 * {@code Connection: close}, and a request pipelined behind it — whatever a proxy took for the end
 * of the body — is not answered; its connection is closed. Transfer-Encoding other than exactly
 * one {@code chunked} is refused with 400, and ends its connection the same way.
 *
 * <p>One instance per router, so per event loop: the connections it remembers are that loop's, and
 * are forgotten with them.
 */
final class RequestFraming {

  private static final String CHUNKED = "chunked";

  private final Pipeline pipeline;
  private final Set<HttpConnection> ending = Collections.newSetFromMap(new WeakHashMap<>());

  RequestFraming(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** The router's first handler: passes the request on, refuses it, or closes its connection. */
  void check(RoutingContext routing) {
    HttpServerRequest request = routing.request();
    if (request.version() == HttpVersion.HTTP_2) {
      routing.next();
      return;
    }
    if (!ending.isEmpty() && ending.contains(request.connection())) {
      request.connection().close();
      return;
    }
    if (!request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      routing.next();
      return;
    }
    List<String> codings = request.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
    ending.add(request.connection());
    if (codings.size() > 1 || !CHUNKED.equals(codings.get(0))) {
      pipeline.refuse(routing, ApiException.badRequest("Invalid Transfer-Encoding"));
    } else {
      routing.next();
    }
  }

  /** A chunked request: its connection is closed after the answer. */
  static boolean isChunked(HttpServerRequest request) {
    return request.version() != HttpVersion.HTTP_2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }
}
