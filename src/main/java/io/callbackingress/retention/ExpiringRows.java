package io.callbackingress.retention;

import java.time.Duration;

/**
 * Rows of an unpartitioned table (or of a DEFAULT partition) removed in bounded batches once their
 * time column is {@code kept} in the past. Each batch is one short statement and transaction, so
 * the writes in between never wait long for a row lock, and each finds its rows through the time
 * column's index.
 *
 * @param feedHorizon whether removed rows move the events feed's horizon (only outbox rows do)
 * @param lifetime how long before its time column a row arrived: zero for an arrival time,
 *     {@code idempotency.ttlSeconds} for an idempotency key's expiry
 */
record ExpiringRows(String table, String timeColumn, Duration kept, boolean feedHorizon, Duration lifetime) {

  ExpiringRows(String table, String timeColumn, Duration kept) {
    this(table, timeColumn, kept, false, Duration.ZERO);
  }

  /** Keys leave once expired; they were claimed {@code ttl} before that. */
  static ExpiringRows idempotencyKeys(Duration ttl) {
    return new ExpiringRows("idempotency_keys", "expires_at", Duration.ZERO, false, ttl);
  }

  /** {@code $1} the cut-off, {@code $2} the batch size; answers the number of rows deleted. */
  String deleteBatch() {
    String gone = "WITH gone AS (DELETE FROM " + table + " WHERE ctid = ANY(ARRAY("
        + "SELECT ctid FROM " + table + " WHERE " + timeColumn + " < $1 LIMIT $2)) RETURNING "
        + (feedHorizon ? "seq)" : "1)");
    String horizon = feedHorizon
        ? ", horizon AS (UPDATE ingress_events_horizon SET expired_through ="
            + " greatest(expired_through, (SELECT max(seq) FROM gone)) WHERE EXISTS (SELECT FROM gone))"
        : "";
    return gone + horizon + " SELECT count(*) FROM gone";
  }

  /**
   * Makes the deleted rows' space reusable now rather than when autovacuum gets round to it (its
   * default waits for a fifth of a table to be dead; the soak's Postgres runs without it): a table
   * that turns over every retention period would otherwise grow by that much, or without bound.
   * A plain VACUUM takes no lock that writes wait for; SKIP_LOCKED passes when autovacuum is at
   * the table already; and on Postgres 14 and later it skips the index pass when few pages hold
   * dead rows, as when a minute's share of a day's keys has gone.
   */
  String vacuum() {
    return "VACUUM (SKIP_LOCKED) " + table;
  }

  /** When the oldest row arrived; the index on the time column answers it. */
  String oldestRow() {
    return "SELECT min(" + timeColumn + ") - make_interval(secs => " + lifetime.toSeconds() + ") FROM " + table;
  }
}
