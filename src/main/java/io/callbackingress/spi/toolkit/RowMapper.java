package io.callbackingress.spi.toolkit;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A stored object as callers read it (SPEC 11a): flat, one key per column, named as the column.
 * UUIDs become their text, timestamps ISO-8601 UTC, and the text columns declared as JSON the
 * object or array they hold; numbers, booleans, other text and nulls stay as they are.
 *
 * <pre>{@code
 * static final RowMapper JOB = RowMapper.of("id", "kind", "status", "metadata", "created_at").json("metadata");
 * ... "SELECT " + JOB.columns() + " FROM tooling_jobs WHERE id = $1" ... Rows.first(rows, JOB::toJson)
 * }</pre>
 */
public final class RowMapper {

  private final List<String> columns;
  private final Set<String> json;

  private RowMapper(List<String> columns, Set<String> json) {
    this.columns = columns;
    this.json = json;
  }

  public static RowMapper of(String... columns) {
    return new RowMapper(List.of(columns), Set.of());
  }

  /** The same columns, of which {@code columns} are text holding JSON. */
  public RowMapper json(String... columns) {
    return new RowMapper(this.columns, Set.of(columns));
  }

  /** The columns, comma-separated, for the {@code SELECT} that feeds {@link #toJson}. */
  public String columns() {
    return String.join(", ", columns);
  }

  /** The mapped columns of {@code row}; any other column the row holds is left out. */
  public JsonObject toJson(Row row) {
    JsonObject object = new JsonObject();
    for (String column : columns) {
      object.put(column, value(column, row.getValue(column)));
    }
    return object;
  }

  private Object value(String column, Object value) {
    if (value instanceof OffsetDateTime time) {
      return time.toInstant().toString();
    }
    if (value instanceof String text && json.contains(column)) {
      return Json.decodeValue(text);
    }
    if (value instanceof UUID uuid) {
      return uuid.toString();
    }
    return value;
  }
}
