package io.callbackingress.spi;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/** What {@link WriteOperation#of} makes: a write run by its executor, answered {@code whenSpooled} while spooled. */
record StateDependentWrite<T extends Record>(String name, Class<T> input, WriteOperation.Executor<T> executor,
                                             Function<T, Reply> spooledAnswer) implements WriteOperation<T> {

  @Override
  public Future<Reply> execute(SqlConnection sql, T input, WriteContext context) {
    return executor.execute(sql, input, context);
  }

  @Override
  public Reply whenSpooled(T input) {
    return spooledAnswer.apply(input);
  }
}
