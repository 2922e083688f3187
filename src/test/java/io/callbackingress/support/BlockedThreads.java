package io.callbackingress.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns Vert.x's blocked-thread warnings into test failures (logback-test.xml routes them here).
 *
 * <p>Test Vert.x instances report any event-loop task over 100 ms, with its stack (see
 * {@link TestVertx}). A warning fails the test when that stack is waiting — on a socket, a file, a
 * lock, a sleep, JDBC, DNS — which is what a blocking slip looks like. A stack that is only busy
 * (JIT warm-up, first allocations of a cold JVM on a shared two-core machine) or inside a class
 * initializer is printed but not failed: it is not a slip, and failing on it would make the suite
 * flaky.
 */
public final class BlockedThreads extends AppenderBase<ILoggingEvent> {

  private static final List<String> WAITING = List.of(
      "java.lang.Thread.sleep", "java.lang.Object.wait", "java.util.concurrent.locks.LockSupport.park",
      "java.net.Socket", "java.net.InetAddress.getByName", "java.net.InetAddress.getAllByName",
      // Not sun.nio.ch.FileDispatcherImpl: Netty's non-blocking socket writes go through it too.
      "sun.nio.ch.FileChannelImpl", "java.io.FileInputStream",
      "java.io.FileOutputStream", "java.io.RandomAccessFile", "java.sql.", "org.postgresql.",
      "io.vertx.core.Future.await", "java.util.concurrent.CompletableFuture.get",
      "java.util.concurrent.CompletableFuture.join", "java.lang.ProcessImpl", "java.lang.Process.waitFor");

  private static final List<String> failures = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    IThrowableProxy stack = event.getThrowableProxy();
    if (stack == null || initializesAClass(stack)) {
      return;
    }
    for (StackTraceElementProxy frame : stack.getStackTraceElementProxyArray()) {
      String text = frame.getStackTraceElement().getClassName() + "." + frame.getStackTraceElement().getMethodName();
      for (String waiting : WAITING) {
        if (text.startsWith(waiting)) {
          failures.add(event.getFormattedMessage() + " waiting in " + frame.getSTEAsString());
          return;
        }
      }
    }
  }

  /**
   * Loading or initializing a class happens once per JVM: whatever it waits on (reading the jar,
   * a native probe) is warm-up, not a slip.
   */
  private static boolean initializesAClass(IThrowableProxy stack) {
    for (StackTraceElementProxy frame : stack.getStackTraceElementProxyArray()) {
      StackTraceElement element = frame.getStackTraceElement();
      if (element.getMethodName().equals("<clinit>")
          || element.getClassName().equals("jdk.internal.loader.BuiltinClassLoader")
          || element.getClassName().equals("java.lang.ClassLoader") && element.getMethodName().equals("loadClass")) {
        return true;
      }
    }
    return false;
  }

  /** The blocking slips since the last call, which clears them. */
  public static List<String> drain() {
    List<String> seen = List.copyOf(failures);
    failures.clear();
    return seen;
  }
}
