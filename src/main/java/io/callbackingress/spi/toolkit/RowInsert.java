package io.callbackingress.spi.toolkit;

import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Array;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One {@code INSERT} for any number of rows: each column travels as one array parameter and
 * Postgres unnests them, so a batch of rows is one statement with one cached plan.
 */
public final class RowInsert {

  /** A column, the Postgres array type its values are sent as, and the Java type of one value. */
  public record Column(String name, String arrayType, Class<?> javaType) {}

  public static Column uuid(String name) {
    return new Column(name, "uuid[]", UUID.class);
  }

  public static Column text(String name) {
    return new Column(name, "text[]", String.class);
  }

  public static Column bigint(String name) {
    return new Column(name, "int8[]", Long.class);
  }

  public static Column doublePrecision(String name) {
    return new Column(name, "float8[]", Double.class);
  }

  /** A jsonb column, its values sent as JSON text. */
  public static Column jsonb(String name) {
    return new Column(name, "text[]::jsonb[]", String.class);
  }

  private final List<Column> columns;
  private final String sql;

  private RowInsert(String table, List<Column> columns) {
    this.columns = columns;
    this.sql = "INSERT INTO " + table + " (" + columns.stream().map(Column::name).collect(Collectors.joining(", "))
        + ") SELECT * FROM unnest(" + IntStream.range(0, columns.size())
            .mapToObj(i -> "$" + (i + 1) + "::" + columns.get(i).arrayType())
            .collect(Collectors.joining(", ")) + ")";
  }

  public static RowInsert into(String table, Column... columns) {
    return new RowInsert(table, List.of(columns));
  }

  public String sql() {
    return sql;
  }

  /** The parameters for {@code rows}, each row's values in column order. */
  public Tuple parameters(List<Object[]> rows) {
    Object[] arrays = new Object[columns.size()];
    for (int c = 0; c < arrays.length; c++) {
      Object array = Array.newInstance(columns.get(c).javaType(), rows.size());
      for (int r = 0; r < rows.size(); r++) {
        Array.set(array, r, rows.get(r)[c]);
      }
      arrays[c] = array;
    }
    return Tuple.from(arrays);
  }
}
