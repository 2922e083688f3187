package io.callbackingress.store;

import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a Postgres that cannot take writes now from a write that failed for a reason of its own
 * (SPEC 7). The README's SQLSTATE table is this class in prose; keep the two together.
 */
public final class Outages {

  /**
   * SQLSTATEs that say "not now" about one transaction or one connection rather than "not this
   * write": a lost serialization race, a deadlock, a lock timeout, and a connection whose
   * prepared-statement state a pooler has mixed up.
   */
  private static final Set<String> TRANSIENT = Set.of(
      "40001", // serialization_failure
      "40P01", // deadlock_detected
      "55P03", // lock_not_available
      "42P05", // duplicate_prepared_statement
      "26000"); // invalid_sql_statement_name: a prepared statement the server session does not have
  /** read_only_sql_transaction: a standby, or a primary demoted or not yet promoted. */
  private static final String READ_ONLY = "25006";

  private Outages() {}

  /**
   * True for failures that say nothing about the writes themselves and that the next attempt on
   * this server would meet again — refused or dropped connections, timeouts, an open circuit, a
   * server that is shutting down, out of resources, in recovery or read-only — so the writes belong
   * in the spool and the circuit opens. A commit that timed out or lost its connection may have
   * committed: that is for the replay to find out ({@link BatchCommitter}).
   */
  static boolean isOutage(Throwable failure) {
    return isUnavailable(failure)
        || failure instanceof OpenCircuitException
        || failure instanceof io.vertx.circuitbreaker.TimeoutException;
  }

  /**
   * True for failures that are not the write's own: an outage, or a transaction that lost a race
   * or a connection whose server session went wrong. Such a write is retried on a fresh
   * connection, never failed or set aside as a dead letter; anything else (a constraint, a value
   * the column refuses, a bug in an operation) is the write's own failure.
   */
  static boolean isNotTheWrite(Throwable failure) {
    return isOutage(failure) || failure instanceof PgException pg && TRANSIENT.contains(pg.getSqlState());
  }

  /**
   * True for the failures of a dependency that cannot be reached or cannot serve now — refused,
   * reset, dropped, timed out, shutting down, in recovery — as opposed to a bug: a request that meets one
   * answers 503 and comes back later, it is not a 500.
   */
  public static boolean isUnavailable(Throwable failure) {
    return failure instanceof IOException
        || failure instanceof ClosedConnectionException
        || failure instanceof TimeoutException
        || failure instanceof NoWritablePostgresException
        || failure instanceof PgException pg && isServerUnavailable(pg.getSqlState());
  }

  /** SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P (operator intervention), and 25006. */
  private static boolean isServerUnavailable(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57P")
        || sqlState.equals(READ_ONLY));
  }
}
