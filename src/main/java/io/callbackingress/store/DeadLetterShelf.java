package io.callbackingress.store;

import io.callbackingress.spi.toolkit.TimeOrderedIds;
import io.callbackingress.spool.DeadLetter;
import io.callbackingress.spool.Spool;
import io.callbackingress.spool.SpoolRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where dead letters are kept (SPEC 16): in Postgres, so every replica's are seen in one place;
 * in the spool's {@code dead-letters.jsonl} only while Postgres cannot take them, and moved into
 * Postgres from there once it can. A dead letter is never dropped: whatever keeps Postgres from
 * storing one — an outage, or anything else — sends it to the file.
 */
public final class DeadLetterShelf {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterShelf.class);

  private final DeadLetterTable table;
  private final Spool spool;
  private final Map<String, String> familyOfOperation;

  /** @param familyOfOperation every enabled family's write operations' names, to the family's name */
  public DeadLetterShelf(Pool sql, Spool spool, Map<String, String> familyOfOperation) {
    this.table = new DeadLetterTable(sql);
    this.spool = spool;
    this.familyOfOperation = familyOfOperation;
  }

  /** Keeps a spooled record that Postgres refused, or that cannot be replayed at all, with the reason. */
  Future<Void> setAside(SpoolRecord record, String reason) {
    DeadLetter deadLetter = described(new DeadLetter(idOf(record), null, null, null, record.appendedAt(),
        Instant.now(), DeadLetterView.safeText(reason), record.payload().getBytes()));
    return table.insert(List.of(deadLetter))
        .onSuccess(v -> log.error("spooled write {} (request {}, operation {}) set aside as dead letter {}: {}",
            record.position(), deadLetter.requestId(), deadLetter.operation(), deadLetter.id(), deadLetter.reason()))
        .recover(notKept -> {
          log.error("spooled write {} (request {}, operation {}) set aside as dead letter {} in the spool's"
                  + " dead-letters.jsonl until Postgres takes it ({}): {}", record.position(), deadLetter.requestId(),
              deadLetter.operation(), deadLetter.id(), notKept.getMessage(), deadLetter.reason());
          return spool.deadLetter(deadLetter);
        });
  }

  /**
   * Moves the dead letters of the spool's file into Postgres, then removes them from the file.
   * Stopped halfway, it stores nothing twice when it runs again: rows are inserted by id.
   */
  Future<Void> moveLocal() {
    if (spool.stats().deadLetters() == 0) {
      return Future.succeededFuture();
    }
    return spool.deadLetters().compose(local -> {
      if (local.isEmpty()) {
        return Future.succeededFuture();
      }
      List<DeadLetter> described = local.stream().map(this::described).toList();
      Set<UUID> moved = described.stream().map(DeadLetter::id).collect(Collectors.toSet());
      return table.insert(described)
          .compose(v -> spool.forgetDeadLetters(moved))
          .onSuccess(v -> log.info("moved {} dead letters from the spool's dead-letters.jsonl into Postgres: {}",
              moved.size(), moved));
    });
  }

  /**
   * The same for every round that sets the record aside: a round whose other writes meet an
   * outage is retried whole, and a crash before the spool acknowledges the record replays it after
   * the restart. Time-ordered by when the write was spooled; a record is where it is in its segment.
   */
  private static UUID idOf(SpoolRecord record) {
    byte[] payload = record.payload().getBytes();
    ByteBuffer name = ByteBuffer.allocate(2 * Long.BYTES + payload.length)
        .putLong(record.position().segment())
        .putLong(record.position().offset())
        .put(payload);
    return TimeOrderedIds.of(record.appendedAt().toEpochMilli(), name.array());
  }

  /** Family, operation and request id read from the payload where the dead letter does not have them yet. */
  private DeadLetter described(DeadLetter deadLetter) {
    if (deadLetter.operation() != null) {
      return deadLetter;
    }
    SpooledWrite spooled;
    try {
      spooled = SpooledWrite.decode(Buffer.buffer(deadLetter.write()));
    } catch (RuntimeException unreadable) {
      return deadLetter;
    }
    String operation = spooled.operation();
    return new DeadLetter(deadLetter.id(), operation == null ? null : familyOfOperation.get(operation),
        DeadLetterView.safeText(operation), DeadLetterView.safeText(spooled.requestId()), deadLetter.receivedAt(),
        deadLetter.deadLetteredAt(), deadLetter.reason(), deadLetter.write());
  }
}
