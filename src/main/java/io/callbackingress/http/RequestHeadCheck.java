package io.callbackingress.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;

/**
 * Holds each decoded HTTP/1 request head to RFC 9112 where Netty and Vert.x are lenient, before
 * Vert.x sees it: Vert.x answers a version other than 1.0 and 1.1 with an empty 501 before any
 * handler of ours runs; Netty trims control bytes off a method ({@code GET\0} is served as
 * {@code GET}) and keeps every Host header it is sent; the router cannot take apart a
 * request-target that is not a path ({@code OPTIONS *}, {@code CONNECT host:443}) and logs it as an
 * unhandled exception. Such a request is marked as failed to decode, so {@link UnreadableRequests}
 * answers it in JSON and closes its connection.
 *
 * <p>Vert.x has no public hook into its HTTP/1 pipeline: {@link #install} adds the check in front of
 * Vert.x's handler when the connection is made — with cleartext HTTP/2 allowed, as it is, that
 * happens as the first request arrives, so the check sits after the decoder, not in it.
 */
@ChannelHandler.Sharable
public final class RequestHeadCheck extends ChannelInboundHandlerAdapter {

  private static final RequestHeadCheck INSTANCE = new RequestHeadCheck();
  private static final String VERTX_HANDLER = "handler";
  /**
   * Netty's method constants. A method spelled exactly as one of them is that constant; a method
   * with the same name that is not had bytes trimmed off it.
   */
  private static final Set<HttpMethod> STANDARD_METHODS = identitySet(HttpMethod.OPTIONS, HttpMethod.GET,
      HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.TRACE,
      HttpMethod.CONNECT);

  private RequestHeadCheck() {}

  /** For the server's connection handler: HTTP/2 connections have no request line and are left as they are. */
  public static void install(HttpConnection connection) {
    if (connection instanceof Http1xServerConnection http1) {
      http1.channelHandlerContext().pipeline().addBefore(VERTX_HANDLER, "requestHeadCheck", INSTANCE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (message instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      RefusedRequestHead refusal = refusal(request);
      if (refusal != null) {
        request.setDecoderResult(DecoderResult.failure(refusal));
        // Answered in the version we speak, not in the one refused.
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
      }
    }
    context.fireChannelRead(message);
  }

  private static RefusedRequestHead refusal(HttpRequest request) {
    HttpVersion version = request.protocolVersion();
    if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
      return RefusedRequestHead.unsupportedVersion();
    }
    if (wasTrimmed(request.method())) {
      return RefusedRequestHead.badMethod();
    }
    String target = request.uri();
    if (!target.startsWith("/") && !target.regionMatches(true, 0, "http://", 0, 7)
        && !target.regionMatches(true, 0, "https://", 0, 8)) {
      return RefusedRequestHead.noSuchTarget();
    }
    return hasSecondHost(request) ? RefusedRequestHead.duplicateHost() : null;
  }

  /** Walks the Host values without collecting them: this runs for every request. */
  private static boolean hasSecondHost(HttpRequest request) {
    Iterator<String> hosts = request.headers().valueStringIterator(HttpHeaderNames.HOST);
    if (!hosts.hasNext()) {
      return false;
    }
    hosts.next();
    return hosts.hasNext();
  }

  /**
   * Netty refuses a control byte inside a method but trims those around it; only a standard
   * method's name shows it, by not being that method's constant. Any other method has no route,
   * and is answered 404 or 405 whatever bytes surrounded it.
   */
  private static boolean wasTrimmed(HttpMethod method) {
    if (STANDARD_METHODS.contains(method)) {
      return false;
    }
    return STANDARD_METHODS.contains(HttpMethod.valueOf(method.name()));
  }

  private static Set<HttpMethod> identitySet(HttpMethod... methods) {
    Set<HttpMethod> set = Collections.newSetFromMap(new IdentityHashMap<>());
    Collections.addAll(set, methods);
    return Collections.unmodifiableSet(set);
  }
}
