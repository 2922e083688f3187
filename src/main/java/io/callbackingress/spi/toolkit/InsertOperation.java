package io.callbackingress.spi.toolkit;

import io.callbackingress.spi.Reply;
import io.callbackingress.spi.WriteContext;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A write that inserts one row under an id generated before it runs, and so cannot conflict: its
 * answer is known in advance (the same while spooled), and the writes of a batch leave as one
 * {@link RowInsert} statement.
 */
public final class InsertOperation<T extends Record> implements WriteOperation<T> {

  private final String name;
  private final Class<T> input;
  private final RowInsert insert;
  private final Function<T, Object[]> row;
  private final BiConsumer<T, WriteContext> events;
  private final Function<T, Reply> answer;

  /**
   * @param row the row's values from the write's input, in the insert's column order
   * @param events the events the stored row produces
   * @param answer the answer, from the input alone
   */
  public InsertOperation(String name, Class<T> input, RowInsert insert, Function<T, Object[]> row,
                         BiConsumer<T, WriteContext> events, Function<T, Reply> answer) {
    this.name = name;
    this.input = input;
    this.insert = insert;
    this.row = row;
    this.events = events;
    this.answer = answer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Class<T> input() {
    return input;
  }

  @Override
  public Future<Reply> execute(SqlConnection sql, T input, WriteContext context) {
    return executeAll(sql, List.of(input), List.of(context)).map(replies -> replies.get(0));
  }

  @Override
  public Future<List<Reply>> executeAll(SqlConnection sql, List<T> inputs, List<WriteContext> contexts) {
    List<Object[]> rows = new ArrayList<>(inputs.size());
    List<Reply> replies = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      T input = inputs.get(i);
      rows.add(row.apply(input));
      // Emitted before the row is stored: the events come from the input alone, and leave in the same transaction.
      events.accept(input, contexts.get(i));
      replies.add(answer.apply(input));
    }
    return sql.preparedQuery(insert.sql()).execute(insert.parameters(rows)).map(inserted -> replies);
  }

  /** True: every event is emitted by the time {@link #executeAll} returns, before the rows are stored. */
  @Override
  public boolean emitsWhenSent() {
    return true;
  }

  @Override
  public Reply answerInAdvance(T input) {
    return answer.apply(input);
  }

  @Override
  public Reply whenSpooled(T input) {
    return answer.apply(input);
  }
}
