package io.callbackingress.spi.toolkit;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.function.Function;

/** Reading results back: the first row of a lookup, a JSON column. {@link RowMapper} maps whole objects. */
public final class Rows {

  private Rows() {}

  /** The first row mapped, or null when there is none: a lookup by primary key. */
  public static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
    return rows.rowCount() == 0 ? null : mapper.apply(rows.iterator().next());
  }

  /** A text column that holds a JSON object, as an object (or null). */
  public static JsonObject object(Row row, String column) {
    String text = row.getString(column);
    return text == null ? null : new JsonObject(text);
  }
}
