package io.callbackingress.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.IngressServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The partitions ahead of the clock exist before the listeners open: a write answered right after
 * start-up is in a time partition, not in the DEFAULT one that the first maintenance run would
 * move it out of while a reader may be looking.
 */
class FirstWritesTest {

  private IngressServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theFirstWriteAfterStartUpLandsInATimePartition() {
    server = IngressServer.start("first_writes", new JsonObject(), Map.of());
    Http http = server.http();
    Db db = new Db(server.databaseUri);

    Http.Response created = http.post("/spi/test_runs", new JsonObject().put("test_run", new JsonObject()
        .put("submission_uuid", "first").put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass")));

    assertEquals(201, created.status(), created.body());
    String id = created.json().getString("id");
    String partition = (String) db.scalar("SELECT tableoid::regclass::text FROM test_runs WHERE id = '" + id + "'");
    assertTrue(partition.startsWith("test_runs_p"), "the run is in " + partition);
    assertEquals(0, db.count("SELECT count(*) FROM test_runs_default"));
    assertEquals(0, db.count("SELECT count(*) FROM ingress_events_default"));
    Http.Response read = http.get("/spi/test_runs/" + id);
    assertEquals(200, read.status());
    assertEquals("first", read.json().getString("submission_uuid"));
  }
}
