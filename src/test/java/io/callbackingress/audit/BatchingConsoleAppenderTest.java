package io.callbackingress.audit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit appender with standard output replaced by a stream the test reads, and one it can hold. */
class BatchingConsoleAppenderTest {

  private final PrintStream realOut = System.out;
  private final LoggerContext context = new LoggerContext();
  private BatchingConsoleAppender appender;

  @AfterEach
  void restoreStandardOutput() {
    if (appender != null) {
      appender.stop();
    }
    System.setOut(realOut);
  }

  private BatchingConsoleAppender start(OutputStream out, int queueSize) {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    appender = new BatchingConsoleAppender();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setQueueSize(queueSize);
    appender.start();
    return appender;
  }

  private void append(String line) {
    appender.doAppend(new LoggingEvent("audit", context.getLogger("audit"), Level.INFO, line, null, null));
  }

  @Test
  void everyLineReachesStandardOutputWholeAndInOrderByTheTimeItStops() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    start(out, 65_536);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      String line = "{\"line\":" + i + ",\"pad\":\"" + "x".repeat(i % 300) + "\"}";
      sent.add(line);
      append(line);
    }
    appender.stop();
    assertEquals(sent, out.toString(StandardCharsets.UTF_8).lines().toList());
  }

  @Test
  void aLineAppendedWhileTheWriterSleepsIsWrittenWithoutWaitingForMore() throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    start(out, 16);
    append("{\"first\":true}");
    Thread.sleep(200);
    append("{\"second\":true}");
    await("the second line written")
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(() -> assertEquals(List.of("{\"first\":true}", "{\"second\":true}"),
            out.toString(StandardCharsets.UTF_8).lines().toList()));
  }

  @Test
  void aFullQueueDropsTheLineInsteadOfBlockingTheCaller() throws InterruptedException {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream stuck = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        writing.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        written.write(b, off, len);
      }
    };
    start(stuck, 4);
    append("{\"held\":0}");
    assertTrue(writing.await(5, java.util.concurrent.TimeUnit.SECONDS), "the writer never wrote");
    long droppedBefore = BatchingConsoleAppender.dropped();
    for (int i = 1; i <= 6; i++) {
      append("{\"queued\":" + i + "}");
    }
    assertEquals(2, BatchingConsoleAppender.dropped() - droppedBefore, "four lines fit in the queue, two do not");
    release.countDown();
    appender.stop();
    assertEquals(List.of("{\"held\":0}", "{\"queued\":1}", "{\"queued\":2}", "{\"queued\":3}", "{\"queued\":4}"),
        written.toString(StandardCharsets.UTF_8).lines().toList());
  }
}
