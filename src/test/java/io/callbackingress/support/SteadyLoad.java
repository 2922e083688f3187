package io.callbackingress.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of requests for as long as a test does something else: request n is due n
 * periods after the start, sent by whichever of a few worker threads is free, so a slow answer
 * delays the stream only when every worker waits. Blocking: workers are plain threads, never an
 * event loop.
 */
public final class SteadyLoad implements AutoCloseable {

  /** Enough requests in flight to ride out a slow answer at test rates, few enough for two cores. */
  private static final int WORKERS = 4;

  /** Sends request number {@code sequence} and says how it went. */
  public interface Request {
    Outcome send(long sequence);
  }

  /** An HTTP exchange that may fail to happen at all. */
  public interface Exchange {
    Outcome run() throws IOException, InterruptedException;
  }

  /** A request's outcome: what identifies it when it succeeded, or what went wrong. */
  public record Outcome(String success, String failure) {
    public static Outcome success(String id) {
      return new Outcome(id, null);
    }

    public static Outcome failure(String reason) {
      return new Outcome(null, reason);
    }

    /** The exchange's outcome, or a failure named {@code label} when no answer came. */
    public static Outcome of(String label, Exchange exchange) {
      try {
        return exchange.run();
      } catch (IOException e) {
        return failure(label + ": no answer: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return failure(label + ": interrupted");
      }
    }
  }

  /** Every request sent, those that succeeded (by id) and how the others failed. */
  public record Result(long sent, List<String> succeeded, List<String> failures) {}

  private final ExecutorService workers;
  private final AtomicLong next = new AtomicLong();
  private final List<String> succeeded = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final long periodNanos;
  private final long startNanos = System.nanoTime();
  private volatile boolean running = true;

  private SteadyLoad(int perSecond, int callers) {
    this.periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    this.workers = Executors.newFixedThreadPool(callers);
  }

  public static SteadyLoad start(int perSecond, Request request) {
    return start(perSecond, WORKERS, request);
  }

  /**
   * With {@code callers} workers; a rate above what they can send makes it a burst of that many
   * concurrent callers, each sending its next request as soon as the last is answered.
   */
  public static SteadyLoad start(int perSecond, int callers, Request request) {
    SteadyLoad load = new SteadyLoad(perSecond, callers);
    for (int i = 0; i < callers; i++) {
      load.workers.execute(() -> load.work(request));
    }
    return load;
  }

  private void work(Request request) {
    while (running) {
      long sequence = next.getAndIncrement();
      long wait = startNanos + sequence * periodNanos - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Outcome outcome = request.send(sequence);
      synchronized (this) {
        if (outcome.success() != null) {
          succeeded.add(outcome.success());
        } else {
          failures.add(outcome.failure());
        }
      }
    }
  }

  /** Stops sending, waits for the requests in flight, and returns what happened. */
  public Result stop() throws InterruptedException {
    running = false;
    workers.shutdown();
    if (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
      throw new AssertionError("requests still in flight a minute after the load stopped");
    }
    synchronized (this) {
      return new Result(succeeded.size() + failures.size(), List.copyOf(succeeded), List.copyOf(failures));
    }
  }

  @Override
  public void close() {
    running = false;
    workers.shutdownNow();
  }
}
