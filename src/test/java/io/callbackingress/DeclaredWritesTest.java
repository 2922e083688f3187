package io.callbackingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.ProbeFamily;
import io.callbackingress.support.SpoolReads;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operation a family leaves out of {@code operations()} could never be replayed from the spool:
 * its first write fails loudly instead, and leaves nothing behind.
 */
class DeclaredWritesTest {

  private static IngressServer server;
  private static Http http;
  private static Db db;

  @BeforeAll
  static void start() {
    server = IngressServer.start("declared_writes",
        new JsonObject().put("families", new JsonObject().put("probe", new JsonObject().put("enabled", true))), Map.of());
    http = server.http();
    db = new Db(server.databaseUri);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aWriteOfAnOperationItsFamilyDidNotDeclareFailsAtOnceNamingBothAndLeavesNothingBehind() {
    CapturedLogs.clear();

    Response refused = http.post("/spi/probes", probe(ProbeFamily.UNDECLARED), Map.of("Idempotency-Key", "forgotten-1"));

    assertEquals(500, refused.status(), refused.body());
    assertEquals(new JsonObject().put("error", "Internal server error"), refused.json());
    assertTrue(CapturedLogs.lines().stream().anyMatch(line -> line.contains("the family \"probe\" wrote the operation"
            + " \"probe.undeclared\", which is not among its operations(): refused, neither stored nor spooled")),
        "the refusal is logged naming the family and the operation");
    assertEquals(0, db.count("SELECT count(*) FROM ingress_events WHERE type = 'probe.undeclared'"));
    assertEquals(0, db.count("SELECT count(*) FROM idempotency_keys WHERE key = 'forgotten-1'"));
    assertEquals(0L, SpoolReads.stats(http).getLong("depth"));
  }

  @Test
  void aWriteOfADeclaredOperationRunsAsBefore() {
    Response created = http.post("/spi/probes", probe("declared"), Map.of("Idempotency-Key", "declared-1"));

    assertEquals(201, created.status(), created.body());
    assertEquals(new JsonObject().put("name", "declared"), created.json());
    assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE key = 'declared-1' AND status = 201"));
  }

  private static JsonObject probe(String name) {
    return new JsonObject().put("probe", new JsonObject().put("name", name));
  }
}
