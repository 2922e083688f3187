package io.callbackingress.store;

import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Tells a Postgres that is away from a write that failed for a reason of its own. */
public final class Outages {

  private Outages() {}

  /**
   * True only for failures that say nothing about the writes themselves — refused or dropped
   * connections, timeouts, an open circuit, a server that is shutting down or out of resources —
   * so the writes belong in the spool. Anything else (a statement the server refused, a bug in an
   * operation) is the write's own failure: spooling it would only fail again, forever.
   */
  static boolean isOutage(Throwable failure) {
    return isUnreachable(failure)
        || failure instanceof OpenCircuitException
        || failure instanceof io.vertx.circuitbreaker.TimeoutException
        || failure instanceof PgException pg && isServerUnavailable(pg.getSqlState());
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

  /** SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P (operator intervention). */
  private static boolean isServerUnavailable(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57P"));
  }
}
