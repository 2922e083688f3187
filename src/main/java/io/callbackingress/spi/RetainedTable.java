package io.callbackingress.spi;

/**
 * A table of a family's own whose rows the retention maintenance removes (SPEC 14) once
 * {@code timeColumn} is {@code retention.familySeconds.<family>} in the past: by dropping whole
 * time partitions when the family's migration partitioned it by that column, else in batches.
 */
public record RetainedTable(String table, String timeColumn, boolean partitioned) {}
