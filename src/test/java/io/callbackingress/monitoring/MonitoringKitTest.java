package io.callbackingress.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * conf/monitoring (issue 15): the Grafana dashboard and the Prometheus rules use only metrics that a
 * running ingress exports after traffic, and promtool's unit tests cover every alert.
 */
class MonitoringKitTest {

  private static final Path KIT = Path.of("conf/monitoring");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAMPLE_NAME = Pattern.compile("[{ ].*");

  private static IngressServer server;
  /** The sample names of {@code /metrics} after traffic: histograms as their _bucket/_count/_sum/_max. */
  private static Set<String> exported;
  private static String exposition;

  @BeforeAll
  static void startAndSendTraffic() {
    server = IngressServer.start("monitoring", new JsonObject()
        .put("rateLimit", new JsonObject().put("families", new JsonObject()
            .put("ai", new JsonObject().put("capacity", 1).put("refillPerSecond", 0.001)))),
        Map.of("INGRESS_GITHUB_WEBHOOK_SECRETS", "monitoring-kit-webhook-secret"));
    Http http = server.http();
    // Micrometer registers the GC pause meters at the first collection; a young JVM may not have had one.
    System.gc();

    Response created = http.post("/spi/test_runs", new JsonObject().put("test_run", new JsonObject()
        .put("submission_uuid", "s-monitoring").put("track_slug", "ruby").put("exercise_slug", "two-fer")
        .put("status", "pass").put("duration_ms", 12)));
    assertEquals(201, created.status(), created.body());
    String id = created.json().getValue("id").toString();
    assertEquals(1, new Db(server.databaseUri).count("SELECT count(*) FROM test_runs WHERE id::text = '" + id + "'"));

    JsonObject response = new JsonObject().put("chatgpt_response", new JsonObject()
        .put("submission_uuid", "s-monitoring").put("model", "gpt-4o").put("content", "fine"));
    assertEquals(201, http.post("/spi/chatgpt_responses", response).status());
    Response limited = http.post("/spi/chatgpt_responses", response);
    assertEquals(429, limited.status());
    assertEquals(new JsonObject().put("error", "Rate limit exceeded"), limited.json());

    Response unsigned = http.send(HttpMethod.POST, "/spi/webhooks/github", Map.of("Content-Type", "application/json",
        "X-Hub-Signature-256", "sha256=00", "X-GitHub-Event", "ping", "X-GitHub-Delivery", "d-1"), Buffer.buffer("{}"));
    assertEquals(401, unsigned.status());
    assertEquals(new JsonObject().put("error", "Unauthorized"), unsigned.json());

    Response scraped = http.get("/metrics");
    assertEquals(200, scraped.status());
    exposition = scraped.body();
    exported = exposition.lines()
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> SAMPLE_NAME.matcher(line).replaceFirst(""))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyMetricTheDashboardUsesIsExported() throws IOException {
    JsonNode dashboard = JSON.readTree(KIT.resolve("callback-ingress.dashboard.json").toFile());
    List<String> expressions = new ArrayList<>(dashboard.findValuesAsText("expr"));
    dashboard.path("templating").path("list").forEach(variable -> {
      if (variable.path("query").has("query")) {
        expressions.add(variable.path("query").path("query").asText());
      }
    });
    assertEveryMetricIsExported(expressions, 25);
  }

  @Test
  void everyMetricTheAlertingRulesUseIsExported() throws IOException {
    List<String> expressions = rules().values().stream().toList();
    assertEquals(11, expressions.size(), "alerts in the rule file");
    assertEveryMetricIsExported(expressions, 10);
  }

  @Test
  void promtoolsTestsSeeEveryAlertFireAndStayQuiet() throws IOException {
    Map<String, Set<Boolean>> outcomes = new TreeMap<>();
    rules().keySet().forEach(alert -> outcomes.put(alert, new TreeSet<>()));
    for (JsonNode test : YAML.readTree(KIT.resolve("callback-ingress.rules.test.yml").toFile()).path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        outcomes.computeIfAbsent(check.path("alertname").asText(), unknown -> new TreeSet<>())
            .add(!check.path("exp_alerts").isEmpty());
      }
    }
    Map<String, Set<Boolean>> incomplete = new TreeMap<>(outcomes);
    incomplete.values().removeIf(seen -> seen.equals(Set.of(false, true)));
    assertEquals(Map.of(), incomplete, "alerts without a firing and a quiet case (or tested but not in the rules)");
  }

  @Test
  void readinessEventLoopLagAndDroppedAuditLinesDescribeTheRunningIngress() {
    assertTrue(exposition.lines().anyMatch(line -> line.equals("ingress_ready 1.0")), "ingress_ready is 1 while /health/ready is UP");
    assertTrue(exposition.lines().anyMatch(line -> line.equals("ingress_audit_lines_dropped 0.0")),
        "no audit line dropped, and the gauge exported");
    for (int loop = 0; loop < 2; loop++) {
      String series = "ingress_event_loop_lag_seconds_count{loop=\"" + loop + "\"}";
      assertTrue(exposition.lines().anyMatch(line -> line.startsWith(series)), "a lag timer on loop " + loop);
    }
  }

  @Test
  void metricNamesAreReadOutOfPromQlAndGrafanaQueries() {
    assertEquals(Set.of("spi_request_duration_seconds_bucket"), PromQl.metricNames(
        "histogram_quantile(0.99, sum by (family, le) (rate(spi_request_duration_seconds_bucket{job=~\"$job\", status=~\"5..\"}[$__rate_interval])))"));
    assertEquals(Set.of("ingress_spool_depth"), PromQl.metricNames("ingress_spool_depth > 0 and delta(ingress_spool_depth[15m]) >= 0"));
    assertEquals(Set.of("ingress_ready"), PromQl.metricNames("label_values(ingress_ready{job=~\"$job\"}, instance)"));
    assertEquals(Set.of("a_total", "b_total"), PromQl.metricNames("sum without (x) (a_total) / on (y) group_left (z) b_total offset 5m"));
  }

  /** Alert name → its expression. */
  private static Map<String, String> rules() throws IOException {
    Map<String, String> alerts = new TreeMap<>();
    for (JsonNode group : YAML.readTree(KIT.resolve("callback-ingress.rules.yml").toFile()).path("groups")) {
      group.path("rules").forEach(rule -> alerts.put(rule.path("alert").asText(), rule.path("expr").asText()));
    }
    return alerts;
  }

  private static void assertEveryMetricIsExported(List<String> expressions, int atLeast) {
    Set<String> used = expressions.stream()
        .flatMap(expression -> PromQl.metricNames(expression).stream())
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(used.size() >= atLeast, "metric names found: " + used);
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(exported);
    assertEquals(Set.of(), missing, "used but not in /metrics, which has " + exported);
  }
}
