package io.callbackingress.store;

import io.callbackingress.spi.MetricsCollector;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link #INTERVAL_MS}: moves the dead letters this replica kept in its spool while Postgres
 * was away into Postgres, then reads how many Postgres keeps, by family, for the
 * {@code ingress_dead_letters{family}} gauge — one {@code GROUP BY} on a table that only holds what
 * an operator has not dealt with yet, rather than a query per scrape. Every replica reports the
 * same counts (they are all in one table); while Postgres is away the gauge keeps its last values.
 */
public final class DeadLetterUpkeep extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterUpkeep.class);
  /** Well within Prometheus's default 15 s scrape, and soon after Postgres is back for the move. */
  static final long INTERVAL_MS = 5_000;
  /** The label of dead letters whose operation no enabled family has (a family switched off since). */
  static final String NO_FAMILY = "unknown";

  private final DeadLetterShelf shelf;
  private final DeadLetterTable table;
  private final MetricsCollector metrics;
  private final Map<String, AtomicLong> kept = new ConcurrentHashMap<>();
  private long timer = -1;
  private boolean running;

  /** @param families the families that have write operations: each has a gauge from the start, at 0 */
  public DeadLetterUpkeep(DeadLetterShelf shelf, Pool sql, MetricsCollector metrics, Collection<String> families) {
    this.shelf = shelf;
    this.table = new DeadLetterTable(sql);
    this.metrics = metrics;
    families.forEach(this::gauge);
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(0, INTERVAL_MS, id -> run());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** A round that outlasts the interval (Postgres slow to refuse a connection) is not overlapped. */
  private void run() {
    if (running) {
      return;
    }
    running = true;
    shelf.moveLocal()
        .onFailure(failure -> log.warn("dead letters stay in the spool's dead-letters.jsonl for now: {}", failure.toString()))
        .eventually(() -> table.countByFamily().onSuccess(this::update))
        .onComplete(done -> running = false);
  }

  private void update(Map<String, Long> counts) {
    Map<String, Long> byLabel = new HashMap<>();
    counts.forEach((family, count) -> byLabel.put(family == null ? NO_FAMILY : family, count));
    byLabel.keySet().forEach(this::gauge);
    kept.forEach((family, count) -> count.set(byLabel.getOrDefault(family, 0L)));
  }

  private AtomicLong gauge(String family) {
    return kept.computeIfAbsent(family, name -> {
      AtomicLong count = new AtomicLong();
      metrics.gauge("ingress.dead.letters", "family", name, count::get);
      return count;
    });
  }
}
