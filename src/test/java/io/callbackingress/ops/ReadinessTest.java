package io.callbackingress.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TcpProxy;
import io.callbackingress.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 3.9: readiness follows Postgres, cut and restored through a real TCP proxy. */
class ReadinessTest {

  private static Vertx proxyVertx;
  private static TcpProxy proxy;
  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    String database = TestServices.newDatabase("readiness");
    URI target = URI.create(database);
    proxyVertx = Vertx.vertx();
    proxy = new TcpProxy(proxyVertx, target.getHost(), target.getPort());
    server = IngressServer.start(proxy.route(database), TestServices.newRedis(), new JsonObject(), Map.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
    proxy.close();
    proxyVertx.close().await();
  }

  private static JsonObject checks(String postgres) {
    return new JsonObject().put("checks", new JsonArray()
        .add(new JsonObject().put("id", "postgres").put("status", postgres))
        .add(new JsonObject().put("id", "redis").put("status", "UP"))
        .add(new JsonObject().put("id", "spool").put("status", "UP")));
  }

  @Test
  void readinessTurnsDownWhenPostgresIsCutAndUpWhenItIsBack() throws InterruptedException {
    Response up = http.get("/health/ready");
    assertEquals(200, up.status());
    assertEquals(checks("UP").put("status", "UP"), up.json());

    proxy.stop();
    Response down = http.get("/health/ready");
    assertEquals(503, down.status());
    assertEquals(checks("DOWN").put("status", "DOWN"), down.json());
    assertEquals("5", down.header("Retry-After"), "every 503 carries Retry-After (SPEC 5)");
    assertEquals(200, http.get("/health/live").status(), "liveness does not depend on Postgres");
    Response read = http.get("/spi/tooling_jobs/any");
    assertEquals(503, read.status(), read.body());
    assertEquals(new JsonObject().put("error", "Service unavailable"), read.json());
    assertTrue(Integer.parseInt(read.header("Retry-After")) >= 1);

    proxy.start();
    Response back = await("readiness 200 once Postgres is back")
        .atMost(Duration.ofSeconds(5))
        .until(() -> http.get("/health/ready"), response -> response.status() == 200);
    assertEquals(checks("UP").put("status", "UP"), back.json());
  }
}
