package io.callbackingress.retention;

import io.callbackingress.config.IngressConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the retention maintenance looks after (SPEC 14), from {@code retention.*} and
 * {@code idempotency.ttlSeconds}: the tables that lose whole time partitions, those that lose rows
 * in batches, and how to find each table's oldest row for the age gauge. README "Retention" gives
 * the reasons for the split.
 */
record RetentionPlan(List<PartitionedTable> partitioned, List<ExpiringRows> expiring, Map<String, String> oldestRows,
                     Duration partitionWidth, int batchRows) {

  static RetentionPlan of(IngressConfig config) {
    IngressConfig.Retention retention = config.retention();
    List<PartitionedTable> partitioned = List.of(
        new PartitionedTable("ingress_events", "occurred_at", seconds(retention.eventsSeconds()), true),
        new PartitionedTable("test_runs", "created_at", seconds(retention.family("test_runs")), false),
        new PartitionedTable("chatgpt_responses", "created_at", seconds(retention.family("ai")), false),
        new PartitionedTable("ai_analyses", "created_at", seconds(retention.family("ai")), false));
    List<ExpiringRows> unpartitioned = List.of(
        ExpiringRows.idempotencyKeys(seconds(config.idempotencyTtlSeconds())),
        new ExpiringRows("webhook_deliveries", "received_at", seconds(retention.webhookDeliveriesSeconds())),
        new ExpiringRows("tooling_jobs", "created_at", seconds(retention.family("tooling"))),
        new ExpiringRows("video_nodes", "created_at", seconds(retention.family("video_production"))));
    List<ExpiringRows> expiring = new ArrayList<>(unpartitioned);
    Map<String, String> oldestRows = new LinkedHashMap<>();
    for (PartitionedTable table : partitioned) {
      expiring.add(table.defaultPartitionRows());
      oldestRows.put(table.name(), table.oldestRow());
    }
    unpartitioned.forEach(rows -> oldestRows.put(rows.table(), rows.oldestRow()));
    return new RetentionPlan(partitioned, List.copyOf(expiring), Map.copyOf(oldestRows),
        seconds(retention.partitionSeconds()), retention.batchRows());
  }

  private static Duration seconds(int seconds) {
    return Duration.ofSeconds(seconds);
  }
}
