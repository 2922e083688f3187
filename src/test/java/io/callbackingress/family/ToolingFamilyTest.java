package io.callbackingress.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** SPEC 3.1 through real HTTP, checking what Postgres holds afterwards. */
class ToolingFamilyTest {

  private static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";
  private static IngressServer server;
  private static Http http;
  private static Db db;

  @BeforeAll
  static void start() {
    server = IngressServer.start("tooling", new JsonObject()
        .put("limits", new JsonObject().put("maxOutputBytes", 64)), Map.of());
    http = server.http();
    db = new Db(server.databaseUri);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String newId() {
    return "job-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Response register(String id) {
    return http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
        new JsonObject().put("id", id).put("kind", "lint").put("metadata", new JsonObject().put("a", 1))));
  }

  private static Response patch(String id, JsonObject job) {
    return http.patch("/spi/tooling_jobs/" + id, new JsonObject().put("tooling_job", job));
  }

  @Test
  void aRegisteredJobIsPendingAndReadableFlat() {
    String id = newId();
    Response created = register(id);
    assertEquals(201, created.status());
    assertEquals(new JsonObject().put("id", id).put("status", "pending"), created.json());

    JsonObject job = http.get("/spi/tooling_jobs/" + id).json();
    assertEquals(id, job.getString("id"));
    assertEquals("lint", job.getString("kind"));
    assertEquals("pending", job.getString("status"));
    assertEquals(new JsonObject().put("a", 1), job.getJsonObject("metadata"));
    assertTrue(job.containsKey("output") && job.getValue("output") == null);
    assertTrue(job.getString("created_at").matches(ISO_UTC), job.getString("created_at"));
    assertTrue(job.getString("updated_at").matches(ISO_UTC));
  }

  @Test
  void anIdIsGeneratedWhenAbsent() {
    Response created = http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job", new JsonObject().put("kind", "lint")));
    assertEquals(201, created.status());
    String id = created.json().getString("id");
    assertNotNull(UUID.fromString(id));
    assertEquals(1, db.count("SELECT count(*) FROM tooling_jobs WHERE id = '" + id + "'"));
  }

  @Test
  void anExistingIdIsA409AndTheFirstJobStays() {
    String id = newId();
    register(id);
    Response again = http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
        new JsonObject().put("id", id).put("kind", "other")));
    assertEquals(409, again.status());
    assertEquals(new JsonObject().put("error", "Job already exists"), again.json());
    assertEquals("lint", db.scalar("SELECT kind FROM tooling_jobs WHERE id = '" + id + "'"));
  }

  @Test
  void anUnknownJobIsA404OnReadAndPatch() {
    assertEquals(404, http.get("/spi/tooling_jobs/nope-" + newId()).status());
    Response patched = patch("nope-" + newId(), new JsonObject().put("status", "running"));
    assertEquals(404, patched.status());
    assertEquals(new JsonObject().put("error", "Not found"), patched.json());
  }

  @Test
  void aPatchUpdatesStatusSanitizesOutputAndMergesMetadata() {
    String id = newId();
    register(id);
    Response patched = patch(id, new JsonObject().put("status", "completed").put("output", "ok password=hunter2")
        .put("metadata", new JsonObject().put("b", 2)));
    assertEquals(200, patched.status());
    assertEquals(new JsonObject().put("id", id).put("status", "completed"), patched.json());
    JsonObject job = http.get("/spi/tooling_jobs/" + id).json();
    assertEquals("ok password=***", job.getString("output"));
    assertEquals(new JsonObject().put("a", 1).put("b", 2), job.getJsonObject("metadata"));
    assertEquals(1, db.count("SELECT count(*) FROM ingress_events WHERE type = 'tooling_job.completed' AND data LIKE '%" + id + "%'"));
  }

  @Test
  void aTerminalJobRefusesChangesButAcceptsAnIdenticalRepeat() {
    String id = newId();
    register(id);
    patch(id, new JsonObject().put("status", "failed").put("output", "boom"));

    Response identical = patch(id, new JsonObject().put("status", "failed").put("output", "boom"));
    assertEquals(200, identical.status());
    assertEquals(new JsonObject().put("id", id).put("status", "failed"), identical.json());

    Response change = patch(id, new JsonObject().put("status", "completed"));
    assertEquals(409, change.status());
    assertEquals(new JsonObject().put("error", "Job already failed"), change.json());
    assertEquals("failed", db.scalar("SELECT status FROM tooling_jobs WHERE id = '" + id + "'"));
    assertEquals(1, db.count("SELECT count(*) FROM ingress_events WHERE type LIKE 'tooling_job.%' AND type <> 'tooling_job.created' AND data LIKE '%" + id + "%'"),
        "neither the identical nor the refused PATCH makes an event");
  }

  @Test
  void outputOverTheLimitInUtf8BytesIsA422AndNothingChanges() {
    String id = newId();
    register(id);
    String twentyTwoEuros = "€".repeat(22); // 22 chars, 66 UTF-8 bytes: over a 64-byte limit
    Response response = patch(id, new JsonObject().put("status", "running").put("output", twentyTwoEuros));
    assertEquals(422, response.status());
    assertTrue(response.json().getJsonObject("errors").containsKey("tooling_job.output"));
    assertEquals("pending", db.scalar("SELECT status FROM tooling_jobs WHERE id = '" + id + "'"));
    assertNull(db.scalar("SELECT output FROM tooling_jobs WHERE id = '" + id + "'"));
  }

  @Test
  void anInvalidRegistrationListsEveryFieldAndStoresNothing() {
    String id = "bad id!";
    Response response = http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
        new JsonObject().put("id", id).put("kind", "").put("metadata", "nope")));
    assertEquals(422, response.status());
    assertEquals(3, response.json().getJsonObject("errors").size());
    assertEquals(0, db.count("SELECT count(*) FROM tooling_jobs WHERE id = 'bad id!'"));
  }
}
