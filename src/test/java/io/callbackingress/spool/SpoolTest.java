package io.callbackingress.spool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.SpoolStats;
import io.callbackingress.support.BlockedThreads;
import io.callbackingress.support.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC 7: the spool keeps acknowledged writes through crashes and hands them back in order, once. */
class SpoolTest {

  /** Header bytes plus a 100-byte payload: two such records fit in a 256-byte segment, three do not. */
  private static final int RECORD_BYTES = RecordFormat.HEADER_BYTES + 100;
  private static final long SMALL_SEGMENT = 256;

  @TempDir
  Path dir;
  private Vertx vertx;
  private final List<Spool> opened = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = TestVertx.create(TestVertx.registry());
  }

  @AfterEach
  void stop() {
    opened.forEach(spool -> spool.close().otherwiseEmpty().await());
    vertx.close().await();
    assertEquals(List.of(), BlockedThreads.drain());
  }

  @Test
  void appendedRecordsAreReadBackInOrder() {
    Spool spool = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    for (int i = 0; i < 5; i++) {
      spool.append(Buffer.buffer("record-" + i)).await();
    }
    assertEquals(List.of("record-0", "record-1", "record-2", "record-3", "record-4"), payloads(spool.next(10).await()));
    assertEquals(List.of("record-0", "record-1"), payloads(spool.next(2).await()));
  }

  @Test
  void concurrentAppendsFromTwoEventLoopsAreAllDurableInOrderAndShareFsyncs() {
    Spool spool = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    int perLoop = 500;
    Set<String> loops = ConcurrentHashMap.newKeySet();
    Set<String> wrongContext = ConcurrentHashMap.newKeySet();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        Context own = context;
        String loop = Thread.currentThread().getName();
        loops.add(loop);
        List<Future<Void>> appends = new ArrayList<>();
        for (int i = 0; i < perLoop; i++) {
          appends.add(spool.append(Buffer.buffer(loop + ":" + i))
              .andThen(done -> {
                if (Vertx.currentContext() != own) {
                  wrongContext.add(Thread.currentThread().getName());
                }
              }));
        }
        return Future.all(appends);
      }
    }, new DeploymentOptions().setInstances(2)).await();

    assertEquals(2, loops.size(), "appends came from two event loops");
    assertEquals(Set.of(), wrongContext, "each append completes on its caller's context");
    List<String> records = payloads(spool.next(10 * perLoop).await());
    assertEquals(2 * perLoop, records.size());
    List<String> firstLoop = new ArrayList<>();
    List<String> secondLoop = new ArrayList<>();
    String first = records.get(0).split(":")[0];
    for (String record : records) {
      (record.startsWith(first + ":") ? firstLoop : secondLoop).add(record);
    }
    assertEquals(perLoop, firstLoop.size());
    for (int i = 0; i < perLoop; i++) {
      assertTrue(firstLoop.get(i).endsWith(":" + i), firstLoop.get(i));
      assertTrue(secondLoop.get(i).endsWith(":" + i), secondLoop.get(i));
    }
    assertTrue(spool.fsyncs() < 2 * perLoop, "group commit made " + spool.fsyncs() + " fsyncs");
  }

  @Test
  void reopeningRecoversEveryAppendedRecord() {
    Spool spool = open(Long.MAX_VALUE, SMALL_SEGMENT);
    for (int i = 0; i < 7; i++) {
      spool.append(payload(i)).await();
    }
    spool.close().await();

    Spool reopened = open(Long.MAX_VALUE, SMALL_SEGMENT);
    List<SpoolRecord> records = reopened.next(100).await();
    assertEquals(7, records.size());
    for (int i = 0; i < 7; i++) {
      assertEquals(payload(i), records.get(i).payload());
    }
    assertEquals(7, reopened.stats().depth());
    assertEquals(records.get(0).appendedAt(), reopened.stats().oldest());
    reopened.append(payload(7)).await();
    assertEquals(8, reopened.next(100).await().size());
  }

  @Test
  void aTailCutMidRecordIsTruncatedAndTheRestReplayed() throws IOException {
    Spool spool = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    for (int i = 0; i < 3; i++) {
      spool.append(payload(i)).await();
    }
    spool.close().await();
    Path segment = onlySegment();
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(3L * RECORD_BYTES - 40);
    }

    Spool reopened = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    assertEquals(List.of(payload(0), payload(1)), buffers(reopened.next(10).await()));
    assertEquals(2L * RECORD_BYTES, Files.size(segment));
    reopened.append(payload(9)).await();
    reopened.close().await();
    assertEquals(List.of(payload(0), payload(1), payload(9)),
        buffers(open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES).next(10).await()));
  }

  @Test
  void deadLettersAreKeptOnceUntilForgottenAndATornLastLineIsCutOnOpen() throws IOException {
    Spool spool = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    DeadLetter refused = new DeadLetter(UUID.randomUUID(), "test_runs", "test_run.create", "req-1",
        Instant.parse("2026-12-07T10:00:00Z"), Instant.parse("2026-12-07T10:00:01Z"), "refused",
        new byte[] {'{', 0, (byte) 0xFF, '}'});
    spool.deadLetter(refused).await();
    spool.deadLetter(refused).await();
    assertEquals(1, spool.stats().deadLetters(), "set aside twice, kept once");
    spool.close().await();
    String legacy = "{\"dead_lettered_at\":\"2026-12-01T10:00:00Z\",\"appended_at\":\"2026-12-01T09:59:59Z\","
        + "\"reason\":\"before\",\"record\":\"{}\"}";
    Path file = dir.resolve("dead-letters.jsonl");
    Files.writeString(file, legacy + "\n{\"id\":\"torn", StandardOpenOption.APPEND);

    Spool reopened = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    List<DeadLetter> kept = reopened.deadLetters().await();
    assertEquals(2, kept.size());
    assertEquals(2, reopened.stats().deadLetters());
    assertEquals(refused.id(), kept.get(0).id());
    assertEquals("req-1", kept.get(0).requestId());
    assertArrayEquals(refused.write(), kept.get(0).write(), "bytes that are not UTF-8 come back as they were");
    assertEquals(UUID.nameUUIDFromBytes(legacy.getBytes(StandardCharsets.UTF_8)), kept.get(1).id());
    assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), kept.get(1).write());
    assertTrue(Files.readString(file).endsWith(legacy + "\n"), "the torn line is cut");

    reopened.forgetDeadLetters(Set.of(refused.id())).await();
    assertEquals(1, reopened.stats().deadLetters());
    assertEquals(legacy + "\n", Files.readString(file));
  }

  @Test
  void aFlippedByteInTheLastRecordIsTruncatedAndTheRestReplayed() throws IOException {
    Spool spool = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    for (int i = 0; i < 3; i++) {
      spool.append(payload(i)).await();
    }
    spool.close().await();
    Path segment = onlySegment();
    long inLastPayload = 2L * RECORD_BYTES + RecordFormat.HEADER_BYTES + 50;
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, inLastPayload);
      one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
      channel.write(one, inLastPayload);
    }

    Spool reopened = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    assertEquals(List.of(payload(0), payload(1)), buffers(reopened.next(10).await()));
    assertEquals(2, reopened.stats().depth());
  }

  @Test
  void segmentsRollAndAreDeletedOnlyOnceAllTheirRecordsAreAcknowledged() throws IOException {
    Spool spool = open(Long.MAX_VALUE, SMALL_SEGMENT);
    for (int i = 0; i < 10; i++) {
      spool.append(payload(i)).await();
    }
    assertEquals(5, segments().size());
    List<SpoolRecord> records = spool.next(10).await();

    spool.acknowledge(records.get(2).position()).await();
    assertEquals(4, segments().size(), "the first segment is wholly acknowledged, the second is not");
    assertEquals(payload(3), spool.next(1).await().get(0).payload());

    spool.acknowledge(records.get(3).position()).await();
    assertEquals(3, segments().size());

    spool.acknowledge(records.get(9).position()).await();
    assertEquals(1, segments().size(), "the active segment stays");
    assertEquals(List.of(), spool.next(10).await());
    spool.acknowledge(records.get(5).position()).await();
    assertEquals(0, spool.stats().depth());
  }

  @Test
  void anAppendPastMaxBytesFailsFastUntilSpaceIsFreed() {
    Spool spool = open(4L * RECORD_BYTES, SMALL_SEGMENT);
    for (int i = 0; i < 4; i++) {
      spool.append(payload(i)).await();
    }
    Throwable full = assertThrows(Throwable.class, () -> spool.append(payload(4)).await());
    assertInstanceOf(SpoolFullException.class, full);

    spool.acknowledge(spool.next(2).await().get(1).position()).await();
    spool.append(payload(4)).await();
    assertEquals(List.of(payload(2), payload(3), payload(4)), buffers(spool.next(10).await()));
  }

  @Test
  void statsReportDepthBytesAndTheOldestUnacknowledgedRecord() {
    Spool spool = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    assertEquals(new SpoolStats(0, 0, null, 0), spool.stats());
    Instant before = Instant.ofEpochMilli(System.currentTimeMillis());
    for (int i = 0; i < 3; i++) {
      spool.append(payload(i)).await();
    }
    List<SpoolRecord> records = spool.next(3).await();
    SpoolStats stats = spool.stats();
    assertEquals(3, stats.depth());
    assertEquals(3L * RECORD_BYTES, stats.bytes());
    assertEquals(records.get(0).appendedAt(), stats.oldest());
    assertFalse(stats.oldest().isBefore(before));

    spool.acknowledge(records.get(0).position()).await();
    assertEquals(2, spool.stats().depth());
    assertEquals(records.get(1).appendedAt(), spool.stats().oldest());

    spool.acknowledge(records.get(2).position()).await();
    assertEquals(0, spool.stats().depth());
    assertNull(spool.stats().oldest());
    assertEquals(0, spool.stats().bytes(), "acknowledged records free their bytes at once");
  }

  /**
   * With the default sizing a spool far smaller than 16 MiB still gets its space back batch by
   * batch: it never stays full behind a segment that cannot be deleted while it is the active one.
   */
  @Test
  void aSmallSpoolFreesTheSpaceOfEachAcknowledgedBatch() throws IOException {
    Spool spool = Spool.open(vertx, new IngressConfig.Spool(dir.toString(), 4L * RECORD_BYTES)).await();
    opened.add(spool);
    for (int i = 0; i < 4; i++) {
      spool.append(payload(i)).await();
    }
    assertInstanceOf(SpoolFullException.class, assertThrows(Throwable.class, () -> spool.append(payload(4)).await()));

    spool.acknowledge(spool.next(2).await().get(1).position()).await();
    assertEquals(2L * RECORD_BYTES, spool.stats().bytes());
    spool.append(payload(4)).await();
    spool.append(payload(5)).await();
    assertInstanceOf(SpoolFullException.class, assertThrows(Throwable.class, () -> spool.append(payload(6)).await()));
    assertEquals(1, segments().size(), "all of it in the one active segment");

    spool.acknowledge(spool.next(10).await().get(3).position()).await();
    assertEquals(new SpoolStats(0, 0, null, 0), spool.stats());
    for (int i = 6; i < 10; i++) {
      spool.append(payload(i)).await();
    }
    assertEquals(List.of(payload(6), payload(7), payload(8), payload(9)), buffers(spool.next(10).await()));
  }

  @Test
  void segmentsShrinkWithASmallMaxBytes() {
    assertEquals(Spool.DEFAULT_SEGMENT_BYTES, Spool.segmentBytesFor(1L << 30));
    assertEquals(1L << 20, Spool.segmentBytesFor(8L << 20));
    assertEquals(64L << 10, Spool.segmentBytesFor(1_000));
  }

  /**
   * An I/O error stops appends only until the disk is usable again. Tests may run as root, whom
   * permissions do not stop, so the spool directory is taken away instead and a plain file put in
   * its place: the open segment still takes writes, but the next segment cannot be created —
   * as when a volume goes away or fills. Putting the directory back is the disk coming back.
   */
  @Test
  void anIoErrorRefusesAppendsUntilTheDiskIsBackAndLosesNoAcknowledgedRecord() throws IOException {
    Path spoolDir = dir.resolve("spool");
    Path away = dir.resolve("spool-away");
    Spool spool = Spool.open(vertx, new IngressConfig.Spool(spoolDir.toString(), Long.MAX_VALUE), SMALL_SEGMENT).await();
    opened.add(spool);
    spool.append(payload(0)).await();
    spool.append(payload(1)).await();

    Files.move(spoolDir, away);
    Files.createFile(spoolDir);
    assertThrows(Throwable.class, () -> spool.append(payload(2)).await(), "the third record needs a new segment");
    assertFalse(spool.healthy());
    assertThrows(Throwable.class, () -> spool.append(payload(3)).await());
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2 * Spool.REPAIR_MILLIS + 200));
    assertFalse(spool.healthy(), "no repair while the directory is still gone");

    Files.delete(spoolDir);
    Files.move(away, spoolDir);
    await("repaired once the directory is back")
        .atMost(Duration.ofSeconds(5))
        .until(spool::healthy);
    spool.append(payload(4)).await();
    assertEquals(List.of(payload(0), payload(1), payload(4)), buffers(spool.next(10).await()));

    spool.close().await();
    Spool reopened = Spool.open(vertx, new IngressConfig.Spool(spoolDir.toString(), Long.MAX_VALUE), SMALL_SEGMENT).await();
    opened.add(reopened);
    assertEquals(List.of(payload(0), payload(1), payload(4)), buffers(reopened.next(10).await()),
        "after a restart too: what was acknowledged, nothing of the failed round");
  }

  @Test
  void appendsAfterCloseAreRefused() {
    Spool spool = open(Long.MAX_VALUE, Spool.DEFAULT_SEGMENT_BYTES);
    spool.close().await();
    Throwable refused = assertThrows(Throwable.class, () -> spool.append(payload(0)).await());
    assertSame(IllegalStateException.class, refused.getClass());
    assertFalse(spool.healthy());
  }

  private Spool open(long maxBytes, long segmentBytes) {
    Spool spool = Spool.open(vertx, new IngressConfig.Spool(dir.toString(), maxBytes), segmentBytes).await();
    opened.add(spool);
    return spool;
  }

  private static Buffer payload(int i) {
    String text = "record-" + i + "-";
    return Buffer.buffer(text + "x".repeat(100 - text.length()));
  }

  private static List<String> payloads(List<SpoolRecord> records) {
    return records.stream().map(r -> r.payload().toString()).toList();
  }

  private static List<Buffer> buffers(List<SpoolRecord> records) {
    return records.stream().map(SpoolRecord::payload).toList();
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  private Path onlySegment() throws IOException {
    List<Path> segments = segments();
    assertEquals(1, segments.size());
    assertEquals("00000000000000000001.seg", segments.get(0).getFileName().toString());
    return segments.get(0);
  }
}
