package io.callbackingress.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letters set aside while Postgres was away (SPEC 16), one JSON line each in
 * {@code dead-letters.jsonl} beside the segments, fsynced before the spool moves past them, until
 * they are moved into Postgres. Used on the spool's I/O thread only.
 *
 * <p>Implementation notes. A line is appended and fsynced before the replayer acknowledges its
 * record, so a crash in the middle of an append leaves a torn last line whose record is replayed
 * (and set aside) again: that tail is cut on open. Lines moved into Postgres leave by a rewrite —
 * the remaining lines to a temporary file, fsynced, renamed over the old one, the directory
 * fsynced — so a crash leaves either the old file or the new one, never half of one. A line that
 * cannot be read (hand-edited, say) is kept as it is and logged, never dropped.
 */
final class DeadLetters {

  static final String FILE_NAME = "dead-letters.jsonl";

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final Path dir;
  private final Path file;
  /** Those in the file: a record set aside again (its round retried after an outage) is kept once. */
  private final Set<UUID> ids = new HashSet<>();

  DeadLetters(Path dir) throws IOException {
    this.dir = dir;
    this.file = dir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      cutTornTail();
      all().forEach(deadLetter -> ids.add(deadLetter.id()));
    }
  }

  void add(DeadLetter deadLetter) throws IOException {
    if (ids.contains(deadLetter.id())) {
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      writeFully(channel, deadLetter.toJson().encode() + "\n");
      channel.force(false);
    }
    ids.add(deadLetter.id());
  }

  /** Every dead letter in the file, oldest first; unreadable lines are logged and left out. */
  List<DeadLetter> all() throws IOException {
    List<DeadLetter> all = new ArrayList<>();
    for (String line : lines()) {
      if (line.isBlank()) {
        continue;
      }
      try {
        all.add(DeadLetter.fromJson(line));
      } catch (RuntimeException unreadable) {
        log.error("a line of {} cannot be read and stays there: {}", file, unreadable.toString());
      }
    }
    return all;
  }

  /** Rewrites the file without the dead letters of {@code moved} (those now kept in Postgres). */
  void remove(Set<UUID> moved) throws IOException {
    if (moved.isEmpty() || !Files.exists(file)) {
      return;
    }
    StringBuilder kept = new StringBuilder();
    for (String line : lines()) {
      if (!line.isBlank() && !moved.contains(idOf(line))) {
        kept.append(line).append('\n');
      }
    }
    Path next = dir.resolve(FILE_NAME + ".next");
    try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(channel, kept.toString());
      channel.force(false);
    }
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
    ids.removeAll(moved);
  }

  long count() {
    return ids.size();
  }

  private static UUID idOf(String line) {
    try {
      return DeadLetter.fromJson(line).id();
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  private List<String> lines() throws IOException {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  private void cutTornTail() throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      long end = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (end > 0) {
        one.clear();
        channel.read(one, end - 1);
        if (one.get(0) == '\n') {
          break;
        }
        end--;
      }
      if (end < size) {
        log.warn("{} has a torn last line (an interrupted append; its write is replayed again); cutting it", file);
        channel.truncate(end);
        channel.force(true);
      }
    }
  }

  private static void writeFully(FileChannel channel, String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }
}
