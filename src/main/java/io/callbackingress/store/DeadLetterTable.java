package io.callbackingress.store;

import io.callbackingress.spool.DeadLetter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The statements on {@code ingress_dead_letters} (db/core/V1__core.sql), each in a short
 * transaction of its own, so keeping a dead letter never holds up a batch of other writes.
 *
 * <p>Implementation note: the listing's cursor is {@code seq}, drawn when a row is inserted. If two
 * inserts could commit out of order, a reader who had paged past seq 42 would never see 41. The
 * events feed (family/internal/EventFeed) hides rows until no older transaction runs anywhere in
 * the cluster, which a long transaction (a {@code pg_dump}) would stretch for as long as it runs;
 * dead letters are rare, so inserts are serialized instead: each takes a transaction-scoped
 * advisory lock before it draws its seq, and rows commit in seq order. The lock is taken per
 * transaction, so it holds behind a transaction-pooling PgBouncer too.
 */
final class DeadLetterTable {

  /** ON CONFLICT: a move from a replica's file that was cut short and is repeated stores each once. */
  private static final String INSERT = "INSERT INTO ingress_dead_letters"
      + " (id, family, operation, request_id, received_at, dead_lettered_at, reason, write)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING";
  /** The ASCII bytes of "deadlett": what every replica's inserts of dead letters queue on. */
  private static final long INSERT_LOCK = 0x646561646c657474L;
  private static final String SERIALIZE = "SELECT pg_advisory_xact_lock(" + INSERT_LOCK + ")";
  private static final String PAGE = "SELECT id, seq, family, operation, request_id, received_at, dead_lettered_at,"
      + " reason, write FROM ingress_dead_letters"
      + " WHERE seq > $1 AND ($3::text IS NULL OR family = $3)"
      + " ORDER BY seq LIMIT $2";
  private static final String FIND = "SELECT operation, write FROM ingress_dead_letters WHERE id = $1";
  static final String DELETE = "DELETE FROM ingress_dead_letters WHERE id = $1";
  private static final String COUNT = "SELECT family, count(*) AS kept FROM ingress_dead_letters GROUP BY family";

  private final Pool sql;

  DeadLetterTable(Pool sql) {
    this.sql = sql;
  }

  /** In one transaction, in seq order behind every other replica's inserts (see the class notes). */
  Future<Void> insert(List<DeadLetter> deadLetters) {
    List<Tuple> rows = deadLetters.stream().map(DeadLetterTable::row).toList();
    return sql.withTransaction(tx -> tx.query(SERIALIZE).execute()
        .compose(locked -> tx.preparedQuery(INSERT).executeBatch(rows))).mapEmpty();
  }

  /** {@code {"items":[...],"next":"<cursor>"}}: see {@code DeadLetterOperations.page}. */
  Future<JsonObject> page(Long after, int limit, String family) {
    long from = after == null ? 0 : after;
    return sql.preparedQuery(PAGE).execute(Tuple.of(from, limit, family)).map(rows -> {
      JsonArray items = new JsonArray();
      long next = from;
      for (Row row : rows) {
        items.add(item(row));
        next = row.getLong("seq");
      }
      return new JsonObject().put("items", items).put("next", Long.toString(next));
    });
  }

  /** The spooled payload of a dead letter, or null when there is none with that id. */
  Future<Buffer> write(UUID id) {
    return sql.preparedQuery(FIND).execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getBuffer("write"));
  }

  /** Whether there was one to delete. */
  Future<Boolean> delete(UUID id) {
    return sql.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
  }

  /** How many are kept, by family (null for those whose operation no enabled family had). */
  Future<Map<String, Long>> countByFamily() {
    return sql.query(COUNT).execute().map(rows -> {
      Map<String, Long> counts = new HashMap<>();
      rows.forEach(row -> counts.put(row.getString("family"), row.getLong("kept")));
      return counts;
    });
  }

  private static Tuple row(DeadLetter deadLetter) {
    return Tuple.tuple()
        .addUUID(deadLetter.id())
        .addString(deadLetter.family())
        .addString(deadLetter.operation())
        .addString(deadLetter.requestId())
        .addOffsetDateTime(deadLetter.receivedAt().atOffset(ZoneOffset.UTC))
        .addOffsetDateTime(deadLetter.deadLetteredAt().atOffset(ZoneOffset.UTC))
        .addString(deadLetter.reason())
        .addBuffer(Buffer.buffer(deadLetter.write()));
  }

  private static JsonObject item(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("family", row.getString("family"))
        .put("operation", row.getString("operation"))
        .put("request_id", row.getString("request_id"))
        .put("received_at", row.getOffsetDateTime("received_at").toInstant().toString())
        .put("dead_lettered_at", row.getOffsetDateTime("dead_lettered_at").toInstant().toString())
        .put("reason", row.getString("reason"))
        .put("write", DeadLetterView.write(row.getBuffer("write")));
  }
}
