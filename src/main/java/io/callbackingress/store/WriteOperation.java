package io.callbackingress.store;

import io.callbackingress.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A named write whose whole input is JSON, so it can wait in the spool while Postgres is away and
 * run later — after a restart too — exactly as it would have run at once (SPEC 7). Anything the
 * write generates (ids) is generated before, into its arguments, so a replay answers what the
 * caller was told.
 *
 * <p>A write should be shaped so its outcomes — created, not found, conflict, stale — come back
 * from {@code RETURNING} and {@code ON CONFLICT} rather than errors, since an error aborts the
 * transaction that other writes share.
 */
public interface WriteOperation {

  Reply QUEUED = Reply.accepted(new JsonObject().put("status", "queued"));

  /** Unique across families: how a spooled write finds its operation again. */
  String name();

  /** Sends the statements on {@code sql} (pipelined with the batch's other writes) and returns the answer. */
  Future<Reply> execute(SqlConnection sql, JsonObject args, WriteContext context);

  /**
   * Runs consecutive writes of this operation from one batch, in order, and answers each. By
   * default each runs on its own; an operation that can do them all in one statement
   * ({@link InsertOperation}) does.
   */
  default Future<List<Reply>> executeAll(SqlConnection sql, List<JsonObject> args, List<WriteContext> contexts) {
    List<Future<Reply>> replies = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      replies.add(execute(sql, args.get(i), contexts.get(i)));
    }
    return Future.all(replies).map(all -> all.list());
  }

  /**
   * The answer, when it is known before the write runs (an insert of a generated id that cannot
   * conflict), so the idempotency key is recorded with it as it is claimed; null otherwise.
   */
  default Reply answerInAdvance(JsonObject args) {
    return null;
  }

  /**
   * The answer while the write waits in the spool: what an insert will answer anyway, or
   * {@code 202 {"status":"queued"}} for a write whose outcome depends on stored state.
   */
  default Reply whenSpooled(JsonObject args) {
    return QUEUED;
  }

  @FunctionalInterface
  interface Executor {
    Future<Reply> execute(SqlConnection sql, JsonObject args, WriteContext context);
  }

  /** A write whose outcome depends on stored state: answered 202 queued while spooled. */
  static WriteOperation of(String name, Executor executor) {
    return of(name, executor, args -> QUEUED);
  }

  /** A write whose spooled answer is {@code whenSpooled}: what it will answer unless stored state says otherwise. */
  static WriteOperation of(String name, Executor executor, Function<JsonObject, Reply> whenSpooled) {
    return new WriteOperation() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<Reply> execute(SqlConnection sql, JsonObject args, WriteContext context) {
        return executor.execute(sql, args, context);
      }

      @Override
      public Reply whenSpooled(JsonObject args) {
        return whenSpooled.apply(args);
      }
    };
  }
}
