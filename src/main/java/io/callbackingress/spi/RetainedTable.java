package io.callbackingress.spi;

/**
 * A table of a family's own whose rows the retention maintenance removes (SPEC 14) once
 * {@code timeColumn} is the table's period in the past. The family's migrations make the table
 * in the shape this declares; the core names no family table.
 *
 * @param partitioned true when the family's migration partitioned the table by range on
 *     {@code timeColumn} with a DEFAULT partition named {@code <table>_default}: the maintenance
 *     makes partitions ahead of the clock and drops each whole once past its period. False: rows
 *     are deleted in batches, found through an index on {@code timeColumn} the migration made.
 * @param period the key under {@code retention} that holds the period, or null for the family's
 *     share, {@code retention.familySeconds.<family>}
 */
public record RetainedTable(String table, String timeColumn, boolean partitioned, Period period) {

  /**
   * A period of the table's own: {@code retention.<key>}, in seconds, {@code defaultSeconds} when
   * the configuration does not say; validated like every key.
   */
  public record Period(String key, int defaultSeconds) {}

  /** Kept for the family's share, {@code retention.familySeconds.<family>}. */
  public RetainedTable(String table, String timeColumn, boolean partitioned) {
    this(table, timeColumn, partitioned, null);
  }

  /** The same table, kept for a period of its own, {@code retention.<key>}. */
  public RetainedTable keptFor(String key, int defaultSeconds) {
    return new RetainedTable(table, timeColumn, partitioned, new Period(key, defaultSeconds));
  }
}
