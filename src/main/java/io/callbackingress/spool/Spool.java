package io.callbackingress.spool;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.SpoolStats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local append-only spool that keeps writes durable while Postgres is unreachable (SPEC 7).
 *
 * <p>Contract. {@link #append} completes only once the record is fsynced, so an acknowledged
 * write survives {@code kill -9}. {@link #next} returns the oldest unacknowledged records in append
 * order; it has no cursor of its own, so calling it again before acknowledging returns the same
 * records, which is how a failed replay is retried. The replayer must commit records to Postgres
 * <em>before</em> {@link #acknowledge acknowledging} them. Acknowledgement is cumulative (up to and
 * including the given position) and is not persisted record by record: a segment file is deleted
 * once all its records are acknowledged, so after a crash the records of the oldest surviving
 * segment are replayed again. Exactly-once therefore rests on the replay being idempotent — the
 * caller's idempotency keys make a second commit of the same record a no-op.
 *
 * <p>Implementation notes. Every file operation and all mutable state live on one worker thread (a
 * shared worker executor of size one), so callers on any event loop only enqueue and are answered
 * back on their own context. Group commit: an append joins a lock-free queue and, if no round is
 * scheduled, schedules one; a round takes everything queued, writes it and fsyncs once. Appends
 * that arrive while a round fsyncs wait in the queue and leave together in the next round, so the
 * number of fsyncs falls as load rises ({@link #fsyncs()}).
 *
 * <p>Files are segments named by a zero-padded sequence number ({@code 00000000000000000001.seg}),
 * rolled when the next record would take the active one past the segment size; a rolled segment
 * is fsynced before its successor is created, so only the last segment can have a torn tail. On
 * open every segment is scanned and checksummed; a torn tail (short record or bad checksum, as
 * after {@code kill -9} in the middle of a write) is logged and truncated. The same damage in an
 * earlier segment cannot come from a crash; it is truncated too, logged as an error, and the later
 * segments are kept.
 *
 * <p>An I/O error while appending (a full or vanished disk, a directory replaced) fails that
 * round's appends and the ones after it, and the spool reports itself unhealthy; every
 * {@link #REPAIR_MILLIS} it tries to repair itself, and once that works it accepts appends again.
 * A retried fsync is never trusted: after a failed fsync the kernel may have dropped the dirty
 * pages and a second fsync can report success without the data (the lesson PostgreSQL learnt in
 * 2018). So the repair cuts away everything the failed round wrote — its callers were told it
 * failed — by truncating the segment back to where the round began and deleting any segment the
 * round created, fsyncs that, and continues in a new segment. What was fsynced before the round
 * was durable then and stays so.
 *
 * <p>{@code spool.maxBytes} bounds the unacknowledged bytes plus those queued for the next round,
 * counted in an atomic so an append can fail fast with {@link SpoolFullException} on its caller's
 * thread. An acknowledged batch frees its bytes at once; the file space follows when its whole
 * segment is deleted, so the disk holds at most one segment more than {@code maxBytes}. For a
 * small {@code maxBytes} the segments are made smaller in proportion ({@link #segmentBytesFor}).
 */
public final class Spool {

  private static final Logger log = LoggerFactory.getLogger(Spool.class);

  /** Large enough that rolling is rare, small enough that an acknowledged segment frees space soon. */
  public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
  /** Between attempts to repair the spool after an I/O error: a disk that comes back is used within a second. */
  static final long REPAIR_MILLIS = 1_000;
  /** Segments per {@code maxBytes}: what the disk may hold beyond the bound is one segment, an eighth. */
  private static final long SEGMENTS_PER_MAX_BYTES = 8;
  /** Below this, rolling would cost a file creation and a directory fsync every few records. */
  private static final long MIN_SEGMENT_BYTES = 64L << 10;

  private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}\\.seg");
  /** Recovery reads and checksums the whole spool; a full 1 GiB spool on a slow disk takes a while. */
  private static final long MAX_TASK_MINUTES = 10;

  private final Vertx vertx;
  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final WorkerExecutor io;

  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean roundScheduled = new AtomicBoolean();
  /** Bytes on disk plus bytes queued; what maxBytes is checked against. */
  private final AtomicLong reserved = new AtomicLong();
  private final AtomicLong fsyncs = new AtomicLong();
  private volatile SpoolStats stats = new SpoolStats(0, 0, null, 0);
  private volatile Throwable failure;
  private volatile boolean closed;
  private Future<Void> closing;

  // Owned by the I/O thread.
  private final TreeMap<Long, Long> segmentSizes = new TreeMap<>();
  private long activeSegment;
  private FileChannel active;
  private long diskBytes;
  /** The records not yet acknowledged, in bytes: what {@code maxBytes} bounds and stats report. */
  private long unackedBytes;
  /** Where the round in progress began: a failed round is cut back to here. */
  private long roundSegment;
  private long roundOffset;
  private long roundDiskBytes;
  private boolean repairScheduled;
  private long appendedSequence;
  private long ackedSequence;
  private long ackedSegment;
  private long ackedOffset;
  private long oldestMillis = -1;
  private DeadLetters deadLetters;

  private Spool(Vertx vertx, Path dir, long maxBytes, long segmentBytes) {
    this.vertx = vertx;
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.io = vertx.createSharedWorkerExecutor("spool-io-" + dir.toAbsolutePath(), 1, MAX_TASK_MINUTES, TimeUnit.MINUTES);
  }

  /** Opens (creating if needed) the spool in {@code settings.dir()}, recovering what is there. */
  public static Future<Spool> open(Vertx vertx, IngressConfig.Spool settings) {
    return open(vertx, settings, segmentBytesFor(settings.maxBytes()));
  }

  /** {@link #DEFAULT_SEGMENT_BYTES}, or an eighth of a {@code maxBytes} too small for that (at least 64 KiB). */
  static long segmentBytesFor(long maxBytes) {
    return Math.min(DEFAULT_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, maxBytes / SEGMENTS_PER_MAX_BYTES));
  }

  /** As {@link #open(Vertx, IngressConfig.Spool)}, rolling segments at {@code segmentBytes}. */
  public static Future<Spool> open(Vertx vertx, IngressConfig.Spool settings, long segmentBytes) {
    Spool spool = new Spool(vertx, Path.of(settings.dir()), settings.maxBytes(), segmentBytes);
    return spool.onIo(() -> {
      spool.recover();
      return spool;
    }).onFailure(failure -> spool.io.close());
  }

  /**
   * Appends {@code record}; completes, on the caller's context, once it is fsynced. Fails at once
   * with {@link SpoolFullException} when it would take the spool past {@code spool.maxBytes}.
   */
  public Future<Void> append(Buffer record) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("spool is closed"));
    }
    Throwable broken = failure;
    if (broken != null) {
      return Future.failedFuture(broken);
    }
    byte[] payload = record.getBytes();
    long size = RecordFormat.HEADER_BYTES + (long) payload.length;
    if (reserved.addAndGet(size) > maxBytes) {
      reserved.addAndGet(-size);
      return Future.failedFuture(new SpoolFullException(maxBytes));
    }
    Pending pending = new Pending(payload, vertx.getOrCreateContext());
    queue.add(pending);
    if (roundScheduled.compareAndSet(false, true)) {
      onIo(() -> {
        round();
        return null;
      }).onFailure(rejected -> failQueued(new IllegalStateException("spool is closed", rejected)));
    }
    return pending.promise.future();
  }

  /**
   * Up to {@code max} of the oldest unacknowledged records, in append order; empty when all are
   * acknowledged. Only fsynced records are returned.
   */
  public Future<List<SpoolRecord>> next(int max) {
    return onIo(() -> read(max));
  }

  /**
   * Marks every record up to and including {@code position} as committed downstream, deleting the
   * segments that hold only acknowledged records (the active segment is kept). Acknowledging a
   * position already acknowledged is a no-op.
   */
  public Future<Void> acknowledge(SpoolPosition position) {
    return onIo(() -> {
      markAcknowledged(position);
      return null;
    });
  }

  /**
   * Keeps a dead letter while Postgres is away (SPEC 16): fsynced to the spool's
   * {@code dead-letters.jsonl}, counted in {@link #stats()}, until {@link #forgetDeadLetters}
   * once it is kept in Postgres. The replayer still acknowledges its record afterwards, like any
   * record it has dealt with.
   */
  public Future<Void> deadLetter(DeadLetter deadLetter) {
    return onIo(() -> {
      deadLetters.add(deadLetter);
      publishStats();
      return null;
    });
  }

  /** The dead letters kept here, oldest first. */
  public Future<List<DeadLetter>> deadLetters() {
    return onIo(() -> deadLetters.all());
  }

  /** Removes, durably, the dead letters of {@code ids} from {@code dead-letters.jsonl}. */
  public Future<Void> forgetDeadLetters(Set<UUID> ids) {
    return onIo(() -> {
      deadLetters.remove(ids);
      publishStats();
      return null;
    });
  }

  /** A snapshot, cheap enough for a gauge: it is published by the I/O thread after every change. */
  public SpoolStats stats() {
    return stats;
  }

  /** fsync calls made by appends since open; fewer than appends under concurrent load. */
  public long fsyncs() {
    return fsyncs.get();
  }

  /** False from an append's I/O error until the spool has repaired itself, and once closed. */
  public boolean healthy() {
    return failure == null && !closed;
  }

  /** Refuses new appends, lets queued ones finish, and closes the files; calling it again is harmless. */
  public synchronized Future<Void> close() {
    if (closing != null) {
      return closing;
    }
    closed = true;
    closing = this.<Void>onIo(() -> {
      round();
      if (active != null) {
        active.close();
        active = null;
      }
      return null;
    }).eventually(() -> io.close());
    return closing;
  }

  /** For an append that raced with {@link #close()} and found the I/O thread gone. */
  private void failQueued(Throwable cause) {
    for (Pending p = queue.poll(); p != null; p = queue.poll()) {
      p.fail(cause);
    }
  }

  private <T> Future<T> onIo(Callable<T> task) {
    try {
      return io.executeBlocking(task, false);
    } catch (RejectedExecutionException closedExecutor) {
      return Future.failedFuture(new IllegalStateException("spool is closed", closedExecutor));
    }
  }

  private void recover() throws IOException {
    Files.createDirectories(dir);
    deadLetters = new DeadLetters(dir);
    List<Long> ids;
    try (Stream<Path> files = Files.list(dir)) {
      ids = files.map(p -> p.getFileName().toString())
          .filter(name -> SEGMENT_NAME.matcher(name).matches())
          .map(name -> Long.parseLong(name.substring(0, 20)))
          .sorted()
          .toList();
    }
    long records = 0;
    for (int i = 0; i < ids.size(); i++) {
      long id = ids.get(i);
      boolean last = i == ids.size() - 1;
      try (FileChannel channel = FileChannel.open(segment(id), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long size = channel.size();
        long offset = 0;
        while (offset < size) {
          RecordFormat.Read record = RecordFormat.read(channel, offset, size);
          if (record == null) {
            if (last) {
              log.warn("spool segment {} has a torn tail at offset {} of {} bytes (an interrupted write); truncating",
                  id, offset, size);
            } else {
              log.error("spool segment {} is damaged at offset {} of {} bytes; truncating it, keeping later segments",
                  id, offset, size);
            }
            channel.truncate(offset);
            channel.force(true);
            break;
          }
          if (records == 0) {
            oldestMillis = record.appendedAtMillis();
          }
          records++;
          offset = record.end();
        }
        segmentSizes.put(id, offset);
        diskBytes += offset;
      }
    }
    if (segmentSizes.isEmpty()) {
      createSegment(1);
    }
    activeSegment = segmentSizes.lastKey();
    active = FileChannel.open(segment(activeSegment), StandardOpenOption.WRITE);
    active.position(segmentSizes.get(activeSegment));
    appendedSequence = records;
    ackedSegment = segmentSizes.firstKey();
    unackedBytes = diskBytes;
    reserved.set(diskBytes);
    publishStats();
    log.info("spool {} opened: {} records, {} bytes in {} segments", dir, records, diskBytes, segmentSizes.size());
  }

  /** One group commit: everything queued is written and fsynced together. */
  private void round() {
    roundScheduled.set(false);
    List<Pending> batch = new ArrayList<>();
    for (Pending p = queue.poll(); p != null; p = queue.poll()) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return;
    }
    if (failure != null || active == null) {
      Throwable cause = failure != null ? failure : new IllegalStateException("spool is closed");
      batch.forEach(p -> p.fail(cause));
      return;
    }
    long now = System.currentTimeMillis();
    roundSegment = activeSegment;
    roundOffset = segmentSizes.get(activeSegment);
    roundDiskBytes = diskBytes;
    try {
      for (Pending p : batch) {
        long size = RecordFormat.HEADER_BYTES + (long) p.payload.length;
        long activeSize = segmentSizes.get(activeSegment);
        if (activeSize > 0 && activeSize + size > segmentBytes) {
          roll();
          activeSize = 0;
        }
        writeFully(RecordFormat.header(p.payload, now), ByteBuffer.wrap(p.payload));
        segmentSizes.put(activeSegment, activeSize + size);
        diskBytes += size;
      }
      active.force(false);
      fsyncs.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      failure = e;
      log.error("spool append failed; refusing appends until the spool is repaired (tried every {} ms)", REPAIR_MILLIS, e);
      batch.forEach(p -> p.fail(e));
      scheduleRepair();
      return;
    }
    if (appendedSequence == ackedSequence) {
      oldestMillis = now;
    }
    unackedBytes += diskBytes - roundDiskBytes;
    appendedSequence += batch.size();
    publishStats();
    batch.forEach(Pending::succeed);
  }

  private void scheduleRepair() {
    if (repairScheduled || closed) {
      return;
    }
    repairScheduled = true;
    vertx.setTimer(REPAIR_MILLIS, id -> onIo(() -> {
      repairScheduled = false;
      repair();
      return null;
    }));
  }

  /**
   * Cuts the failed round away and continues in a new segment; on another I/O error the spool stays
   * failed and tries again later. Runs on the I/O thread, where rounds run, so no append interleaves.
   */
  private void repair() {
    if (failure == null || closed) {
      return;
    }
    try {
      if (active != null) {
        closeQuietly(active);
        active = null;
      }
      for (long id = activeSegment + 1; id > roundSegment; id--) {
        Files.deleteIfExists(segment(id));
        segmentSizes.remove(id);
      }
      try (FileChannel cut = FileChannel.open(segment(roundSegment), StandardOpenOption.WRITE)) {
        cut.truncate(roundOffset);
        cut.force(true);
      }
      segmentSizes.put(roundSegment, roundOffset);
      diskBytes = roundDiskBytes;
      activeSegment = roundSegment;
      createSegment(roundSegment + 1);
      activeSegment = roundSegment + 1;
      active = FileChannel.open(segment(activeSegment), StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      log.warn("spool {} still unusable, trying again in {} ms: {}", dir, REPAIR_MILLIS, e.toString());
      scheduleRepair();
      return;
    }
    failure = null;
    publishStats();
    log.info("spool {} repaired: the failed round was cut away, appends go to segment {}", dir, activeSegment);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException alreadyBroken) {
      // The channel is abandoned either way: the repair does not write through it again.
    }
  }

  private void writeFully(ByteBuffer header, ByteBuffer payload) throws IOException {
    ByteBuffer[] parts = {header, payload};
    while (header.hasRemaining() || payload.hasRemaining()) {
      active.write(parts);
    }
  }

  /** The active segment is made durable before its successor exists, so only the last can be torn. */
  private void roll() throws IOException {
    active.force(false);
    fsyncs.incrementAndGet();
    active.close();
    createSegment(activeSegment + 1);
    activeSegment++;
    active = FileChannel.open(segment(activeSegment), StandardOpenOption.WRITE);
  }

  private void createSegment(long id) throws IOException {
    Files.createFile(segment(id));
    // The new directory entry must survive a crash too, or acknowledged records in it would vanish.
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
    segmentSizes.put(id, 0L);
  }

  private List<SpoolRecord> read(int max) throws IOException {
    List<SpoolRecord> records = new ArrayList<>(Math.min(max, 1024));
    long id = ackedSegment;
    long offset = ackedOffset;
    long sequence = ackedSequence;
    FileChannel channel = null;
    try {
      while (records.size() < max && sequence < appendedSequence) {
        long size = segmentSizes.get(id);
        if (offset >= size) {
          id = segmentSizes.higherKey(id);
          offset = 0;
          if (channel != null) {
            channel.close();
            channel = null;
          }
          continue;
        }
        if (channel == null) {
          channel = FileChannel.open(segment(id), StandardOpenOption.READ);
        }
        RecordFormat.Read record = RecordFormat.read(channel, offset, size);
        if (record == null) {
          throw new IOException("spool segment " + id + " is damaged at offset " + offset + " since it was written");
        }
        offset = record.end();
        sequence++;
        records.add(new SpoolRecord(new SpoolPosition(id, offset, sequence),
            Instant.ofEpochMilli(record.appendedAtMillis()), Buffer.buffer(record.payload())));
      }
    } finally {
      if (channel != null) {
        channel.close();
      }
    }
    return records;
  }

  private void markAcknowledged(SpoolPosition position) throws IOException {
    if (position.sequence() <= ackedSequence) {
      return;
    }
    Long size = segmentSizes.get(position.segment());
    if (position.sequence() > appendedSequence || size == null || position.offset() > size) {
      throw new IllegalArgumentException("not a position of this spool: " + position);
    }
    long freed = bytesBetween(ackedSegment, ackedOffset, position.segment(), position.offset());
    unackedBytes -= freed;
    reserved.addAndGet(-freed);
    ackedSegment = position.segment();
    ackedOffset = position.offset();
    ackedSequence = position.sequence();
    for (Map.Entry<Long, Long> done : List.copyOf(segmentSizes.headMap(ackedSegment).entrySet())) {
      delete(done.getKey(), done.getValue());
    }
    if (ackedOffset == size && ackedSegment != activeSegment) {
      delete(ackedSegment, size);
      ackedSegment = segmentSizes.firstKey();
      ackedOffset = 0;
    }
    if (ackedSequence == appendedSequence) {
      oldestMillis = -1;
    } else {
      try (FileChannel channel = FileChannel.open(segment(ackedSegment), StandardOpenOption.READ)) {
        oldestMillis = RecordFormat.appendedAt(channel, ackedOffset);
      }
    }
    publishStats();
  }

  /** The record bytes from one position to a later one, across segments. */
  private long bytesBetween(long fromSegment, long fromOffset, long toSegment, long toOffset) {
    if (fromSegment == toSegment) {
      return toOffset - fromOffset;
    }
    long bytes = segmentSizes.get(fromSegment) - fromOffset + toOffset;
    for (long size : segmentSizes.subMap(fromSegment, false, toSegment, false).values()) {
      bytes += size;
    }
    return bytes;
  }

  /**
   * No directory fsync here: if a deletion is lost in a crash, the segment's records are replayed
   * again, which the replay contract already allows. The space was counted free when acknowledged.
   */
  private void delete(long id, long size) throws IOException {
    Files.delete(segment(id));
    segmentSizes.remove(id);
    diskBytes -= size;
  }

  private void publishStats() {
    stats = new SpoolStats(appendedSequence - ackedSequence, unackedBytes,
        oldestMillis < 0 ? null : Instant.ofEpochMilli(oldestMillis), deadLetters.count());
  }

  private Path segment(long id) {
    return dir.resolve(String.format("%020d.seg", id));
  }

  private final class Pending {
    final byte[] payload;
    final Context context;
    final Promise<Void> promise = Promise.promise();

    Pending(byte[] payload, Context context) {
      this.payload = payload;
      this.context = context;
    }

    void succeed() {
      context.runOnContext(v -> promise.complete());
    }

    void fail(Throwable cause) {
      reserved.addAndGet(-(RecordFormat.HEADER_BYTES + (long) payload.length));
      context.runOnContext(v -> promise.fail(cause));
    }
  }
}
