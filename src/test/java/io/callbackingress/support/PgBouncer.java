package io.callbackingress.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * A real PgBouncer (Debian's package, which scripts/test-tools.sh installs) in transaction mode in
 * front of the tests' Postgres, started by scripts/pgbouncer.sh — the settings of the README's
 * "Behind PgBouncer / RDS Proxy" — on a free port, as a child process with its log in {@code dir}.
 */
public final class PgBouncer implements AutoCloseable {

  private final Process process;
  private final int port;
  private final String target;

  private PgBouncer(Process process, int port, String target) {
    this.process = process;
    this.port = port;
    this.target = target;
  }

  /** Whether the pgbouncer binary is installed: the condition of the tests that need it. */
  public static boolean installed() {
    return Stream.concat(
            Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":")).map(Path::of),
            Stream.of(Path.of("/usr/sbin")))
        .map(dir -> dir.resolve("pgbouncer"))
        .anyMatch(Files::isExecutable);
  }

  /** Starts PgBouncer in front of the server of {@code postgresUri} ({@code postgresql://user@host:port/db}). */
  public static PgBouncer start(Path dir, String postgresUri) throws IOException {
    URI uri = URI.create(postgresUri);
    String target = uri.getHost() + ":" + uri.getPort();
    int port = IngressServer.freePort();
    Files.createDirectories(dir);
    ProcessBuilder builder = new ProcessBuilder("scripts/pgbouncer.sh", dir.toString(), Integer.toString(port), uri.getUserInfo())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("pgbouncer.log").toFile());
    builder.environment().put("POSTGRES", target);
    PgBouncer bouncer = new PgBouncer(builder.start(), port, target);
    await("PgBouncer listening on " + port)
        .atMost(Duration.ofSeconds(10))
        .until(bouncer::accepts);
    return bouncer;
  }

  private boolean accepts() {
    if (!process.isAlive()) {
      throw new AssertionError("pgbouncer exited " + process.exitValue());
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** {@code uri} with its host and port replaced by PgBouncer's. */
  public String route(String uri) {
    return uri.replace(target, "127.0.0.1:" + port);
  }

  @Override
  public void close() {
    process.destroy();
  }
}
