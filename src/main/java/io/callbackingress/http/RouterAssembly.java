package io.callbackingress.http;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds one router from pipeline routes. Every request's framing is checked first
 * ({@link RequestFraming}); every path gets its method routes, then a catch-all that answers 405
 * with the path's {@code Allow}; anything else is 404 (SPEC 2.1).
 *
 * <p>The router tries routes in order, and a path with parameters is a regular expression to
 * match, a literal path one string comparison. So literal paths come first — the more specific
 * route wins, as a caller would expect of {@code /x/stats} beside {@code /x/:id} — and the write
 * endpoints, all literal, are found before any expression runs.
 */
public final class RouterAssembly {

  private RouterAssembly() {}

  public static Router build(Vertx vertx, Pipeline pipeline, List<Pipeline.Route> routes) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestFraming(pipeline)::check);
    Map<String, PathMethods> paths = new LinkedHashMap<>();
    List<Pipeline.Route> literalFirst = routes.stream()
        .sorted(Comparator.comparing(route -> route.endpoint().path().contains("/:")))
        .toList();
    for (Pipeline.Route route : literalFirst) {
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
