package io.callbackingress.retention;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.MetricsCollector;
import io.callbackingress.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention maintenance (SPEC 14): makes time partitions ahead and drops those past
 * retention, deletes expired rows of the unpartitioned tables in bounded batches, and measures
 * each table's oldest row.
 *
 * <p>A run uses a connection of its own, opened for the run and closed after it — never an event
 * loop's write connection. Each change is a transaction of its own that first takes a
 * transaction-level advisory lock and reads what it acts on under it, so one replica at a time
 * changes a database; a run that finds the lock taken stops there (another replica is
 * maintaining). Nothing depends on the server session, which a transaction pooler such as
 * PgBouncer changes between transactions (SPEC 7): a session-level lock would stay behind with a
 * session the run no longer has. A table it deleted rows from is vacuumed right after, outside any
 * transaction as VACUUM must be ({@link ExpiringRows#vacuum}, which skips a table another VACUUM
 * holds). {@code lock_timeout}, set per transaction, bounds how long any of its statements waits
 * for (and so makes inserts queue behind) a table lock. A step that fails is reported and the next
 * still runs. One log line per run says what it did.
 */
public final class Retention {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  /** The advisory lock every replica's maintenance takes: the ASCII bytes of "retentio". */
  static final long LOCK_KEY = 0x7265_7465_6e74_696fL;
  /** Long enough for the writers' millisecond transactions to finish, short enough not to stall them. */
  private static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '1s'";
  private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1)";

  private final Vertx vertx;
  private final Database database;
  private final RetentionPlan plan;
  private final MetricsCollector metrics;
  private final Clock clock;
  private final Map<String, Double> oldestRowAges = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  Retention(Vertx vertx, Database database, RetentionPlan plan, MetricsCollector metrics, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.plan = plan;
    this.metrics = metrics;
    this.clock = clock;
    for (String table : plan.oldestRows().keySet()) {
      metrics.gauge("ingress.retention.oldest.row.age.seconds", "table", table,
          () -> oldestRowAges.getOrDefault(table, Double.NaN));
    }
  }

  public static Retention create(Vertx vertx, Database database, IngressConfig config, MetricsCollector metrics) {
    return new Retention(vertx, database, RetentionPlan.of(config), metrics, Clock.systemUTC());
  }

  /** One maintenance run, as of the clock's now; fails only when Postgres cannot be reached. */
  Future<RetentionReport> run() {
    return inRun((connection, now, report) -> maintain(connection, now, report));
  }

  /**
   * Only the partitions ahead of the clock, run before the listeners open: a row written at
   * start-up then never lands in a DEFAULT partition that the first full run would move it out
   * of — a move a concurrent reader can miss (it happened to a test's read after its 201).
   */
  Future<RetentionReport> prepare() {
    return inRun((connection, now, report) -> forEachPartitioned(report,
        table -> createAhead(connection, table, now, report)));
  }

  @FunctionalInterface
  private interface Work {
    Future<Void> on(SqlConnection connection, Instant now, RetentionReport report);
  }

  private Future<RetentionReport> inRun(Work work) {
    Instant now = clock.instant();
    long started = System.nanoTime();
    RetentionReport report = new RetentionReport();
    return database.connect(vertx)
        .compose(connection -> work.on(connection, now, report).eventually(connection::close))
        .map(v -> report.took(Duration.ofNanos(System.nanoTime() - started).toMillis()))
        .onSuccess(done -> {
          if (done.failed().isEmpty()) {
            log.info(done.summary());
          } else {
            log.warn(done.summary());
          }
        })
        .onFailure(failure -> log.warn("retention run failed: {}", failure.getMessage()));
  }

  /** Ends the run in progress after its current statement. */
  void stop() {
    stopped = true;
  }

  /**
   * {@code work} in a transaction of its own that holds the maintenance lock; null, with nothing
   * done and the rest of the run skipped, when another replica holds it.
   */
  private <T> Future<T> locked(SqlConnection connection, RetentionReport report, Supplier<Future<T>> work) {
    if (report.skipped()) {
      return Future.succeededFuture();
    }
    return connection.begin().compose(transaction -> connection.query(LOCK_TIMEOUT).execute()
        .compose(v -> connection.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK_KEY)))
        .compose(lock -> {
          if (lock.iterator().next().getBoolean(0)) {
            return work.get();
          }
          report.skip();
          return Future.<T>succeededFuture();
        })
        .transform(done -> done.succeeded()
            ? transaction.commit().map(done.result())
            : transaction.rollback().transform(rolledBack -> Future.<T>failedFuture(done.cause()))));
  }

  private Future<Void> maintain(SqlConnection connection, Instant now, RetentionReport report) {
    Future<Void> steps = forEachPartitioned(report, table -> partitions(connection, table, now, report));
    for (ExpiringRows rows : plan.expiring()) {
      OffsetDateTime cutoff = now.minus(rows.kept()).atOffset(ZoneOffset.UTC);
      steps = steps.compose(v -> step(rows.table(), report, () -> deleteExpired(connection, rows, cutoff, report)
          .compose(deleted -> deleted ? connection.query(rows.vacuum()).execute().mapEmpty() : Future.succeededFuture())));
    }
    return steps.compose(v -> report.skipped() ? Future.succeededFuture() : measureOldestRows(connection, now));
  }

  private Future<Void> forEachPartitioned(RetentionReport report, Function<PartitionedTable, Future<Void>> work) {
    Future<Void> steps = Future.succeededFuture();
    for (PartitionedTable table : plan.partitioned()) {
      steps = steps.compose(v -> step(table.name(), report, () -> work.apply(table)));
    }
    return steps;
  }

  /** A failed step is reported, not fatal: one busy table must not hold back the others. */
  private Future<Void> step(String table, RetentionReport report, Supplier<Future<Void>> work) {
    if (stopped || report.skipped()) {
      return Future.succeededFuture();
    }
    return work.get().recover(failure -> {
      report.failed(table, failure);
      return Future.succeededFuture();
    });
  }

  /**
   * Covers the time from the last partition's upper bound to two widths ahead of now, then drops
   * every partition whose upper bound is past retention, oldest first. Bounds are multiples of the
   * width since the epoch; a gap left while maintenance was off becomes one partition up to the
   * current bound, and so does the time before it of the rows that waited in the DEFAULT partition
   * of a table that had no partition yet ({@link #firstBound}).
   */
  private Future<Void> partitions(SqlConnection connection, PartitionedTable table, Instant now, RetentionReport report) {
    // Making partitions comes first, committed on its own: a drop that times out on a lock must not leave rows to
    // the DEFAULT. Each transaction reads the partitions again under the lock: another replica may have run between.
    return createAhead(connection, table, now, report).compose(v -> dropExpired(connection, table, now, report));
  }

  /** The table's partitions but the DEFAULT one, oldest first. */
  private static Future<RowSet<Row>> existing(SqlConnection connection, PartitionedTable table) {
    return connection.preparedQuery(PartitionedTable.PARTITIONS).execute(Tuple.of(table.name()));
  }

  private Future<Void> createAhead(SqlConnection connection, PartitionedTable table, Instant now, RetentionReport report) {
    return locked(connection, report,
        () -> existing(connection, table).compose(rows -> createdAhead(connection, table, rows, now)))
        .map(created -> committed(created, partition -> {
          report.created(partition);
          metrics.retentionPartitionCreated(table.name());
        }));
  }

  private Future<Void> dropExpired(SqlConnection connection, PartitionedTable table, Instant now, RetentionReport report) {
    return locked(connection, report,
        () -> existing(connection, table).compose(rows -> droppedPastRetention(connection, table, rows, now)))
        .map(dropped -> committed(dropped, partition -> {
          report.dropped(partition);
          metrics.retentionPartitionDropped(table.name());
        }));
  }

  /** Partitions are reported once their transaction committed: one that rolled back changed nothing. Null: skipped. */
  private static Void committed(List<String> partitions, Consumer<String> record) {
    if (partitions != null) {
      partitions.forEach(record);
    }
    return null;
  }

  /** Makes the partitions ahead of the clock; the names of those made. */
  private Future<List<String>> createdAhead(SqlConnection connection, PartitionedTable table, RowSet<Row> rows,
                                            Instant now) {
    Instant covered = null;
    for (Row row : rows) {
      covered = row.getOffsetDateTime("upper").toInstant();
    }
    return (covered == null ? firstBound(connection, table, now) : Future.succeededFuture(covered))
        .compose(first -> createdFrom(connection, table, first, now));
  }

  /**
   * Where a table that has no partition but its DEFAULT one (as its migration made it) starts: at
   * the bound before the oldest row waiting there, so the first run leaves none of them behind, but
   * no further back than retention reaches (older rows leave as {@link PartitionedTable#defaultPartitionRows}).
   */
  private Future<Instant> firstBound(SqlConnection connection, PartitionedTable table, Instant now) {
    Instant currentBound = floor(now);
    Instant reach = floor(now.minus(table.kept()));
    return connection.query(table.oldestWaiting()).execute().map(result -> {
      OffsetDateTime oldest = result.iterator().next().getOffsetDateTime(0);
      if (oldest == null) {
        return currentBound;
      }
      Instant first = floor(oldest.toInstant());
      return first.isBefore(reach) ? reach : first.isAfter(currentBound) ? currentBound : first;
    });
  }

  private Future<List<String>> createdFrom(SqlConnection connection, PartitionedTable table, Instant first, Instant now) {
    Instant currentBound = floor(now);
    List<String> created = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    Instant ahead = now.plus(plan.partitionWidth().multipliedBy(2));
    for (Instant lower = first; lower.isBefore(ahead); ) {
      Instant from = lower;
      Instant to = from.isBefore(currentBound) ? currentBound : floor(from).plus(plan.partitionWidth());
      chain = chain.compose(v -> connection.query(table.create(from, to)).execute())
          .onSuccess(v -> created.add(table.partitionName(from))).mapEmpty();
      lower = to;
    }
    return chain.map(created);
  }

  /** Drops the partitions past retention; the names of those dropped. */
  private Future<List<String>> droppedPastRetention(SqlConnection connection, PartitionedTable table,
                                                    RowSet<Row> rows, Instant now) {
    List<String> dropped = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    Instant cutoff = now.minus(table.kept());
    for (Row row : rows) {
      String partition = row.getString("name");
      if (!row.getOffsetDateTime("upper").toInstant().isAfter(cutoff)) {
        chain = chain.compose(v -> connection.query(table.drop(partition)).execute())
            .onSuccess(v -> dropped.add(partition)).mapEmpty();
      }
    }
    return chain.map(dropped);
  }

  /** Batch after batch, each a transaction, until one comes back short; true when any row was deleted. */
  private Future<Boolean> deleteExpired(SqlConnection connection, ExpiringRows rows, OffsetDateTime cutoff,
                                        RetentionReport report) {
    return locked(connection, report, () -> connection.preparedQuery(rows.deleteBatch())
        .execute(Tuple.of(cutoff, plan.batchRows()))
        .map(result -> result.iterator().next().getLong(0))).compose(batch -> {
      long deleted = batch == null ? 0 : batch;
      if (deleted > 0) {
        report.deleted(rows.table(), deleted);
        metrics.retentionRowsDeleted(rows.table(), deleted);
      }
      return deleted < plan.batchRows() || stopped || report.skipped()
          ? Future.succeededFuture(report.deleted().containsKey(rows.table()))
          : deleteExpired(connection, rows, cutoff, report);
    });
  }

  private Future<Void> measureOldestRows(SqlConnection connection, Instant now) {
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, String> table : plan.oldestRows().entrySet()) {
      chain = chain.compose(v -> connection.query(table.getValue()).execute()).map(rows -> {
        OffsetDateTime oldest = rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime(0);
        oldestRowAges.put(table.getKey(),
            oldest == null ? 0.0 : Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0));
        return null;
      });
    }
    return chain;
  }

  /** The partition bound at or before {@code time}. */
  private Instant floor(Instant time) {
    long width = plan.partitionWidth().toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(time.getEpochSecond(), width) * width);
  }
}
