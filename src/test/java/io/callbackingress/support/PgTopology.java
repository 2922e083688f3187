package io.callbackingress.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Postgres primary and a streaming standby of its own, formed by {@code scripts/pg-topologies.sh}
 * (Debian's initdb, pg_basebackup -R, pg_ctl) on two free ports, for a test to crash the primary
 * and promote the standby. Closing tears down both servers and their data, and so does the JVM's
 * exit if a test never got to close it.
 */
public final class PgTopology implements AutoCloseable {

  /** Whether the standby confirms each commit before the primary acknowledges it. */
  public enum Standby {
    SYNCHRONOUS("sync"), ASYNCHRONOUS("async");

    private final String mode;

    Standby(String mode) {
      this.mode = mode;
    }
  }

  private static final Path SCRIPT = Path.of("scripts", "pg-topologies.sh").toAbsolutePath();
  private static final Path SERVER_TOOLS = Path.of("/usr/lib/postgresql");
  /** initdb, a base backup and two starts on two shared cores: seconds, rarely tens of them. */
  private static final long COMMAND_LIMIT_SECONDS = 90;

  private final Map<String, String> environment;
  private final int primaryPort;
  private final int standbyPort;
  private final Thread teardownAtExit = new Thread(this::teardown, "pg-topology-teardown");

  private PgTopology(Path dir, int primaryPort, int standbyPort) {
    this.primaryPort = primaryPort;
    this.standbyPort = standbyPort;
    this.environment = Map.of("PG_TOPOLOGY_DIR", dir.toString(),
        "PG_TOPOLOGY_PRIMARY_PORT", Integer.toString(primaryPort),
        "PG_TOPOLOGY_STANDBY_PORT", Integer.toString(standbyPort));
  }

  /** Whether Debian's Postgres server tools are installed: the condition of the tests that need them. */
  public static boolean installed() {
    try (Stream<Path> versions = Files.list(SERVER_TOOLS)) {
      return versions.anyMatch(version -> Stream.of("initdb", "pg_ctl", "pg_basebackup")
          .allMatch(tool -> Files.isExecutable(version.resolve("bin").resolve(tool))));
    } catch (IOException notInstalled) {
      return false;
    }
  }

  /** A primary and a streaming standby, both running, the standby caught up. */
  public static PgTopology start(Standby standby) {
    Path dir = Path.of("/tmp/callback-ingress-pg-topologies", "it-" + UUID.randomUUID().toString().substring(0, 8));
    PgTopology topology = new PgTopology(dir, IngressServer.freePort(), IngressServer.freePort());
    Runtime.getRuntime().addShutdownHook(topology.teardownAtExit);
    try {
      topology.run("start", standby.mode);
    } catch (RuntimeException e) {
      topology.close();
      throw e;
    }
    return topology;
  }

  public int primaryPort() {
    return primaryPort;
  }

  public int standbyPort() {
    return standbyPort;
  }

  /** Creates {@code name} on the primary (the standby replays it); returns the primary's URI of it. */
  public String createDatabase(String name) {
    TestServices.sql(uri(primaryPort, "postgres"), "CREATE DATABASE " + name);
    return uri(primaryPort, name);
  }

  /** The URI of {@code database} on the server at {@code port}, one of this topology's two. */
  public static String uri(int port, String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  /** {@code pg_ctl stop -m immediate}: the primary dies without a checkpoint and drops every connection. */
  public void crashPrimary() {
    run("stop", "primary");
  }

  /** The standby leaves recovery and takes writes; returns once it does. */
  public void promote() {
    run("promote");
  }

  @Override
  public void close() {
    teardown();
    try {
      Runtime.getRuntime().removeShutdownHook(teardownAtExit);
    } catch (IllegalStateException exiting) {
      // the hook is running or has run: nothing left to remove
    }
  }

  private void teardown() {
    run("teardown");
  }

  private void run(String... arguments) {
    String command = "pg-topologies.sh " + String.join(" ", arguments);
    try {
      Path output = Files.createTempFile("pg-topology", ".log");
      ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(SCRIPT.toString()), Stream.of(arguments)).toList())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      boolean finished = process.waitFor(COMMAND_LIMIT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly();
      }
      String said = Files.readString(output);
      Files.delete(output);
      if (!finished || process.exitValue() != 0) {
        throw new AssertionError(command + (finished ? " exited " + process.exitValue() : " still running") + ": " + said);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
