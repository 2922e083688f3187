package io.callbackingress.store;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.WriteContext;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * A dead letter's write replayed by an operator (SPEC 16): the write, preceded in its transaction
 * by the removal of the dead letter, so that the write is stored and the dead letter gone
 * together, or neither. The removal goes first and locks the row: a concurrent replay or discard
 * of the same dead letter waits for this transaction, then finds nothing to remove and fails with
 * 404, which rolls its own transaction back.
 */
final class ClearingWrite<T extends Record> implements WriteOperation<T> {

  private final WriteOperation<T> write;
  private final UUID deadLetter;
  private boolean ran;

  ClearingWrite(WriteOperation<T> write, UUID deadLetter) {
    this.write = write;
    this.deadLetter = deadLetter;
  }

  /**
   * False when the write did not run because its idempotency key was taken before: it was stored
   * then, and the dead letter is left to remove.
   */
  boolean ran() {
    return ran;
  }

  @Override
  public String name() {
    return write.name();
  }

  @Override
  public Class<T> input() {
    return write.input();
  }

  @Override
  public Future<Reply> execute(SqlConnection sql, T input, WriteContext context) {
    return executeAll(sql, List.of(input), List.of(context)).map(replies -> replies.get(0));
  }

  @Override
  public Future<List<Reply>> executeAll(SqlConnection sql, List<T> inputs, List<WriteContext> contexts) {
    ran = true;
    Future<Void> removed = sql.preparedQuery(DeadLetterTable.DELETE).execute(Tuple.of(deadLetter))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(ApiException.notFound()));
    Future<List<Reply>> replies = write.executeAll(sql, inputs, contexts);
    return Future.all(removed, replies).map(both -> replies.result());
  }

  @Override
  public Reply answerInAdvance(T input) {
    return write.answerInAdvance(input);
  }

  @Override
  public Reply whenSpooled(T input) {
    return write.whenSpooled(input);
  }
}
