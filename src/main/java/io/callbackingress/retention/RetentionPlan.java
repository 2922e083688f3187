package io.callbackingress.retention;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.RetainedTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the retention maintenance looks after (SPEC 14): the core's own tables (the outbox, kept for
 * {@code retention.eventsSeconds}, and the idempotency keys, for {@code idempotency.ttlSeconds}) and
 * the tables every family found declares ({@code EndpointFamily#retainedTables}) — those that lose
 * whole time partitions, those that lose rows in batches — and how to find each table's oldest row
 * for the age gauge. README "Retention" gives the reasons for the split.
 */
record RetentionPlan(List<PartitionedTable> partitioned, List<ExpiringRows> expiring, Map<String, String> oldestRows,
                     Duration partitionWidth, int batchRows) {

  static RetentionPlan of(IngressConfig config) {
    IngressConfig.Retention retention = config.retention();
    List<PartitionedTable> partitioned = new ArrayList<>(List.of(
        new PartitionedTable("ingress_events", "occurred_at", seconds(retention.eventsSeconds()), true)));
    List<ExpiringRows> unpartitioned = new ArrayList<>(List.of(
        ExpiringRows.idempotencyKeys(seconds(config.idempotencyTtlSeconds()))));
    for (EndpointFamily family : config.familiesFound()) {
      for (RetainedTable table : family.retainedTables()) {
        Duration kept = seconds(retention.period(family.name(), table));
        if (table.partitioned()) {
          partitioned.add(new PartitionedTable(table.table(), table.timeColumn(), kept, false));
        } else {
          unpartitioned.add(new ExpiringRows(table.table(), table.timeColumn(), kept));
        }
      }
    }
    List<ExpiringRows> expiring = new ArrayList<>(unpartitioned);
    Map<String, String> oldestRows = new LinkedHashMap<>();
    for (PartitionedTable table : partitioned) {
      expiring.add(table.defaultPartitionRows());
      oldestRows.put(table.name(), table.oldestRow());
    }
    unpartitioned.forEach(rows -> oldestRows.put(rows.table(), rows.oldestRow()));
    return new RetentionPlan(List.copyOf(partitioned), List.copyOf(expiring), Map.copyOf(oldestRows),
        seconds(retention.partitionSeconds()), retention.batchRows());
  }

  private static Duration seconds(int seconds) {
    return Duration.ofSeconds(seconds);
  }
}
