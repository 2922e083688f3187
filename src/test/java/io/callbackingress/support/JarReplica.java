package io.callbackingress.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One replica of the shipped jar as an operator runs it ({@code java -jar}, SIGTERM to stop), in a
 * small heap, with its config and its standard output and error in a directory of its own. A
 * restart appends to the same logs, so a test can read everything the replica ever said.
 */
public final class JarReplica implements AutoCloseable {

  /** Small JVMs: three of them share two cores with HAProxy, Postgres and the test. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final Duration START_LIMIT = Duration.ofSeconds(90);

  private final String name;
  private final Path dir;
  private final int port;
  /** What follows the JVM options: {@code -jar <jar>}, or a class path and the main class. */
  private final List<String> launcher;
  /** {@code http.proxyProtocol}: then every connection, the readiness probe's too, starts with a PROXY header. */
  private final boolean proxyProtocol;
  private Process process;

  private JarReplica(String name, Path dir, int port, List<String> launcher, boolean proxyProtocol) {
    this.name = name;
    this.dir = dir;
    this.port = port;
    this.launcher = launcher;
    this.proxyProtocol = proxyProtocol;
  }

  /**
   * Writes {@code config} (JSON, whose {@code http.port} must be {@code port}) into {@code dir} and
   * starts the jar on it, without waiting for it to be ready.
   */
  public static JarReplica start(String name, Path dir, int port, String config) throws IOException {
    return start(name, dir, port, config, List.of("-jar", System.getProperty("ingress.jar")));
  }

  /**
   * Like {@link #start(String, Path, int, String)}, with plugin jars beside the shipped one, as SPEC 12
   * runs them: {@code java -cp callback-ingress.jar:plugin.jar io.callbackingress.Main}.
   */
  public static JarReplica startWithPlugins(String name, Path dir, int port, String config, List<Path> plugins)
      throws IOException {
    StringBuilder classPath = new StringBuilder(System.getProperty("ingress.jar"));
    plugins.forEach(plugin -> classPath.append(File.pathSeparatorChar).append(plugin.toAbsolutePath()));
    return start(name, dir, port, config, List.of("-cp", classPath.toString(), "io.callbackingress.Main"));
  }

  private static JarReplica start(String name, Path dir, int port, String config, List<String> launcher)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), config);
    boolean proxyProtocol = new JsonObject(config).getJsonObject("http", new JsonObject()).getBoolean("proxyProtocol", false);
    JarReplica replica = new JarReplica(name, dir, port, launcher, proxyProtocol);
    replica.launch();
    return replica;
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(JVM_OPTIONS);
    command.addAll(launcher);
    command.addAll(List.of("-conf", "config.json"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.log").toFile()));
    builder.environment().put("INGRESS_INTERNAL_AUTH_TOKENS", IngressServer.INTERNAL_TOKEN);
    process = builder.start();
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** Waits until the replica answers {@code /health/ready} with 200 — asked directly, not through a balancer. */
  public void awaitReady() {
    await(name + " ready")
        .atMost(START_LIMIT)
        .failFast(name + " exited", () -> assertTrue(process.isAlive(),
            () -> "exit " + process.exitValue() + ": " + read("stderr.log") + read("stdout.log")))
        .untilAsserted(() -> assertTrue(ready(), () -> "stderr: " + read("stderr.log")));
  }

  private boolean ready() {
    try {
      String preface = proxyProtocol ? "PROXY TCP4 127.0.0.1 127.0.0.1 50000 " + port + "\r\n" : "";
      return RawHttp.status(RawHttp.exchange(port, preface
          + "GET /health/ready HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n")) == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Waits for a replica that refuses to start; returns its exit code. */
  public int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running " + limit.toSeconds() + " s after start");
    }
    return process.exitValue();
  }

  /** What it wrote to standard error, over all its runs. */
  public List<String> stderr() {
    return read("stderr.log").lines().toList();
  }

  /** SIGTERM, as a supervisor sends it; returns the exit code once the process has drained and exited. */
  public int terminate(Duration limit) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running " + limit.toSeconds() + " s after SIGTERM");
    }
    return process.exitValue();
  }

  /** Starts the same jar on the same config and port again. */
  public void restart() throws IOException {
    launch();
  }

  /** What it wrote to standard output (its log and audit lines), over all its runs. */
  public List<String> stdout() {
    return read("stdout.log").lines().toList();
  }

  /** The ERROR lines of its log and anything on standard error, over all its runs. */
  public List<String> errors() {
    return Stream.concat(read("stdout.log").lines().filter(line -> line.contains("\"level\":\"ERROR\"")),
        read("stderr.log").lines()).toList();
  }

  /** The last lines of standard output, audit lines included, for a failure message. */
  public String stdoutTail() {
    List<String> lines = read("stdout.log").lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private String read(String file) {
    try {
      return Files.readString(dir.resolve(file));
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
    }
  }
}
