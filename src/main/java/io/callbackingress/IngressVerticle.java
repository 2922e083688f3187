package io.callbackingress;

import io.callbackingress.http.Pipeline;
import io.callbackingress.http.RouterAssembly;
import io.callbackingress.http.RequestHeadCheck;
import io.callbackingress.http.UnreadableRequests;
import io.callbackingress.tls.TlsListener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of one event loop. Every instance mounts every enabled family with its own
 * loop-bound context, so a request runs start to finish on the loop that accepted it.
 */
public final class IngressVerticle extends VerticleBase {

  private final Ingress ingress;
  private final boolean management;
  private HttpServer server;
  private HttpServer tlsServer;
  private Ingress.LoopServices loop;

  /** @param management true for the {@code management.port} listener, which serves operations only */
  public IngressVerticle(Ingress ingress, boolean management) {
    this.ingress = ingress;
    this.management = management;
  }

  @Override
  public Future<?> start() {
    loop = management ? null : ingress.loopServices(vertx);
    List<Pipeline.Route> routes = management ? ingress.operationRoutes() : ingress.routes(loop);
    var config = ingress.config();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(management ? config.management().port() : config.http().port())
        .setIdleTimeout(config.http().idleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setUseProxyProtocol(!management && config.http().proxyProtocol());
    var router = RouterAssembly.build(vertx, ingress.pipeline(), routes);
    server = listener(options, router);
    TlsListener tls = management ? null : ingress.tls();
    if (tls == null) {
      return server.listen();
    }
    // The same router on both listeners: one request path, whichever port the caller chose.
    tlsServer = listener(tls.secure(options), router);
    return Future.all(server.listen(), tlsServer.listen().onSuccess(tls::register));
  }

  private HttpServer listener(HttpServerOptions options, Router router) {
    return vertx.createHttpServer(options)
        .connectionHandler(RequestHeadCheck::install)
        .requestHandler(router)
        .invalidRequestHandler(new UnreadableRequests());
  }

  @Override
  public Future<?> stop() {
    long graceMs = TimeUnit.SECONDS.toMillis(ingress.config().shutdown().graceSeconds());
    // In-flight requests finish inside the grace period, and with them the batches they wait on.
    Future<Void> closed = server.shutdown(graceMs, TimeUnit.MILLISECONDS);
    if (tlsServer != null) {
      ingress.tls().forget(tlsServer);
      closed = Future.all(closed, tlsServer.shutdown(graceMs, TimeUnit.MILLISECONDS)).mapEmpty();
    }
    return loop == null ? closed : closed.compose(v -> loop.writer().drain());
  }
}
