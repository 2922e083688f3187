package io.callbackingress.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A table its migration range-partitioned on its time column (the core's outbox, a family's
 * {@code RetainedTable} declared partitioned): a DEFAULT partition catches what no partition
 * covers, partitions {@code width} wide are made ahead of the clock, and a partition leaves whole,
 * by {@code DROP TABLE}, once its upper bound is {@code kept} in the past.
 *
 * <p>Implementation notes. A new partition is built as a plain table and then attached, the way
 * the Postgres manual advises, and rows that reached the DEFAULT partition for that range
 * (maintenance was off, a clock ran ahead, the table had no partition yet) move into it in the
 * same transaction. That transaction holds the parent in SHARE mode, which waits for the inserts
 * in flight and holds new ones back until it commits — milliseconds, since partitions are made
 * ahead and the DEFAULT partition is nearly always empty. Without it, {@code ATTACH PARTITION}'s
 * lighter lock lets an insert route a row by the partition map it read before the attach, into
 * the DEFAULT partition, which then refuses it ({@code 23514 violates partition constraint}): a
 * 500 for a good write, seen in the tests while the first run after the migration ran. Dropping a
 * partition needs the parent's ACCESS EXCLUSIVE lock for a moment; the maintenance connection's
 * {@code lock_timeout} bounds how long inserts can queue behind it, and a drop that times out is
 * tried again on the next run.
 *
 * @param feedHorizon whether removed rows move the events feed's horizon (only the outbox has one)
 */
record PartitionedTable(String name, String timeColumn, Duration kept, boolean feedHorizon) {

  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  /** Every partition but the DEFAULT one, with its upper bound, oldest first. */
  static final String PARTITIONS = """
      SELECT c.relname AS name,
             (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = to_regclass($1) AND NOT c.relpartbound IS NULL
         AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
       ORDER BY upper""";

  String defaultPartition() {
    return name + "_default";
  }

  String partitionName(Instant lower) {
    return name + "_p" + SUFFIX.format(lower);
  }

  /** One simple query, so Postgres runs it as one transaction. */
  String create(Instant lower, Instant upper) {
    String partition = partitionName(lower);
    String range = timeColumn + " >= '" + lower + "' AND " + timeColumn + " < '" + upper + "'";
    return "LOCK TABLE " + name + " IN SHARE MODE;"
        + " CREATE TABLE " + partition + " (LIKE " + name + ");"
        + " ALTER TABLE " + partition + " ADD CONSTRAINT " + partition + "_range CHECK (" + range + ");"
        + " WITH moved AS (DELETE FROM " + defaultPartition() + " WHERE " + range + " RETURNING *)"
        + " INSERT INTO " + partition + " SELECT * FROM moved;"
        + " ALTER TABLE " + name + " ATTACH PARTITION " + partition
        + " FOR VALUES FROM ('" + lower + "') TO ('" + upper + "');"
        + " ALTER TABLE " + partition + " DROP CONSTRAINT " + partition + "_range";
  }

  /** One simple query: the feed's horizon moves in the same transaction as the rows leave. */
  String drop(String partition) {
    String horizon = feedHorizon
        ? "UPDATE ingress_events_horizon SET expired_through ="
            + " greatest(expired_through, (SELECT coalesce(max(seq), 0) FROM " + partition + ")); "
        : "";
    return horizon + "DROP TABLE " + partition;
  }

  /**
   * Rows that stayed in the DEFAULT partition past retention (older than any partition, as a
   * badly wrong clock would stamp them) leave in batches like the rows of unpartitioned tables.
   */
  ExpiringRows defaultPartitionRows() {
    return new ExpiringRows(defaultPartition(), timeColumn, kept, feedHorizon, Duration.ZERO);
  }

  /** The time of the oldest row in the DEFAULT partition. */
  String oldestWaiting() {
    return "SELECT min(" + timeColumn + ") FROM " + defaultPartition();
  }

  /**
   * The time of the first row of the oldest partition that has one: partitions are scanned in
   * bound order and, never deleted from, keep their rows in arrival order — close to the oldest
   * row without an index on the time column or a scan of a whole partition.
   */
  String oldestRow() {
    return "SELECT " + timeColumn + " FROM " + name + " LIMIT 1";
  }
}
