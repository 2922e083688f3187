package io.callbackingress.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A logback appender for a line per request (the audit log): the caller encodes its line and
 * leaves it in a bounded queue without waking anyone; one writer thread sends what has gathered
 * to standard output in one write. It replaces AsyncAppender + ConsoleAppender there, which under
 * W1 cost a futex wake-up, a context switch and a write system call per line: a third of the
 * ingress's CPU was kernel time.
 *
 * <p>Implementation notes. Callers never block and never signal unless the writer has gone to
 * sleep on an empty queue; after each write the writer lingers {@link #LINGER_NANOS} so lines
 * gather, which bounds how late a line reaches standard output. A full queue drops the line
 * rather than stall an event loop (AsyncAppender's {@code neverBlock}); {@link #dropped()} counts
 * them. Writes go through {@code System.out}, whose lock keeps each batch whole between the lines
 * other appenders write there. {@link #stop()} writes everything queued before it returns.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  /** Long enough to gather a few lines per write at thousands of requests a second, short next to a log shipper's delay. */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** One write at most: a batch of about a thousand audit lines. */
  private static final int MAX_BATCH_BYTES = 256 * 1024;
  private static final long STOP_WAIT_MILLIS = 5_000;
  private static final AtomicLong DROPPED = new AtomicLong();

  private final Queue<byte[]> lines = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Batch batch = new Batch();
  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 65_536;
  private volatile boolean running;
  private volatile boolean sleeping;
  private Thread writer;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  /** The most lines held for writing; more are dropped. */
  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /** Lines dropped on a full queue since the process started, by every instance. */
  public static long dropped() {
    return DROPPED.get();
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder for appender " + name);
      return;
    }
    running = true;
    writer = new Thread(this::writeUntilStopped, "audit-writer");
    writer.setDaemon(true);
    writer.start();
    super.start();
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    running = false;
    LockSupport.unpark(writer);
    try {
      writer.join(STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (queued.incrementAndGet() > queueSize) {
      queued.decrementAndGet();
      DROPPED.incrementAndGet();
      return;
    }
    lines.add(encoder.encode(event));
    if (sleeping) {
      LockSupport.unpark(writer);
    }
  }

  private void writeUntilStopped() {
    PrintStream out = System.out;
    while (running || !lines.isEmpty()) {
      if (writeBatch(out)) {
        LockSupport.parkNanos(LINGER_NANOS);
        continue;
      }
      sleeping = true;
      // A line added after this check finds sleeping set and unparks; one added before it is seen here.
      if (running && lines.isEmpty()) {
        LockSupport.park(this);
      }
      sleeping = false;
    }
    out.flush();
  }

  /** Writes what is queued, up to one batch; false when there was nothing. */
  private boolean writeBatch(PrintStream out) {
    batch.reset();
    byte[] line;
    while (batch.size() < MAX_BATCH_BYTES && (line = lines.poll()) != null) {
      queued.decrementAndGet();
      batch.writeBytes(line);
    }
    if (batch.size() == 0) {
      return false;
    }
    batch.writeTo(out);
    return true;
  }

  /** The writer's buffer, written out without a copy. */
  private static final class Batch extends ByteArrayOutputStream {
    Batch() {
      super(MAX_BATCH_BYTES);
    }

    void writeTo(PrintStream out) {
      out.write(buf, 0, count);
      out.flush();
    }
  }
}
