package io.callbackingress.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A real HAProxy (the Debian package, which scripts/test-tools.sh installs) in front of replicas,
 * configured as the README's "Deploying behind a load balancer" says: PROXY protocol v2 to every
 * replica, health checks on {@code /health/ready}, round robin. Two additions exist for tests only:
 * {@code X-Replica: r<n>} sends a request to that replica, and every answer says which replica
 * gave it in {@code X-Served-By}.
 */
public final class HaProxy implements AutoCloseable {

  /** Health-check interval; with fall 2, a replica whose readiness is DOWN is out within about a second. */
  public static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
  public static final String SERVED_BY = "X-Served-By";
  public static final String REPLICA = "X-Replica";
  private static final Duration SETTLE = Duration.ofSeconds(60);
  /**
   * A request in the httplog format: client [date] frontend backend/server timers status bytes
   * cookie cookie state act/fe/be/srv/retries ... — retries "+n" when redispatched to another server.
   */
  private static final Pattern REQUEST_LINE =
      Pattern.compile("^\\S+ \\[[^]]+] \\S+ \\S+ \\S+ \\d+ \\d+ \\S+ \\S+ \\S+ \\d+/\\d+/\\d+/\\d+/(\\+?\\d+) .*");

  private final Process process;
  private final int port;
  private final int statsPort;
  private final Path log;
  private final HttpClient stats = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HaProxy(Process process, int port, int statsPort, Path log) {
    this.process = process;
    this.port = port;
    this.statsPort = statsPort;
    this.log = log;
  }

  /** Whether the haproxy binary is installed: the condition of the tests that need it. */
  public static boolean installed() {
    return binary().isPresent();
  }

  /** The haproxy binary, or empty when it is not installed. */
  private static Optional<Path> binary() {
    return Stream.concat(
            Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":")).map(Path::of),
            Stream.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin")))
        .map(dir -> dir.resolve("haproxy"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Starts HAProxy in front of the replicas listening on {@code replicaPorts}, named r1, r2, ... */
  public static HaProxy start(Path dir, List<Integer> replicaPorts) throws IOException {
    int port = IngressServer.freePort();
    int statsPort = IngressServer.freePort();
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, config(port, statsPort, replicaPorts));
    Path log = dir.resolve("haproxy.log");
    Process process = new ProcessBuilder(binary().orElseThrow().toString(), "-db", "-f", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    HaProxy haProxy = new HaProxy(process, port, statsPort, log);
    await("HAProxy answering its stats page")
        .atMost(Duration.ofSeconds(10))
        .until(haProxy::answers);
    return haProxy;
  }

  private static String config(int port, int statsPort, List<Integer> replicaPorts) {
    String servers = IntStream.range(0, replicaPorts.size())
        .mapToObj(i -> "  server r" + (i + 1) + " 127.0.0.1:" + replicaPorts.get(i))
        .collect(Collectors.joining("\n"));
    String pinned = IntStream.rangeClosed(1, replicaPorts.size())
        .mapToObj(n -> "  use-server r" + n + " if { req.hdr(" + REPLICA + ") -m str r" + n + " }")
        .collect(Collectors.joining("\n"));
    return """
        global
          log stdout format raw local0
        defaults
          mode http
          log global
          option httplog
          timeout connect 2s
          timeout client 30s
          timeout server 30s
          timeout http-keep-alive 30s
          timeout tunnel 1m
          # a connection refused by a replica that is going away is tried on another one
          retries 3
          option redispatch
        frontend ingress
          bind 127.0.0.1:%d
          default_backend replicas
        backend replicas
          balance roundrobin
          option httpchk GET /health/ready
          http-check expect status 200
          default-server check inter %dms fall 2 rise 2 send-proxy-v2 check-send-proxy
          http-response set-header %s %%[srv_name]
        %s
        %s
        listen stats
          bind 127.0.0.1:%d
          stats enable
          stats uri /stats
        """.formatted(port, CHECK_INTERVAL.toMillis(), SERVED_BY, pinned, servers, statsPort);
  }

  public int port() {
    return port;
  }

  /** Each replica's state as HAProxy's health checks see it: "UP", "DOWN", "UP 1/2", ... */
  public Map<String, String> states() {
    List<String> lines = statsCsv().lines().toList();
    List<String> header = List.of(lines.get(0).substring(2).split(","));
    int name = header.indexOf("svname");
    int status = header.indexOf("status");
    return lines.stream().skip(1)
        .map(line -> line.split(","))
        .filter(fields -> fields[0].equals("replicas") && fields[name].startsWith("r"))
        .collect(Collectors.toMap(fields -> fields[name], fields -> fields[status]));
  }

  public void awaitState(String replica, String state) {
    await(replica + " " + state + " in HAProxy")
        .atMost(SETTLE)
        // A poll of the stats page can meet a keep-alive connection HAProxy just closed; the next one opens anew.
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(() -> state.equals(states().get(replica)));
  }

  private boolean answers() {
    try {
      statsCsv();
      return true;
    } catch (UncheckedIOException notYet) {
      return false;
    }
  }

  private String statsCsv() {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
          .timeout(Duration.ofSeconds(2))
          .build();
      return stats.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The log lines of requests HAProxy had to send again — to the same replica or, redispatched, to
   * another — because a replica refused or dropped the connection: what a balancer hides from the
   * caller, and what a replica draining in the right order never makes it do.
   */
  public List<String> retriedRequests() throws IOException {
    return Files.readAllLines(log).stream()
        .map(REQUEST_LINE::matcher)
        .filter(line -> line.matches() && !line.group(1).equals("0"))
        .map(Matcher::group)
        .toList();
  }

  @Override
  public void close() {
    process.destroy();
  }
}
