package io.callbackingress.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 3.9 and 11a: operations on their own port, and basic auth on /metrics only. */
class ManagementTest {

  private static final String PASSWORD = "scrape-secret";
  private static IngressServer server;
  private static Http main;
  private static Http management;

  @BeforeAll
  static void start() {
    int managementPort = IngressServer.freePort();
    server = IngressServer.start("management", new JsonObject().put("management", new JsonObject()
        .put("port", managementPort)
        .put("basicAuth", new JsonObject().put("username", "prometheus").put("passwordEnv", "METRICS_PASSWORD"))),
        Map.of("METRICS_PASSWORD", PASSWORD));
    main = server.http();
    management = new Http(server.vertx, managementPort);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void operationsAreServedOnlyOnTheManagementPort() {
    assertEquals(404, main.get("/health/ready").status());
    assertEquals(new JsonObject().put("error", "Not found"), main.get("/metrics").json());
    Response live = management.get("/health/live");
    assertEquals(200, live.status());
    assertEquals(new JsonObject().put("status", "UP"), live.json());
    assertEquals(200, management.get("/health/ready").status(), "health stays open for load balancers");
    assertEquals(404, management.get("/spi/tooling_jobs/x").status(), "the SPI is not served there");
  }

  @Test
  void metricsRequireBasicAuth() {
    Response refused = management.get("/metrics");
    assertEquals(401, refused.status());
    assertTrue(refused.header("WWW-Authenticate").startsWith("Basic"), refused.header("WWW-Authenticate"));
    assertEquals(401, management.get("/metrics", Map.of("Authorization", basic("prometheus", "wrong"))).status());
    Response scraped = management.get("/metrics", Map.of("Authorization", basic("prometheus", PASSWORD)));
    assertEquals(200, scraped.status());
    assertTrue(scraped.body().contains("jvm_memory_used_bytes"), "JVM metrics are exported");
    assertTrue(scraped.header("Content-Type").startsWith("text/plain"));
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
