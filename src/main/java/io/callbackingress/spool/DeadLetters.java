package io.callbackingress.spool;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * The records the replayer set aside because Postgres refuses them for a reason of their own
 * (SPEC 7: the spool never holds a write that can never be applied). They are kept, one JSON line
 * each in {@code dead-letters.jsonl} beside the segments, fsynced before the spool moves past
 * them, for an operator to read and, once the cause is fixed, re-send. Used on the spool's I/O
 * thread only.
 */
final class DeadLetters {

  static final String FILE_NAME = "dead-letters.jsonl";

  private final Path file;
  private long count;

  DeadLetters(Path dir) throws IOException {
    this.file = dir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
        count = lines.filter(line -> !line.isBlank()).count();
      }
    }
  }

  void add(SpoolRecord record, String reason) throws IOException {
    String line = new JsonObject()
        .put("dead_lettered_at", Instant.now().toString())
        .put("appended_at", record.appendedAt().toString())
        .put("reason", reason)
        .put("record", record.payload().toString(StandardCharsets.UTF_8))
        .encode() + "\n";
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    }
    count++;
  }

  long count() {
    return count;
  }
}
