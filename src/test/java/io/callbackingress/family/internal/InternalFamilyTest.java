package io.callbackingress.family.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 3.8 and 11a: the events feed and the spool status, behind X-Internal-Auth. */
class InternalFamilyTest {

  private static final String TOKEN = "internal-feed-test-token-0123456789abcdef";
  private static final Map<String, String> AUTH = Map.of("X-Internal-Auth", TOKEN);
  /**
   * The feed holds back rows while any older transaction in the Postgres cluster is still open
   * (EventFeed), and other test JVMs may share the cluster: what was just written shows up soon,
   * not necessarily at once.
   */
  private static final Duration FEED_LIMIT = Duration.ofSeconds(10);
  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IngressServer.start("internal", new JsonObject(), Map.of("INGRESS_INTERNAL_AUTH_TOKENS", TOKEN));
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theFeedNeedsTheInternalToken() {
    Response missing = http.get("/internal/ingress/events");
    assertEquals(401, missing.status());
    assertEquals(new JsonObject().put("error", "Unauthorized"), missing.json());
    Response wrong = http.get("/internal/ingress/events", Map.of("X-Internal-Auth", TOKEN.replace('0', '1')));
    assertEquals(401, wrong.status());
    assertEquals(401, http.get("/internal/ingress/spool").status());
    assertEquals(200, http.get("/internal/ingress/events", AUTH).status());
  }

  @Test
  void aRegisteredJobAppearsInTheFeedAsAFullEnvelope() {
    String id = "feed-job-" + System.nanoTime();
    Response created = http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
        new JsonObject().put("id", id).put("kind", "analyzer")), Map.of("X-Request-Id", "req-" + id));
    assertEquals(201, created.status(), created.body());

    JsonObject event = await("the event of " + id + " in the feed")
        .atMost(FEED_LIMIT)
        .until(() -> allEvents().stream()
            .filter(e -> id.equals(e.getJsonObject("data").getString("id")))
            .findFirst().orElse(null), Objects::nonNull);

    assertEquals("tooling_job.created", event.getString("type"));
    assertEquals(new JsonObject().put("correlationId", "req-" + id).put("source", "callback-ingress"),
        event.getJsonObject("metadata"));
    assertEquals("pending", event.getJsonObject("data").getString("status"));
    assertTrue(event.getString("id").matches("[0-9a-f-]{36}"), event.getString("id"));
    Instant.parse(event.getString("timestamp"));
  }

  @Test
  void consumersPageThroughTheFeedInOrderWithTheCursor() {
    for (int i = 0; i < 5; i++) {
      assertEquals(201, http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
          new JsonObject().put("id", "page-" + i + "-" + System.nanoTime()).put("kind", "analyzer"))).status());
    }
    List<JsonObject> everything = await("five events in the feed")
        .atMost(FEED_LIMIT)
        .until(InternalFamilyTest::allEvents, all -> all.size() >= 5);

    JsonObject first = page("?limit=2");
    assertEquals(2, first.getJsonArray("items").size());
    assertEquals(new JsonArray(everything.subList(0, 2)), first.getJsonArray("items"));
    JsonObject second = page("?limit=2&after=" + first.getString("next"));
    assertEquals(everything.get(2), second.getJsonArray("items").getJsonObject(0));
    assertTrue(Long.parseLong(second.getString("next")) > Long.parseLong(first.getString("next")));

    assertEquals(new JsonObject().put("items", new JsonArray()).put("next", "999999999"), page("?after=999999999"));
  }

  @Test
  void theDefaultPageIsAHundredEvents() {
    for (int missing = 101 - allEvents().size(); missing > 0; missing--) {
      http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
          new JsonObject().put("id", "bulk-" + System.nanoTime()).put("kind", "analyzer")));
    }
    await("101 events in the feed")
        .atMost(FEED_LIMIT)
        .until(() -> allEvents().size() >= 101);
    assertEquals(100, page("").getJsonArray("items").size());
  }

  @Test
  void aBadLimitOrCursorIsA400() {
    for (String query : new String[] {"?limit=0", "?limit=1001", "?limit=abc", "?limit=-1", "?limit=1.5", "?limit=",
        "?after=-1", "?after=abc", "?after=1.0", "?after=99999999999999999999", "?after="}) {
      Response response = http.get("/internal/ingress/events" + query, AUTH);
      assertEquals(400, response.status(), query);
      assertTrue(response.json().getString("error").length() > 0, query);
    }
  }

  @Test
  void theSpoolIsEmptyWithoutASpool() {
    Response response = http.get("/internal/ingress/spool", AUTH);
    assertEquals(200, response.status());
    assertEquals(new JsonObject().put("depth", 0).put("bytes", 0).putNull("oldest"), response.json());
  }

  private static JsonObject page(String query) {
    Response response = http.get("/internal/ingress/events" + query, AUTH);
    assertEquals(200, response.status(), response.body());
    return response.json();
  }

  /** The whole feed, paged through as a consumer would. */
  private static List<JsonObject> allEvents() {
    List<JsonObject> events = new ArrayList<>();
    String after = "0";
    while (true) {
      JsonObject page = page("?limit=7&after=" + after);
      page.getJsonArray("items").forEach(item -> events.add((JsonObject) item));
      if (page.getJsonArray("items").isEmpty()) {
        return events;
      }
      after = page.getString("next");
    }
  }
}
