package io.callbackingress.store;

import io.callbackingress.spi.IdempotencyKey;
import io.callbackingress.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The idempotency keys of a batch (SPEC 6), kept in Postgres in the batch's own transaction, so a
 * key and its write are durable together or not at all. Each step is one statement for the
 * whole batch, whatever its size: claim every key, record the answers not known in advance, and
 * look up the keys that were taken before.
 */
final class IdempotencyLedger {

  /**
   * A key is claimed when it is new or its earlier claim has expired; an answer known in advance
   * is stored with the claim, so such writes need no second statement.
   */
  private static final String CLAIM = """
      INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, expires_at)
      SELECT scope, key, fingerprint, status, body, now() + make_interval(secs => $6)
        FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS claim(scope, key, fingerprint, status, body)
      ON CONFLICT (scope, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, body = EXCLUDED.body,
            expires_at = EXCLUDED.expires_at
        WHERE idempotency_keys.expires_at < now()
      RETURNING scope, key""";
  private static final String RECORD = """
      UPDATE idempotency_keys AS k SET status = answer.status, body = answer.body
        FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS answer(scope, key, status, body)
       WHERE k.scope = answer.scope AND k.key = answer.key""";
  private static final String FIND = """
      SELECT k.scope, k.key, k.fingerprint, k.status, k.body
        FROM idempotency_keys AS k
        JOIN unnest($1::text[], $2::text[]) AS wanted(scope, key) ON k.scope = wanted.scope AND k.key = wanted.key""";

  private final int ttlSeconds;

  IdempotencyLedger(int ttlSeconds) {
    this.ttlSeconds = ttlSeconds;
  }

  /**
   * Claims the keys, each with its answer if known in advance (or null); true for each key this
   * batch now owns. A key that appears twice is claimed once, by its first write.
   */
  Future<boolean[]> claim(SqlConnection sql, List<IdempotencyKey> keys, List<Reply> answers) {
    int n = keys.size();
    boolean[] claimed = new boolean[n];
    if (n == 0) {
      return Future.succeededFuture(claimed);
    }
    Map<KeyId, Integer> first = new HashMap<>(n * 2);
    String[] scopes = new String[n];
    String[] names = new String[n];
    String[] fingerprints = new String[n];
    Integer[] statuses = new Integer[n];
    String[] bodies = new String[n];
    int rows = 0;
    for (int i = 0; i < n; i++) {
      IdempotencyKey key = keys.get(i);
      if (first.putIfAbsent(new KeyId(key.scope(), key.key()), i) != null) {
        continue;
      }
      Reply answer = answers.get(i);
      scopes[rows] = key.scope();
      names[rows] = key.key();
      fingerprints[rows] = key.fingerprint();
      statuses[rows] = answer == null ? null : answer.status();
      bodies[rows] = answer == null ? null : answer.body().encode();
      rows++;
    }
    // Tuple.from, not Tuple.of: varargs would spread an array parameter into parameters of its own.
    Tuple arrays = Tuple.from(new Object[] {trim(scopes, rows), trim(names, rows), trim(fingerprints, rows),
        trim(statuses, rows), trim(bodies, rows), ttlSeconds});
    return sql.preparedQuery(CLAIM).execute(arrays).map(returned -> {
      for (Row row : returned) {
        claimed[first.get(new KeyId(row.getString(0), row.getString(1)))] = true;
      }
      return claimed;
    });
  }

  /** Stores the answers of claimed keys whose answer was not known in advance. */
  Future<Void> record(SqlConnection sql, List<IdempotencyKey> keys, List<Reply> answers) {
    int n = keys.size();
    if (n == 0) {
      return Future.succeededFuture();
    }
    String[] scopes = new String[n];
    String[] names = new String[n];
    Integer[] statuses = new Integer[n];
    String[] bodies = new String[n];
    for (int i = 0; i < n; i++) {
      scopes[i] = keys.get(i).scope();
      names[i] = keys.get(i).key();
      statuses[i] = answers.get(i).status();
      bodies[i] = answers.get(i).body().encode();
    }
    return sql.preparedQuery(RECORD).execute(Tuple.from(new Object[] {scopes, names, statuses, bodies})).mapEmpty();
  }

  /** The answers to keys taken before (SPEC 6): a replay, a reuse with another body, or still in progress. */
  Future<List<Reply>> earlier(SqlConnection sql, List<IdempotencyKey> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] scopes = keys.stream().map(IdempotencyKey::scope).toArray(String[]::new);
    String[] names = keys.stream().map(IdempotencyKey::key).toArray(String[]::new);
    return sql.preparedQuery(FIND).execute(Tuple.from(new Object[] {scopes, names})).map(rows -> {
      Map<KeyId, Row> stored = new HashMap<>();
      for (Row row : rows) {
        stored.put(new KeyId(row.getString("scope"), row.getString("key")), row);
      }
      return keys.stream().map(key -> earlier(key, stored.get(new KeyId(key.scope(), key.key())))).toList();
    });
  }

  private static Reply earlier(IdempotencyKey key, Row stored) {
    if (stored == null) {
      // Claimed by a transaction that has not committed yet, then gone with its rollback.
      return new Reply(409, new JsonObject().put("error", "A request with this Idempotency-Key is in progress"));
    }
    if (!key.fingerprint().equals(stored.getString("fingerprint"))) {
      return new Reply(422, new JsonObject().put("error", "Idempotency-Key reused with a different payload"));
    }
    Integer status = stored.getInteger("status");
    if (status == null) {
      return new Reply(409, new JsonObject().put("error", "A request with this Idempotency-Key is in progress"));
    }
    return new Reply(status, new JsonObject(stored.getString("body")), true);
  }

  private static <T> T[] trim(T[] values, int length) {
    return length == values.length ? values : Arrays.copyOf(values, length);
  }

  private record KeyId(String scope, String key) {}
}
