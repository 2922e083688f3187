package io.callbackingress.family.tooling;

import io.callbackingress.spi.toolkit.RowMapper;
import io.callbackingress.spi.toolkit.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** The tooling family's SQL, each statement behind a method named for what it does. */
final class ToolingJobStore {

  private static final String REGISTER = """
      INSERT INTO tooling_jobs (id, kind, status, metadata, submission_uuid)
      VALUES ($1, $2, 'pending', $3, $4)
      ON CONFLICT (id) DO NOTHING
      RETURNING id""";

  /**
   * One statement: locks the job, applies the update unless the job is terminal, and returns the
   * job as it was, so the caller can tell 404, 409, identical and changed apart without an error.
   */
  private static final String UPDATE = """
      WITH before AS (
        SELECT id, status, output, metadata FROM tooling_jobs WHERE id = $1 FOR UPDATE),
      changed AS (
        UPDATE tooling_jobs job
           SET status = $2,
               output = COALESCE($3, job.output),
               metadata = CASE WHEN $4::text IS NULL THEN job.metadata
                               ELSE (job.metadata::jsonb || $4::jsonb)::text END,
               updated_at = now()
          FROM before
         WHERE job.id = before.id AND before.status NOT IN ('completed', 'failed', 'cancelled')
        RETURNING job.id)
      SELECT before.status, before.output, before.metadata, EXISTS (SELECT 1 FROM changed) AS applied
        FROM before""";

  private static final RowMapper JOB = RowMapper.of("id", "kind", "status", "output", "metadata", "submission_uuid",
      "created_at", "updated_at").json("metadata");
  private static final String FIND = "SELECT " + JOB.columns() + " FROM tooling_jobs WHERE id = $1";

  private ToolingJobStore() {}

  /** True when the job was created, false when its id was taken. */
  static Future<Boolean> register(SqlClient sql, ToolingJobRequests.Registration job) {
    return sql.preparedQuery(REGISTER)
        .execute(Tuple.of(job.id(), job.kind(), job.metadata().encode(), job.submissionUuid()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The job before the update (null when unknown) and whether the update was applied. */
  static Future<Outcome> update(SqlClient sql, ToolingJobRequests.Update update) {
    return sql.preparedQuery(UPDATE)
        .execute(Tuple.of(update.id(), update.status(), update.output(), update.metadata() == null ? null : update.metadata().encode()))
        .map(rows -> Rows.first(rows, row -> new Outcome(row.getString("status"), row.getString("output"),
            Rows.object(row, "metadata"), row.getBoolean("applied"))));
  }

  record Outcome(String previousStatus, String previousOutput, JsonObject previousMetadata, boolean applied) {}

  static Future<JsonObject> find(SqlClient sql, String id) {
    return sql.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> Rows.first(rows, JOB::toJson));
  }
}
