package io.callbackingress.spi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.function.Function;

/** Turns stored columns back into the JSON callers read (SPEC 11a: flat objects, ISO-8601 UTC). */
public final class Rows {

  private Rows() {}

  /** The first row mapped, or null when there is none: a lookup by primary key. */
  public static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
    return rows.rowCount() == 0 ? null : mapper.apply(rows.iterator().next());
  }

  public static String iso(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }

  /** A text column that holds a JSON object, as an object (or null). */
  public static JsonObject object(Row row, String column) {
    String text = row.getString(column);
    return text == null ? null : new JsonObject(text);
  }

  /** A text column that holds a JSON array, as an array (or null). */
  public static JsonArray array(Row row, String column) {
    String text = row.getString(column);
    return text == null ? null : new JsonArray(text);
  }
}
