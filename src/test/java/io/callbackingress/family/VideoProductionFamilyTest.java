package io.callbackingress.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 3.4: registration, completion, and every way a callback can be stale. */
class VideoProductionFamilyTest {

  private static IngressServer server;
  private static Http http;
  private static Db db;

  @BeforeAll
  static void start() {
    server = IngressServer.start("video", new JsonObject(), Map.of());
    http = server.http();
    db = new Db(server.databaseUri);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Response register(String node, String process) {
    return http.post("/spi/video_production/nodes", new JsonObject()
        .put("node_uuid", node).put("executor_type", "render").put("process_uuid", process));
  }

  private static Response callback(JsonObject body) {
    return http.post("/spi/video_production/executor_callback", body);
  }

  private static JsonObject success(String node, String process) {
    return new JsonObject().put("node_uuid", node).put("executor_type", "render").put("process_uuid", process)
        .put("result", new JsonObject().put("url", "s3://out.mp4"));
  }

  @Test
  void registrationThenSuccessCompletesTheNode() {
    String node = UUID.randomUUID().toString();
    Response registered = register(node, "p1");
    assertEquals(201, registered.status());
    assertEquals(new JsonObject().put("node_uuid", node).put("status", "in_progress"), registered.json());

    Response done = callback(success(node, "p1"));
    assertEquals(200, done.status());
    assertEquals(new JsonObject().put("status", "ok"), done.json());
    JsonObject stored = http.get("/spi/video_production/nodes/" + node).json();
    assertEquals("completed", stored.getString("status"));
    assertEquals(new JsonObject().put("url", "s3://out.mp4"), stored.getJsonObject("result"));
  }

  @Test
  void aFailureStoresTheErrorSanitized() {
    String node = UUID.randomUUID().toString();
    register(node, "p1");
    Response failed = callback(new JsonObject().put("node_uuid", node).put("executor_type", "render")
        .put("error", "upload refused: token=xyz").put("error_type", "S3Error"));
    assertEquals(new JsonObject().put("status", "ok"), failed.json());
    JsonObject stored = http.get("/spi/video_production/nodes/" + node).json();
    assertEquals("failed", stored.getString("status"));
    assertEquals("upload refused: token=***", stored.getString("error"));
    assertEquals("S3Error", stored.getString("error_type"));
  }

  @Test
  void reRegistrationSupersedesTheOldProcessWhoseCallbackIsStale() {
    String node = UUID.randomUUID().toString();
    register(node, "p1");
    Response again = register(node, "p2");
    assertEquals(200, again.status());

    Response stale = callback(success(node, "p1"));
    assertEquals(200, stale.status());
    assertEquals(new JsonObject().put("status", "stale"), stale.json());
    assertEquals("in_progress", db.scalar("SELECT status FROM video_nodes WHERE node_uuid = '" + node + "'"));
    assertEquals(1, db.count("SELECT count(*) FROM ingress_events WHERE type = 'callback.stale' AND data LIKE '%" + node + "%'"));
    assertTrue(http.get("/metrics").body().contains("ingress_stale_callbacks_total"));
  }

  @Test
  void aCallbackForAFinishedNodeIsStaleAndChangesNothing() {
    String node = UUID.randomUUID().toString();
    register(node, "p1");
    callback(success(node, "p1"));
    Response late = callback(new JsonObject().put("node_uuid", node).put("executor_type", "render").put("error", "late"));
    assertEquals(new JsonObject().put("status", "stale"), late.json());
    assertEquals("completed", db.scalar("SELECT status FROM video_nodes WHERE node_uuid = '" + node + "'"));
  }

  @Test
  void exactlyOneOfResultAndErrorIsReportedOnResult() {
    String node = UUID.randomUUID().toString();
    register(node, "p1");
    Response both = callback(success(node, "p1").put("error", "x"));
    assertEquals(422, both.status());
    assertTrue(both.json().getJsonObject("errors").containsKey("result"));
    Response neither = callback(new JsonObject().put("node_uuid", node).put("executor_type", "render"));
    assertEquals(422, neither.status());
    assertTrue(neither.json().getJsonObject("errors").containsKey("result"));
    assertEquals("in_progress", db.scalar("SELECT status FROM video_nodes WHERE node_uuid = '" + node + "'"));
  }

  @Test
  void anUnknownNodeIsA404() {
    Response response = callback(success(UUID.randomUUID().toString(), "p1"));
    assertEquals(404, response.status());
    assertEquals(new JsonObject().put("error", "Not found"), response.json());
    assertEquals(404, http.get("/spi/video_production/nodes/" + UUID.randomUUID()).status());
  }
}
