package io.callbackingress.retention;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one maintenance run did: the substance of its log line, and what tests look at. */
final class RetentionReport {

  private final Map<String, Long> deleted = new LinkedHashMap<>();
  private final List<String> created = new ArrayList<>();
  private final List<String> dropped = new ArrayList<>();
  private final Map<String, String> failed = new LinkedHashMap<>();
  private boolean skipped;
  private long millis;

  void deleted(String table, long rows) {
    deleted.merge(table, rows, Long::sum);
  }

  void created(String partition) {
    created.add(partition);
  }

  void dropped(String partition) {
    dropped.add(partition);
  }

  void failed(String table, Throwable failure) {
    failed.put(table, String.valueOf(failure.getMessage()));
  }

  void skip() {
    skipped = true;
  }

  RetentionReport took(long millis) {
    this.millis = millis;
    return this;
  }

  /** Rows deleted per table, including the DEFAULT partitions' stragglers. */
  Map<String, Long> deleted() {
    return deleted;
  }

  List<String> created() {
    return created;
  }

  List<String> dropped() {
    return dropped;
  }

  Map<String, String> failed() {
    return failed;
  }

  /** True when another replica held the maintenance lock, so this run stopped there (at once, or between two of its transactions). */
  boolean skipped() {
    return skipped;
  }

  String summary() {
    if (skipped && deleted.isEmpty() && created.isEmpty() && dropped.isEmpty() && failed.isEmpty()) {
      return "retention run skipped: another replica holds the maintenance lock";
    }
    return "retention run: deleted " + deleted + ", partitions created " + created + ", dropped " + dropped
        + (failed.isEmpty() ? "" : ", failed " + failed) + (skipped ? ", then another replica took the maintenance lock" : "")
        + " in " + millis + " ms";
  }
}
