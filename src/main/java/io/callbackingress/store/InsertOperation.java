package io.callbackingress.store;

import io.callbackingress.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
public final class InsertOperation implements WriteOperation {

  private final String name;
  private final RowInsert insert;
  private final Function<JsonObject, Object[]> row;
  private final BiConsumer<JsonObject, WriteContext> events;
  private final Function<JsonObject, Reply> answer;

  /**
   * @param row the row's values from the write's arguments, in the insert's column order
   * @param events the events the stored row produces
   * @param answer the answer, from the arguments alone
   */
  public InsertOperation(String name, RowInsert insert, Function<JsonObject, Object[]> row,
                         BiConsumer<JsonObject, WriteContext> events, Function<JsonObject, Reply> answer) {
    this.name = name;
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
  public Future<Reply> execute(SqlConnection sql, JsonObject args, WriteContext context) {
    return executeAll(sql, List.of(args), List.of(context)).map(replies -> replies.get(0));
  }

  @Override
  public Future<List<Reply>> executeAll(SqlConnection sql, List<JsonObject> args, List<WriteContext> contexts) {
    List<Object[]> rows = new ArrayList<>(args.size());
    for (JsonObject write : args) {
      rows.add(row.apply(write));
    }
    return sql.preparedQuery(insert.sql()).execute(insert.parameters(rows)).map(inserted -> {
      List<Reply> replies = new ArrayList<>(args.size());
      for (int i = 0; i < args.size(); i++) {
        events.accept(args.get(i), contexts.get(i));
        replies.add(answer.apply(args.get(i)));
      }
      return replies;
    });
  }

  @Override
  public Reply answerInAdvance(JsonObject args) {
    return answer.apply(args);
  }

  @Override
  public Reply whenSpooled(JsonObject args) {
    return answer.apply(args);
  }
}
