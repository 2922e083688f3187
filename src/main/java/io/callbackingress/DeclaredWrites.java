package io.callbackingress;

import io.callbackingress.spi.Call;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.WriteOperation;
import io.callbackingress.spi.Writer;
import io.vertx.core.Future;

/**
 * The writer the families are given: it runs a write only when the calling family declared its
 * operation in {@link EndpointFamily#operations()}, the list a replay finds operations in by name.
 *
 * <p>Why this exists: an operation left out of that list writes as usual while Postgres is up,
 * and fails only when a write of it waited in the spool — as a dead letter after an outage, long
 * after the change that forgot it. Refused here, before it is queued, the omission fails the
 * first request that makes such a write, with a 500 whose logged cause names the family and the
 * operation; nothing is stored or spooled. A family cannot run another family's operation either:
 * a dead letter is filed under the family that declared it.
 */
final class DeclaredWrites implements Writer {

  private final Writer writer;
  private final WriteOperations operations;

  DeclaredWrites(Writer writer, WriteOperations operations) {
    this.writer = writer;
    this.operations = operations;
  }

  @Override
  public <T extends Record> Future<Reply> write(Call call, WriteOperation<T> operation, T input) {
    if (!operations.declares(call.family(), operation)) {
      return Future.failedFuture(new IllegalStateException("the family \"" + call.family()
          + "\" wrote the operation \"" + operation.name() + "\", which is not among its operations():"
          + " refused, neither stored nor spooled"));
    }
    return writer.write(call, operation, input);
  }
}
