package io.callbackingress.audit;

import io.callbackingress.json.JsonText;
import io.callbackingress.spi.AuditRecord;

/** The audit record as one JSON line (SPEC 8). */
public final class AuditLine {

  private AuditLine() {}

  /**
   * The record as one JSON line, written field by field: it is built for every request, and a
   * JsonObject tree plus a generic encoder cost several times as much as the line itself.
   */
  public static String of(AuditRecord record) {
    StringBuilder line = new StringBuilder(256).append('{');
    string(line, "ts", record.ts()).append(',');
    string(line, "request_id", record.requestId()).append(',');
    string(line, "method", record.method()).append(',');
    string(line, "path", record.path()).append(',');
    line.append("\"status\":").append(record.status()).append(',');
    line.append("\"duration_ms\":").append(record.durationMs()).append(',');
    string(line, "client_ip", record.clientIp()).append(',');
    string(line, "identity", record.identity()).append(',');
    string(line, "family", record.family()).append(',');
    line.append("\"bytes_in\":").append(record.bytesIn()).append(',');
    line.append("\"bytes_out\":").append(record.bytesOut());
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
