package io.callbackingress;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.http.Pipeline;
import io.callbackingress.http.RouterAssembly;
import io.callbackingress.http.RequestHeadCheck;
import io.callbackingress.http.UnreadableRequests;
import io.callbackingress.tls.HandshakeAck;
import io.callbackingress.tls.TlsListener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP server of one event loop. Every instance mounts its routes as built for its own loop,
 * so a request runs start to finish on the loop that accepted it.
 */
final class IngressVerticle extends VerticleBase {

  /**
   * Where a listener accepts connections.
   *
   * @param tls the HTTPS listener that serves the same routes, or null for plain HTTP only
   * @param graceMs how long in-flight requests may take to finish once the listener stops
   */
  record Listener(IngressConfig.Http http, int port, boolean proxyProtocol, TlsListener tls, long graceMs) {}

  /** What a listener serves on its loop, and what must finish once it no longer listens. */
  record Mount(List<Pipeline.Route> routes, Supplier<Future<Void>> afterClose) {}

  private final Listener listener;
  private final Pipeline pipeline;
  private final Function<Vertx, Mount> mounting;
  private HttpServer server;
  private HttpServer tlsServer;
  private Mount mount;

  /** @param mounting builds the routes for the loop the verticle starts on */
  IngressVerticle(Listener listener, Pipeline pipeline, Function<Vertx, Mount> mounting) {
    this.listener = listener;
    this.pipeline = pipeline;
    this.mounting = mounting;
  }

  @Override
  public Future<?> start() {
    mount = mounting.apply(vertx);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(listener.http().host())
        .setPort(listener.port())
        .setIdleTimeout(listener.http().idleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setUseProxyProtocol(listener.proxyProtocol());
    var router = RouterAssembly.build(vertx, pipeline, mount.routes());
    server = server(options, router);
    TlsListener tls = listener.tls();
    if (tls == null) {
      return server.listen();
    }
    // The same router on both listeners: one request path, whichever port the caller chose.
    tlsServer = server(tls.secure(options), router);
    return Future.all(server.listen(), tlsServer.listen().onSuccess(tls::register));
  }

  private HttpServer server(HttpServerOptions options, Router router) {
    return vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          RequestHeadCheck.install(connection);
          HandshakeAck.sendNow(connection);
        })
        .requestHandler(router)
        .invalidRequestHandler(new UnreadableRequests());
  }

  @Override
  public Future<?> stop() {
    // In-flight requests finish inside the grace period, and with them the batches they wait on.
    Future<Void> closed = server.shutdown(listener.graceMs(), TimeUnit.MILLISECONDS);
    if (tlsServer != null) {
      listener.tls().forget(tlsServer);
      closed = Future.all(closed, tlsServer.shutdown(listener.graceMs(), TimeUnit.MILLISECONDS)).mapEmpty();
    }
    return closed.compose(v -> mount.afterClose().get());
  }
}
