package io.callbackingress.family.testruns;

import io.callbackingress.spi.toolkit.RowInsert;
import io.callbackingress.spi.toolkit.RowMapper;
import io.callbackingress.spi.toolkit.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** The test_runs family's SQL. */
final class TestRunStore {

  static final RowInsert INSERT = RowInsert.into("test_runs", RowInsert.uuid("id"), RowInsert.text("submission_uuid"),
      RowInsert.text("track_slug"), RowInsert.text("exercise_slug"), RowInsert.text("user_handle"), RowInsert.text("status"),
      RowInsert.text("tests"), RowInsert.bigint("duration_ms"), RowInsert.text("output"));
  /** Changes the run only where a sent field differs (SPEC 11a: what changes nothing is no event). */
  private static final String UPDATE = """
      WITH previous AS (SELECT status FROM test_runs WHERE id = $1),
      updated AS (
        UPDATE test_runs
           SET status = COALESCE($2, status), tests = COALESCE($3, tests),
               duration_ms = COALESCE($4, duration_ms), output = COALESCE($5, output), updated_at = now()
         WHERE id = $1
           AND (status IS DISTINCT FROM COALESCE($2, status) OR tests IS DISTINCT FROM COALESCE($3, tests)
                OR duration_ms IS DISTINCT FROM COALESCE($4, duration_ms) OR output IS DISTINCT FROM COALESCE($5, output))
        RETURNING status)
      SELECT COALESCE(updated.status, previous.status) AS status, updated.status IS NOT NULL AS changed
        FROM previous LEFT JOIN updated ON true""";
  /** A stored run as callers read it. */
  private static final RowMapper RUN = RowMapper.of("id", "submission_uuid", "track_slug", "exercise_slug", "user_handle",
      "status", "tests", "duration_ms", "output", "created_at", "updated_at").json("tests");
  private static final String FIND = "SELECT " + RUN.columns() + " FROM test_runs WHERE id = $1";

  private TestRunStore() {}

  /** The run's values in {@link #INSERT}'s column order. */
  static Object[] row(TestRunRequests.Submission run) {
    return new Object[] {UUID.fromString(run.id()), run.submissionUuid(), run.trackSlug(), run.exerciseSlug(),
        run.userHandle(), run.status(), run.tests() == null ? null : run.tests().encode(), run.durationMs(), run.output()};
  }

  /** What a PATCH did to a run: its status afterwards, and whether any field changed. */
  record Updated(String status, boolean changed) {}

  /** The outcome of the update, or null when there is no such run. */
  static Future<Updated> update(SqlClient sql, UUID id, TestRunRequests.Update update) {
    return sql.preparedQuery(UPDATE)
        .execute(Tuple.of(id, update.status(), update.tests() == null ? null : update.tests().encode(),
            update.durationMs(), update.output()))
        .map(rows -> Rows.first(rows, row -> new Updated(row.getString("status"), row.getBoolean("changed"))));
  }

  static Future<JsonObject> find(SqlClient sql, UUID id) {
    return sql.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> Rows.first(rows, RUN::toJson));
  }
}
