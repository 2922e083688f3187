package io.callbackingress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC 11: every kind of bad value stops start-up with one line naming the key; overrides win. */
class ConfigTest {

  private static IngressConfig read(String json, Map<String, String> env) {
    return IngressConfig.read(ConfigNode.root(new JsonObject(json), env));
  }

  private static String refusal(String json, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> read(json, env)).getMessage();
  }

  @Test
  void anEmptyFileMeansTheReferenceDefaults() {
    IngressConfig config = read("{}", Map.of());
    assertEquals(8080, config.http().port());
    assertEquals(1_048_576, config.http().maxBodyBytes());
    assertEquals("embedded", config.postgres().uri());
    assertEquals(256, config.postgres().batch().maxRows());
    assertEquals("local", config.rateLimit().onRedisFailure());
    assertEquals(1000, config.rateLimit().limitFor("tooling").capacity());
    assertEquals("token", config.family("internal").auth());
    assertEquals("none", config.family("tooling").auth());
    assertEquals(30, config.shutdownGraceSeconds());
  }

  @Test
  void anUnknownKeyIsNamedWithItsPath() {
    assertEquals("config: http.prot: unknown key", refusal("{\"http\":{\"prot\":1}}", Map.of()));
    assertEquals("config: nonsense: unknown key", refusal("{\"nonsense\":true}", Map.of()));
    assertEquals("config: families.tooling.enabeld: unknown key",
        refusal("{\"families\":{\"tooling\":{\"enabeld\":false}}}", Map.of()));
  }

  @Test
  void aWrongTypeIsNamed() {
    assertEquals("config: http.port: expected an integer, got \"abc\"", refusal("{\"http\":{\"port\":\"abc\"}}", Map.of()));
    assertEquals("config: rateLimit.enabled: expected true or false, got 1", refusal("{\"rateLimit\":{\"enabled\":1}}", Map.of()));
    assertEquals("config: http.trustedProxies: expected an array of strings, got \"10.0.0.0/8\"",
        refusal("{\"http\":{\"trustedProxies\":\"10.0.0.0/8\"}}", Map.of()));
  }

  @Test
  void anImpossibleValueIsNamed() {
    assertEquals("config: http.port: must be between 0 and 65535, got 70000", refusal("{\"http\":{\"port\":70000}}", Map.of()));
    assertEquals("config: rateLimit.onRedisFailure: must be one of [closed, local, open], got \"maybe\"",
        refusal("{\"rateLimit\":{\"onRedisFailure\":\"maybe\"}}", Map.of()).replaceAll("\\[.*]", "[closed, local, open]"));
    assertEquals("config: tls.certPath: is required when tls.enabled is true", refusal("{\"tls\":{\"enabled\":true}}", Map.of()));
    assertEquals("config: postgres.uri: must be \"embedded\" or a URI starting with postgresql:// or postgres://",
        refusal("{\"postgres\":{\"uri\":\"mysql://x\"}}", Map.of()));
  }

  @Test
  void environmentOverridesWinOverTheFile() {
    IngressConfig config = read("{\"http\":{\"port\":8080,\"maxBodyBytes\":10}}", Map.of(
        "INGRESS_HTTP_PORT", "9090",
        "INGRESS_HTTP_MAX_BODY_BYTES", "2048",
        "INGRESS_HTTP_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.0.0/16",
        "INGRESS_POSTGRES_URI", "postgresql://app@db:5432/ingress",
        "INGRESS_FAMILIES_TEST_RUNS_ENABLED", "false",
        "INGRESS_POSTGRES_BATCH_MAX_ROWS", "64"));
    assertEquals(9090, config.http().port());
    assertEquals(2048, config.http().maxBodyBytes());
    assertEquals(List.of("10.0.0.0/8", "192.168.0.0/16"), config.http().trustedProxies());
    assertEquals("postgresql://app@db:5432/ingress", config.postgres().uri());
    assertEquals(false, config.family("test_runs").enabled());
    assertEquals(64, config.postgres().batch().maxRows());
  }

  @Test
  void aBadOverrideIsNamedByItsKey() {
    assertEquals("config: http.port: environment override INGRESS_HTTP_PORT is not a valid Number",
        refusal("{}", Map.of("INGRESS_HTTP_PORT", "eighty")));
  }

  @Test
  void overrideNamesFollowTheKeyPath() {
    assertEquals("INGRESS_HTTP_MAX_BODY_BYTES", ConfigNode.envName("http.maxBodyBytes"));
    assertEquals("INGRESS_POSTGRES_URI", ConfigNode.envName("postgres.uri"));
    assertEquals("INGRESS_RATE_LIMIT_DEFAULT_REFILL_PER_SECOND", ConfigNode.envName("rateLimit.default.refillPerSecond"));
  }
}
