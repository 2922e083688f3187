package io.callbackingress.support;

import java.security.Permission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the host names the JDK resolves while it is open, from any thread, and allows
 * everything else. {@code InetAddress} asks the security manager before every lookup by name,
 * never for an IP literal. A lookup that fails within a millisecond is too fast for
 * {@link BlockedThreads}, and a resolver that takes seconds in production may not here; this sees
 * the lookup itself. Java 17 allows installing a security manager at run time (with a warning).
 */
@SuppressWarnings("removal")
public final class NameLookups extends SecurityManager implements AutoCloseable {

  private static final StackWalker STACK = StackWalker.getInstance();

  private final List<String> names = new CopyOnWriteArrayList<>();

  private NameLookups() {}

  public static NameLookups record() {
    NameLookups lookups = new NameLookups();
    System.setSecurityManager(lookups);
    return lookups;
  }

  public List<String> names() {
    return List.copyOf(names);
  }

  /** Port -1 is also asked when a socket reveals its local address; only InetAddress's asking is a lookup. */
  @Override
  public void checkConnect(String host, int port) {
    if (port == -1 && STACK.walk(frames -> frames.anyMatch(frame -> frame.getClassName().equals("java.net.InetAddress")))) {
      names.add(host);
    }
  }

  @Override
  public void checkPermission(Permission permission) {
    // everything is allowed: this only watches
  }

  @Override
  public void checkPermission(Permission permission, Object context) {
    // everything is allowed: this only watches
  }

  @Override
  public void close() {
    System.setSecurityManager(null);
  }
}
