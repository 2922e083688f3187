package io.callbackingress.family.analytics;

import io.callbackingress.spi.toolkit.RowMapper;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** The analytics family's SQL: read-only aggregates over test_runs and ai_analyses. */
final class AnalyticsStore {

  /**
   * A stored test run as {@code GET /spi/test_runs/:id} answers it (SPEC 3.6): the analytics views
   * read the table, not the test_runs family, so its columns are named here too.
   */
  private static final RowMapper RUN = RowMapper.of("id", "submission_uuid", "track_slug", "exercise_slug", "user_handle",
      "status", "tests", "duration_ms", "output", "created_at", "updated_at").json("tests");
  /** The window count is taken before LIMIT, so one index scan answers both the latest run and the total. */
  private static final String LATEST_RUN = "SELECT " + RUN.columns() + ", count(*) OVER () AS runs"
      + " FROM test_runs WHERE track_slug = $1 AND exercise_slug = $2 AND user_handle = $3"
      + " ORDER BY created_at DESC LIMIT 1";
  private static final String RUNS_BY_STATUS = """
      SELECT status, count(*) AS runs, sum(duration_ms)::bigint AS duration_sum, count(duration_ms) AS timed
        FROM test_runs WHERE track_slug = $1 GROUP BY status""";
  private static final String ANALYSES = "SELECT count(*) AS analyses FROM ai_analyses WHERE track_slug = $1";
  /**
   * The most frequent first, ties by name so the order is stable; capped because an exercise with a
   * long tail of one-off patterns would otherwise grow the answer without bound.
   */
  private static final String PATTERNS = """
      SELECT pattern, count(*) AS occurrences
        FROM ai_analyses, jsonb_array_elements_text(patterns) AS pattern
       WHERE exercise_slug = $1
       GROUP BY pattern
       ORDER BY occurrences DESC, pattern
       LIMIT 1000""";

  private AnalyticsStore() {}

  /** The latest run of one solution with the number of runs it has, or null when it has none. */
  static Future<JsonObject> latestRun(SqlClient sql, String track, String exercise, String user) {
    return sql.preparedQuery(LATEST_RUN).execute(Tuple.of(track, exercise, user)).map(rows -> {
      if (rows.rowCount() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new JsonObject()
          .put("track_slug", track)
          .put("exercise_slug", exercise)
          .put("user_handle", user)
          .put("latest_test_run", RUN.toJson(row))
          .put("test_runs_count", row.getLong("runs"));
    });
  }

  /** {@code {"total","by_status","avg_duration_ms"}}; the average counts only runs that reported a duration. */
  static Future<JsonObject> runsOfTrack(SqlClient sql, String track) {
    return sql.preparedQuery(RUNS_BY_STATUS).execute(Tuple.of(track)).map(rows -> {
      long total = 0;
      long durationSum = 0;
      long timed = 0;
      JsonObject byStatus = new JsonObject();
      for (Row row : rows) {
        long runs = row.getLong("runs");
        byStatus.put(row.getString("status"), runs);
        total += runs;
        timed += row.getLong("timed");
        if (row.getLong("duration_sum") != null) {
          durationSum += row.getLong("duration_sum");
        }
      }
      return new JsonObject()
          .put("total", total)
          .put("by_status", byStatus)
          .put("avg_duration_ms", timed == 0 ? null : (double) durationSum / timed);
    });
  }

  static Future<Long> analysesOfTrack(SqlClient sql, String track) {
    return sql.preparedQuery(ANALYSES).execute(Tuple.of(track))
        .map(rows -> rows.iterator().next().getLong("analyses"));
  }

  static Future<JsonArray> patternsOfExercise(SqlClient sql, String exercise) {
    return sql.preparedQuery(PATTERNS).execute(Tuple.of(exercise)).map(rows -> {
      JsonArray patterns = new JsonArray();
      for (Row row : rows) {
        patterns.add(new JsonObject().put("pattern", row.getString("pattern")).put("count", row.getLong("occurrences")));
      }
      return patterns;
    });
  }
}
