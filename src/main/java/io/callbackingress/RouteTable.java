package io.callbackingress;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.http.Pipeline;
import io.callbackingress.ops.OperationsEndpoints;
import io.callbackingress.spi.Authenticator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * What each listener routes: every enabled family's endpoints, each bound to its family's
 * authenticator, and the operations endpoints — on the main port, unless {@code management.port}
 * gives them one of their own.
 */
final class RouteTable {

  private final EnabledFamilies families;
  private final LoopWiring loops;
  private final OperationsEndpoints operations;
  private final boolean rateLimited;
  private final boolean operationsOnMainPort;

  RouteTable(EnabledFamilies families, LoopWiring loops, OperationsEndpoints operations, IngressConfig config) {
    this.families = families;
    this.loops = loops;
    this.operations = operations;
    this.rateLimited = config.rateLimit().enabled();
    this.operationsOnMainPort = config.management().port() == null;
  }

  /** The families' endpoints built for the loop of {@code loopVertx}, whose writer drains once the listener closes. */
  IngressVerticle.Mount mainPort(Vertx loopVertx) {
    LoopWiring.LoopServices loop = loops.on(loopVertx);
    List<Pipeline.Route> routes = new ArrayList<>();
    families.byName().forEach((name, family) -> family.endpoints(loop.context()).forEach(endpoint ->
        routes.add(new Pipeline.Route(name, endpoint, families.authenticators().get(name), rateLimited))));
    if (operationsOnMainPort) {
      routes.addAll(operationRoutes());
    }
    return new IngressVerticle.Mount(routes, loop.writer()::drain);
  }

  /** The operations endpoints alone, for the {@code management.port} listener. */
  IngressVerticle.Mount operationsOnly() {
    return new IngressVerticle.Mount(operationRoutes(), Future::succeededFuture);
  }

  private List<Pipeline.Route> operationRoutes() {
    return operations.endpoints().stream()
        .map(endpoint -> new Pipeline.Route("operations", endpoint, Authenticator.NONE, false))
        .toList();
  }
}
