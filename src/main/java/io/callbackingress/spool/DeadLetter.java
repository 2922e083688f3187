package io.callbackingress.spool;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A spooled write set aside because Postgres refused it for its content (SPEC 16), as it is kept:
 * in {@code ingress_dead_letters}, or in the spool's {@code dead-letters.jsonl} while Postgres is
 * away. {@code write} is the spooled payload byte for byte; {@code family}, {@code operation} and
 * {@code requestId} are null when the payload could not be read.
 */
public record DeadLetter(UUID id, String family, String operation, String requestId, Instant receivedAt,
                         Instant deadLetteredAt, String reason, byte[] write) {

  /** One line of {@code dead-letters.jsonl}; the payload in base64, since it need not be UTF-8. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("family", family)
        .put("operation", operation)
        .put("request_id", requestId)
        .put("received_at", receivedAt.toString())
        .put("dead_lettered_at", deadLetteredAt.toString())
        .put("reason", reason)
        .put("write", Base64.getEncoder().encodeToString(write));
  }

  /**
   * A line as {@link #toJson()} writes it, or as versions before SPEC 16 wrote it ({@code record},
   * {@code appended_at}, no id). Such a line gets an id derived from its own bytes, the same on
   * every read, so moving it into Postgres twice still stores it once.
   */
  static DeadLetter fromJson(String line) {
    JsonObject json = new JsonObject(line);
    String reason = json.getString("reason");
    Instant deadLetteredAt = Instant.parse(json.getString("dead_lettered_at"));
    if (!json.containsKey("id")) {
      return new DeadLetter(UUID.nameUUIDFromBytes(line.getBytes(StandardCharsets.UTF_8)), null, null, null,
          Instant.parse(json.getString("appended_at")), deadLetteredAt, reason,
          json.getString("record").getBytes(StandardCharsets.UTF_8));
    }
    return new DeadLetter(UUID.fromString(json.getString("id")), json.getString("family"), json.getString("operation"),
        json.getString("request_id"), Instant.parse(json.getString("received_at")), deadLetteredAt, reason,
        Base64.getDecoder().decode(json.getString("write")));
  }
}
