package io.callbackingress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.spi.ConfigException;
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
    assertEquals(30, config.shutdown().graceSeconds());
    assertEquals(0, config.shutdown().readinessDelaySeconds());
  }

  /** SPEC 11's reference shape, every key with its default, as printed there (one source name filled in). */
  static final String SPEC_REFERENCE = """
      {
        "http": { "host": "0.0.0.0", "port": 8080, "instances": 0, "maxBodyBytes": 1048576,
                  "idleTimeoutSeconds": 60, "trustedProxies": [], "proxyProtocol": false },
        "tls": { "enabled": false, "port": 8443, "certPath": null, "keyPath": null,
                 "clientAuth": "none", "clientCaPath": null, "openssl": true, "http2": true,
                 "reloadSeconds": 0, "sessionTicketKeysPath": null },
        "management": { "port": null, "basicAuth": null },
        "spi": { "basePath": "/spi" },
        "families": {
          "tooling": { "enabled": true, "auth": "none", "allowedIdentities": [] },
          "test_runs": { "enabled": true, "auth": "none" },
          "ai": { "enabled": true, "auth": "none" },
          "video_production": { "enabled": true, "auth": "none" },
          "webhooks": { "enabled": true, "auth": "none" },
          "analytics": { "enabled": true, "auth": "none" },
          "live": { "enabled": true, "auth": "none" },
          "internal": { "enabled": true, "auth": "token" }
        },
        "postgres": { "uri": "embedded", "poolSize": 4, "pipeliningLimit": 256,
                      "passwordEnv": null, "batch": { "maxRows": 256, "maxDelayMs": 2 } },
        "redis": { "uri": "embedded", "type": "standalone", "masterName": "mymaster", "passwordEnv": null },
        "rateLimit": { "enabled": true, "onRedisFailure": "local",
                       "default": { "capacity": 1000, "refillPerSecond": 500 },
                       "families": { } },
        "idempotency": { "ttlSeconds": 86400 },
        "webhooks": {
          "toleranceSeconds": 300,
          "github": { "secretsEnv": "INGRESS_GITHUB_WEBHOOK_SECRETS" },
          "discourse": { "secretsEnv": "INGRESS_DISCOURSE_WEBHOOK_SECRETS" },
          "payment_processor": { "secretsEnv": "INGRESS_PAYMENT_WEBHOOK_SECRETS" },
          "sources": { "acme": { "scheme": "standard", "secretsEnv": "ACME_WEBHOOK_SECRETS" } }
        },
        "limits": { "maxOutputBytes": 65536, "maxInFlightWrites": 10000 },
        "spool": { "dir": "data/spool", "maxBytes": 1073741824 },
        "auth": { "tokensEnv": "INGRESS_INTERNAL_AUTH_TOKENS" },
        "retry": { "policy": "exponential", "baseMs": 100, "factor": 2, "maxMs": 5000, "maxAttempts": 5 },
        "shutdown": { "graceSeconds": 30, "readinessDelaySeconds": 0 },
        "plugins": { "metrics": "micrometer", "audit": "json-log" }
      }""";

  @Test
  void theSpecsReferenceConfigIsAcceptedWithItsDefaults() {
    IngressConfig config = read(SPEC_REFERENCE, Map.of("ACME_WEBHOOK_SECRETS", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    assertEquals("mymaster", config.redis().masterName());
    assertEquals(0, config.shutdown().readinessDelaySeconds());
    assertEquals(30, config.shutdown().graceSeconds());
    assertEquals(read("{}", Map.of()).http(), config.http());
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
    assertEquals("config: http.port: may not be null; leave the key out for its default",
        refusal("{\"http\":{\"port\":null}}", Map.of()));
    assertEquals("config: http.port: may not be null; leave the key out for its default",
        refusal("{}", Map.of("INGRESS_HTTP_PORT", "null")));
    assertEquals(null, read("{\"management\":{\"port\":null}}", Map.of()).management().port(), "a key whose default is null may be null");
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
        "INGRESS_POSTGRES_BATCH_MAX_ROWS", "64",
        "INGRESS_TLS_SESSION_TICKET_KEYS_PATH", "/run/secrets/ticket.key"));
    assertEquals(9090, config.http().port());
    assertEquals(2048, config.http().maxBodyBytes());
    assertEquals(List.of("10.0.0.0/8", "192.168.0.0/16"), config.http().trustedProxies());
    assertEquals("postgresql://app@db:5432/ingress", config.postgres().uri());
    assertEquals(false, config.family("test_runs").enabled());
    assertEquals(64, config.postgres().batch().maxRows());
    assertEquals("/run/secrets/ticket.key", config.tls().sessionTicketKeysPath());
  }

  @Test
  void behindATransactionPoolerTheListenAddressAndThePoolerAreKeysLikeAnyOther() {
    IngressConfig.Postgres defaults = read("{\"postgres\":{\"uri\":\"postgresql://app@pooler:6432/ingress\"}}", Map.of()).postgres();
    assertEquals(null, defaults.listenUri(), "null: the live family LISTENs on postgres.uri");
    assertFalse(defaults.behindTransactionPooler());

    IngressConfig.Postgres overridden = read("{}", Map.of(
        "INGRESS_POSTGRES_URI", "postgresql://app@pooler:6432/ingress",
        "INGRESS_POSTGRES_POOLER", "transaction",
        "INGRESS_POSTGRES_LISTEN_URI", "postgresql://app@primary:5432/ingress")).postgres();
    assertTrue(overridden.behindTransactionPooler());
    assertEquals("postgresql://app@primary:5432/ingress", overridden.listenUri());

    assertEquals("config: postgres.pooler: must be one of [none, transaction], got \"session\"",
        refusal("{\"postgres\":{\"pooler\":\"session\"}}", Map.of()).replaceAll("\\[.*]", "[none, transaction]"));
    assertEquals("config: postgres.listenUri: must be null or a URI starting with postgresql:// or postgres://",
        refusal("{}", Map.of("INGRESS_POSTGRES_LISTEN_URI", "embedded")));
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

  @Test
  void retentionKeepsAWeekOfEventsAndDeliveriesAndAMonthOfEachFamilysRowsByDefault() {
    IngressConfig.Retention retention = read("{}", Map.of()).retention();
    assertEquals(true, retention.enabled());
    assertEquals(60, retention.intervalSeconds());
    assertEquals(7 * 86_400, retention.eventsSeconds());
    assertEquals(Map.of("webhookDeliveriesSeconds", 7 * 86_400), retention.tableSeconds(),
        "the webhooks family's deliveries keep a period of their own");
    assertEquals(Map.of("tooling", 2_592_000, "test_runs", 2_592_000, "ai", 2_592_000, "video_production", 2_592_000),
        retention.familySeconds());
    assertEquals(86_400, retention.partitionSeconds());
    assertEquals(5_000, retention.batchRows());
  }

  @Test
  void retentionPeriodsAreOverriddenByTheEnvironmentLikeEveryOtherKey() {
    IngressConfig.Retention retention = read("{\"retention\":{\"eventsSeconds\":600}}", Map.of(
        "INGRESS_RETENTION_EVENTS_SECONDS", "120",
        "INGRESS_RETENTION_FAMILY_SECONDS_TEST_RUNS", "180",
        "INGRESS_RETENTION_WEBHOOK_DELIVERIES_SECONDS", "240",
        "INGRESS_RETENTION_PARTITION_SECONDS", "60",
        "INGRESS_RETENTION_INTERVAL_SECONDS", "10")).retention();
    assertEquals(120, retention.eventsSeconds());
    assertEquals(180, retention.family("test_runs"));
    assertEquals(240, retention.tableSeconds().get("webhookDeliveriesSeconds"));
    assertEquals(2_592_000, retention.family("ai"));
    assertEquals(60, retention.partitionSeconds());
    assertEquals(10, retention.intervalSeconds());
  }

  @Test
  void aRetentionKeyThatIsUnknownOrImpossibleIsNamed() {
    assertEquals("config: retention.familySeconds.webhooks: unknown key",
        refusal("{\"retention\":{\"familySeconds\":{\"webhooks\":600}}}", Map.of()));
    assertEquals("config: retention.eventSeconds: unknown key", refusal("{\"retention\":{\"eventSeconds\":600}}", Map.of()));
    assertEquals("config: retention.eventsSeconds: must be between 60 and 315360000, got 5",
        refusal("{\"retention\":{\"eventsSeconds\":5}}", Map.of()));
    assertEquals("config: retention.webhookDeliveriesSeconds: must be between 60 and 315360000, got 5",
        refusal("{\"retention\":{\"webhookDeliveriesSeconds\":5}}", Map.of()));
    assertEquals("config: retention.intervalSeconds: must be at most retention.partitionSeconds (600), got 601",
        refusal("{\"retention\":{\"partitionSeconds\":600,\"intervalSeconds\":601}}", Map.of()));
  }
}
