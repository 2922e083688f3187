package io.callbackingress.spi;

/** The audit line of one request (SPEC 8). Holds no secret, token, signature or body. */
public record AuditRecord(String ts, String requestId, String method, String path, int status,
                          double durationMs, String clientIp, String identity, String family,
                          long bytesIn, long bytesOut) {

  /**
   * The record as one JSON line, written field by field: it is built for every request, and a
   * JsonObject tree plus a generic encoder cost several times as much as the line itself.
   */
  public String toJsonLine() {
    StringBuilder line = new StringBuilder(256).append('{');
    string(line, "ts", ts).append(',');
    string(line, "request_id", requestId).append(',');
    string(line, "method", method).append(',');
    string(line, "path", path).append(',');
    line.append("\"status\":").append(status).append(',');
    line.append("\"duration_ms\":").append(durationMs).append(',');
    string(line, "client_ip", clientIp).append(',');
    string(line, "identity", identity).append(',');
    string(line, "family", family).append(',');
    line.append("\"bytes_in\":").append(bytesIn).append(',');
    line.append("\"bytes_out\":").append(bytesOut);
    return line.append('}').toString();
  }

  private static StringBuilder string(StringBuilder line, String name, String value) {
    line.append('"').append(name).append("\":");
    if (value == null) {
      return line.append("null");
    }
    JsonText.writeString(line, value);
    return line;
  }
}
