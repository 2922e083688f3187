package io.callbackingress.family.video;

import io.callbackingress.spi.toolkit.RowMapper;
import io.callbackingress.spi.toolkit.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** The video_production family's SQL. */
final class VideoNodeStore {

  /** Registers or re-registers: a new process supersedes whatever the node was doing. */
  private static final String REGISTER = """
      INSERT INTO video_nodes (node_uuid, executor_type, status, process_uuid)
      VALUES ($1, $2, 'in_progress', $3)
      ON CONFLICT (node_uuid) DO UPDATE
        SET executor_type = EXCLUDED.executor_type, status = 'in_progress', process_uuid = EXCLUDED.process_uuid,
            result = NULL, error = NULL, error_type = NULL, updated_at = now()
      RETURNING (xmax = 0) AS inserted""";

  /**
   * One statement: locks the node, applies the callback only if the node still waits for this
   * process, and returns the node as it was, so stale and unknown come back as data.
   */
  private static final String COMPLETE = """
      WITH node AS (
        SELECT node_uuid, status, process_uuid FROM video_nodes WHERE node_uuid = $1 FOR UPDATE),
      applied AS (
        UPDATE video_nodes v
           SET status = $3, result = $4, error = $5, error_type = $6, updated_at = now()
          FROM node
         WHERE v.node_uuid = node.node_uuid AND node.status = 'in_progress'
           AND ($2::text IS NULL OR node.process_uuid = $2)
        RETURNING v.node_uuid)
      SELECT node.status, node.process_uuid, EXISTS (SELECT 1 FROM applied) AS applied FROM node""";

  private static final RowMapper NODE = RowMapper.of("node_uuid", "executor_type", "status", "process_uuid", "result",
      "error", "error_type", "updated_at").json("result");
  private static final String FIND = "SELECT " + NODE.columns() + " FROM video_nodes WHERE node_uuid = $1";

  private VideoNodeStore() {}

  /** True when the node is new, false when it was re-registered. */
  static Future<Boolean> register(SqlClient sql, VideoRequests.Registration node) {
    return sql.preparedQuery(REGISTER)
        .execute(Tuple.of(node.nodeUuid(), node.executorType(), node.processUuid()))
        .map(rows -> rows.iterator().next().getBoolean("inserted"));
  }

  record Completion(String previousStatus, String currentProcess, boolean applied) {}

  /** Null when the node is unknown. */
  static Future<Completion> complete(SqlClient sql, VideoRequests.Callback callback) {
    String status = callback.succeeded() ? "completed" : "failed";
    return sql.preparedQuery(COMPLETE)
        .execute(Tuple.from(new Object[] {callback.nodeUuid(), callback.processUuid(), status,
            callback.result() == null ? null : callback.result().encode(), callback.error(), callback.errorType()}))
        .map(rows -> Rows.first(rows, row ->
            new Completion(row.getString("status"), row.getString("process_uuid"), row.getBoolean("applied"))));
  }

  static Future<JsonObject> find(SqlClient sql, String nodeUuid) {
    return sql.preparedQuery(FIND).execute(Tuple.of(nodeUuid)).map(rows -> Rows.first(rows, NODE::toJson));
  }
}
