package io.callbackingress.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds one router from pipeline routes. Every request's framing is checked first
 * ({@link RequestFraming}); every path gets its method routes, then a catch-all that answers 405
 * with the path's {@code Allow}; anything else is 404 (SPEC 2.1).
 */
public final class RouterAssembly {

  private RouterAssembly() {}

  public static Router build(Vertx vertx, Pipeline pipeline, List<Pipeline.Route> routes) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestFraming(pipeline)::check);
    Map<String, PathMethods> paths = new LinkedHashMap<>();
    for (Pipeline.Route route : routes) {
      Endpoint endpoint = route.endpoint();
      router.route(endpoint.method(), endpoint.path()).handler(rc -> pipeline.handle(rc, route));
      paths.computeIfAbsent(endpoint.path(), p -> new PathMethods(route.family(), new TreeSet<>()))
          .methods.add(endpoint.method().name());
    }
    paths.forEach((path, methods) -> {
      String allow = String.join(", ", methods.methods);
      router.route(path).handler(rc -> pipeline.methodNotAllowed(rc, methods.family, path, allow));
    });
    router.route().handler(pipeline::notFound);
    router.errorHandler(500, pipeline::unexpected);
    // What the router itself cannot read (a %zz escape, no Host header) is the caller's error, in JSON too.
    router.errorHandler(400, rc -> pipeline.refuse(rc, ApiException.badRequest("Bad request")));
    return router;
  }

  private record PathMethods(String family, TreeSet<String> methods) {}

}
