package io.callbackingress.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.support.Http.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/** A replica's spool as an operator reads it: {@code GET /internal/ingress/spool} (SPEC 3.8). */
public final class SpoolReads {

  public static final Map<String, String> INTERNAL = Map.of("X-Internal-Auth", IngressServer.INTERNAL_TOKEN);
  /** A replay backs off up to retry.maxMs between attempts; the tests keep that short. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

  private SpoolReads() {}

  public static JsonObject stats(Http http) {
    Response response = http.get("/internal/ingress/spool", INTERNAL);
    assertEquals(200, response.status(), response.body());
    return response.json();
  }

  /** The stats once every spooled write has been replayed (or set aside). */
  public static JsonObject awaitDrained(Http http) {
    return await("the spool drains")
        .atMost(DRAIN_LIMIT)
        .until(() -> stats(http), stats -> stats.getLong("depth") == 0);
  }
}
