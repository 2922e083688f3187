package io.callbackingress.audit;

import io.vertx.core.json.JsonObject;

/** The audit line of one request (SPEC 8). Holds no secret, token, signature or body. */
public record AuditRecord(String ts, String requestId, String method, String path, int status,
                          double durationMs, String clientIp, String identity, String family,
                          long bytesIn, long bytesOut) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("ts", ts)
        .put("request_id", requestId)
        .put("method", method)
        .put("path", path)
        .put("status", status)
        .put("duration_ms", durationMs)
        .put("client_ip", clientIp)
        .put("identity", identity)
        .put("family", family)
        .put("bytes_in", bytesIn)
        .put("bytes_out", bytesOut);
  }
}
