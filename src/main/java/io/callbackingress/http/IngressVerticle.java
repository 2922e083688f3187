package io.callbackingress.http;

import io.callbackingress.Ingress;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
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
    server = vertx.createHttpServer(options)
        .requestHandler(RouterAssembly.build(vertx, ingress.pipeline(), routes));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    long graceMs = TimeUnit.SECONDS.toMillis(ingress.config().shutdownGraceSeconds());
    // In-flight requests finish inside the grace period, and with them the batches they wait on.
    Future<Void> closed = server.shutdown(graceMs, TimeUnit.MILLISECONDS);
    return loop == null ? closed : closed.compose(v -> loop.batchWriter().drain());
  }
}
