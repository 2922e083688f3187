package io.callbackingress.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 7: {@code limits.maxInFlightWrites} counts writes whose body has arrived. A body still
 * arriving holds memory ({@code limits.maxBufferedBodyBytes}), not a write slot, so callers who
 * trickle their bodies cannot turn every other caller's write into a 503.
 */
class WriteSlotsTest {

  private static final int MAX_IN_FLIGHT_WRITES = 4;
  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IngressServer.start("writeslots", new JsonObject()
        .put("http", new JsonObject().put("bodyTimeoutSeconds", 60))
        .put("limits", new JsonObject().put("maxInFlightWrites", MAX_IN_FLIGHT_WRITES)), Map.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void bodiesStillArrivingHoldNoWriteSlotAndAWriteOfAnotherFamilyIsStored() throws Exception {
    int trickling = 3 * MAX_IN_FLIGHT_WRITES;
    List<Socket> senders = new ArrayList<>();
    try {
      for (int i = 0; i < trickling; i++) {
        senders.add(startBody());
      }
      BodyLimitsTest.awaitBuffered(http, trickling);

      String job = "beside-trickles-" + UUID.randomUUID();
      Response created = http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
          new JsonObject().put("id", job).put("kind", "lint")));

      assertEquals(201, created.status(), created.body());
      assertEquals(new JsonObject().put("id", job).put("status", "pending"), created.json());
      assertEquals(1, new Db(server.databaseUri).count("SELECT count(*) FROM tooling_jobs WHERE id = '" + job + "'"));
      assertEquals(trickling, BodyLimitsTest.bufferedOn(http), "every slow sender is still being read, none was shed");
    } finally {
      for (Socket sender : senders) {
        sender.close();
      }
    }
    BodyLimitsTest.awaitBuffered(http, 0);
  }

  /** A test run whose body has sent its first byte of a thousand. */
  private static Socket startBody() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /spi/test_runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }
}
