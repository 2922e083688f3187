package io.callbackingress.spi;

import io.vertx.core.Future;

/**
 * The durable write path of one event loop (SPEC 7). Writes that arrive together are committed
 * together; idempotency keys are claimed and answers recorded in the same transaction. While
 * Postgres is unreachable, writes go to the spool and are answered once fsynced. Implemented by
 * the ingress; call it only on its loop.
 */
public interface Writer {

  /**
   * Runs {@code operation} with {@code input} in this loop's next batch. The future completes when
   * the write is durable — committed, or fsynced to the spool — with the answer the operation
   * produced, the one recorded for the call's idempotency key, or the operation's spooled answer.
   * It fails at once, running nothing, when {@code operation} is not one of the calling family's
   * {@link EndpointFamily#operations()}: such a write could not be replayed from the spool.
   */
  <T extends Record> Future<Reply> write(Call call, WriteOperation<T> operation, T input);
}
