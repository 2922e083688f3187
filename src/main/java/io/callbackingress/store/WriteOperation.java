package io.callbackingress.store;

import io.callbackingress.http.Reply;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * One write, run inside a batch's transaction. It should be shaped so that its outcomes — created,
 * not found, conflict, stale — come back from {@code RETURNING} and {@code ON CONFLICT} rather than
 * from errors, since an error aborts the transaction that other writes share.
 */
@FunctionalInterface
public interface WriteOperation {

  /**
   * Sends the statements on {@code connection} (pipelined with the batch's other writes) and
   * returns the answer. Events of the change go to {@code events}, in the same transaction.
   */
  Future<Reply> execute(SqlConnection connection, EventSink events);
}
