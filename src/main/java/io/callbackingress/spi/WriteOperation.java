package io.callbackingress.spi;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A named write of a typed input, a record, that can wait in the spool while Postgres is away
 * and run later — after a restart too — exactly as it would have run at once (SPEC 7): its input
 * is kept as JSON ({@link #input()}). Anything the write generates (ids) is generated before, into
 * its input, so a replay answers what the caller was told.
 *
 * <p>A write should be shaped so its outcomes — created, not found, conflict, stale — come back
 * from {@code RETURNING} and {@code ON CONFLICT} rather than errors, since an error aborts the
 * transaction that other writes share.
 *
 * @param <T> the input
 */
public interface WriteOperation<T extends Record> {

  Reply QUEUED = Reply.accepted(new JsonObject().put("status", "queued"));

  /**
   * Unique across families: how a spooled write finds its operation again, so it is kept as long
   * as a spool may hold writes of it.
   */
  String name();

  /**
   * The input's type. A spooled write keeps it as a JSON object with one key per component, named
   * in snake_case ({@code submissionUuid} → {@code submission_uuid}); components may be strings,
   * boxed numbers and booleans, {@code JsonObject}, {@code JsonArray} and {@code byte[]} (base64).
   * Any other component stops start-up. Renaming a component changes what a spool written by an
   * earlier version holds: add components, do not rename them.
   */
  Class<T> input();

  /**
   * Sends the statements on {@code sql} (pipelined with the batch's other writes, in the batch's
   * transaction) and returns the answer. Runs on the writer's event loop: must not block, and must
   * not commit, roll back or close {@code sql}.
   */
  Future<Reply> execute(SqlConnection sql, T input, WriteContext context);

  /**
   * Runs consecutive writes of this operation from one batch, in order, and answers each. By
   * default each runs on its own; an operation that can do them all in one statement
   * ({@link io.callbackingress.spi.toolkit.InsertOperation}) does.
   */
  default Future<List<Reply>> executeAll(SqlConnection sql, List<T> inputs, List<WriteContext> contexts) {
    List<Future<Reply>> replies = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      replies.add(execute(sql, inputs.get(i), contexts.get(i)));
    }
    return Future.all(replies).map(all -> all.list());
  }

  /**
   * The answer, when it is known before the write runs (an insert of a generated id that cannot
   * conflict), so the idempotency key is recorded with it as it is claimed; null otherwise.
   */
  default Reply answerInAdvance(T input) {
    return null;
  }

  /**
   * True when {@link #executeAll} has emitted every event of its writes by the time it returns,
   * before any statement is answered (events that follow from the input alone). The batch's events
   * and COMMIT then leave with the writes: one round trip to Postgres instead of two. False by
   * default, which is always correct.
   */
  default boolean emitsWhenSent() {
    return false;
  }

  /**
   * The answer while the write waits in the spool: what an insert will answer anyway, or
   * {@code 202 {"status":"queued"}} for a write whose outcome depends on stored state.
   */
  default Reply whenSpooled(T input) {
    return QUEUED;
  }

  @FunctionalInterface
  interface Executor<T> {
    Future<Reply> execute(SqlConnection sql, T input, WriteContext context);
  }

  /** A write whose outcome depends on stored state: answered 202 queued while spooled. */
  static <T extends Record> WriteOperation<T> of(String name, Class<T> input, Executor<T> executor) {
    return of(name, input, executor, args -> QUEUED);
  }

  /** A write whose spooled answer is {@code whenSpooled}: what it will answer unless stored state says otherwise. */
  static <T extends Record> WriteOperation<T> of(String name, Class<T> input, Executor<T> executor,
                                                 Function<T, Reply> whenSpooled) {
    return new StateDependentWrite<>(name, input, executor, whenSpooled);
  }
}
