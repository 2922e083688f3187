package io.callbackingress.store;

import io.callbackingress.http.ApiException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Tells a Postgres that is away from a statement that failed. */
public final class Outages {

  private Outages() {}

  /**
   * True for failures that say nothing about the writes themselves — refused or dropped
   * connections, timeouts, an open circuit — so the writes belong in the spool. An error the
   * server reported about a statement is not an outage: spooling it would only fail again later.
   */
  static boolean isOutage(Throwable failure) {
    return !(failure instanceof PgException) && !(failure instanceof ApiException);
  }

  /**
   * True for the failures of a dependency that cannot be reached — refused, dropped, timed out —
   * as opposed to a bug: a read that meets one answers 503 and comes back later, it is not a 500.
   */
  public static boolean isUnreachable(Throwable failure) {
    return failure instanceof ConnectException
        || failure instanceof ClosedConnectionException
        || failure instanceof TimeoutException;
  }
}
