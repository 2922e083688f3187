package io.callbackingress.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.spi.AuditRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** SPEC 8: the audit line is one valid JSON object, whatever a caller put in the fields it echoes. */
class AuditLineTest {

  @Test
  void everyFieldSurvivesARoundTripThroughAJsonParser() {
    String hostilePath = "/spi/nope\"},\"status\":200,\"x\":\"\n\u2028\u0001\\";
    AuditRecord record = new AuditRecord("2026-12-01T05:00:00.123Z", "req-1", "POST", hostilePath, 404, 1.25,
        "203.0.113.9", "spiffe://workers/\"ä\"", null, 12, 34);
    JsonObject line = new JsonObject(AuditLine.of(record));
    assertEquals(new JsonObject()
        .put("ts", "2026-12-01T05:00:00.123Z")
        .put("request_id", "req-1")
        .put("method", "POST")
        .put("path", hostilePath)
        .put("status", 404)
        .put("duration_ms", 1.25)
        .put("client_ip", "203.0.113.9")
        .put("identity", "spiffe://workers/\"ä\"")
        .putNull("family")
        .put("bytes_in", 12L)
        .put("bytes_out", 34L), line);
    assertEquals(-1, AuditLine.of(record).indexOf('\n'), "one line");
  }
}
