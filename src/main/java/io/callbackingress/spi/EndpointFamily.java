package io.callbackingress.spi;

import java.util.List;

/**
 * A family of routes (SPEC 3, 12): the unit of extension, found with {@link java.util.ServiceLoader}
 * and switched by {@code families.<name>.enabled}.
 *
 * <p>Every event loop runs one HTTP server verticle with one router, and each enabled family is
 * mounted into every one of them with that loop's {@link FamilyContext}. A family is therefore
 * deployed — its endpoints built, its resources taken — independently of the others, yet a request
 * is served start to finish on the loop that accepted it: no event-bus hop between the shared port
 * and the family. Auth, rate limiting, body limits, parsing, validation, idempotency, metrics and
 * audit come from the shared pipeline around the endpoints returned here.
 */
public interface EndpointFamily {

  /** The family's name in configuration ({@code families.<name>}) and in metrics. */
  String name();

  /** Builds this family's endpoints for one event loop. Called on that loop; must not block. */
  List<Endpoint> endpoints(FamilyContext context);

  /**
   * Every write operation the family's endpoints submit. A write that waited in the spool finds
   * its operation here by name when it is replayed, possibly by a process started after a crash.
   */
  default List<WriteOperation<?>> operations() {
    return List.of();
  }
}
