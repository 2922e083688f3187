package io.callbackingress.store;

import io.callbackingress.http.ApiException;
import io.vertx.pgclient.PgException;

/** Tells a Postgres that is away from a statement that failed. */
final class Outages {

  private Outages() {}

  /**
   * True for failures that say nothing about the writes themselves — refused or dropped
   * connections, timeouts, an open circuit — so the writes belong in the spool. An error the
   * server reported about a statement is not an outage: spooling it would only fail again later.
   */
  static boolean isOutage(Throwable failure) {
    return !(failure instanceof PgException) && !(failure instanceof ApiException);
  }
}
