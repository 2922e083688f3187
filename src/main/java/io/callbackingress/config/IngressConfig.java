package io.callbackingress.config;

import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.RetainedTable;
import io.callbackingress.spi.RetrySettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The whole configuration (SPEC 11), read once at start-up. Every key has its reference default
 * here, so a real file holds only what differs.
 */
public record IngressConfig(
    Http http,
    Tls tls,
    Management management,
    String spiBasePath,
    Map<String, Family> families,
    Postgres postgres,
    Redis redis,
    RateLimit rateLimit,
    int idempotencyTtlSeconds,
    Limits limits,
    Spool spool,
    String tokensEnv,
    Retry retry,
    Shutdown shutdown,
    Plugins plugins,
    Retention retention) {

  private static final int PORT_MAX = 65_535;

  /** Reads the whole configuration, the sections of the families found on the class path included. */
  public static IngressConfig read(ConfigNode root) {
    return read(root, Implementations.all(EndpointFamily.class));
  }

  static IngressConfig read(ConfigNode root, List<EndpointFamily> available) {
    IngressConfig config = new IngressConfig(
        Http.read(root.child("http")),
        Tls.read(root.child("tls")),
        Management.read(root.child("management")),
        readBasePath(root.child("spi")),
        readFamilies(root, available),
        Postgres.read(root.child("postgres")),
        Redis.read(root.child("redis")),
        RateLimit.read(root.child("rateLimit")),
        readTtl(root.child("idempotency")),
        Limits.read(root.child("limits")),
        Spool.read(root.child("spool")),
        readTokensEnv(root.child("auth")),
        Retry.read(root.child("retry")),
        Shutdown.read(root.child("shutdown")),
        Plugins.read(root.child("plugins")),
        Retention.read(root.child("retention"), available));
    root.finish();
    return config;
  }

  public Family family(String name) {
    return families.getOrDefault(name, new Family(false, "none", List.of(), null));
  }

  /**
   * Every family on the class path, enabled or not, in the order they were found: each one's tables
   * are migrated and retained, and its components are in the OpenAPI document, either way.
   */
  public List<EndpointFamily> familiesFound() {
    return families.values().stream().map(Family::implementation).filter(Objects::nonNull).toList();
  }

  public record Http(String host, int port, int instances, long maxBodyBytes, int idleTimeoutSeconds,
                     int bodyTimeoutSeconds, List<String> trustedProxies, boolean proxyProtocol) {
    static Http read(ConfigNode n) {
      Http http = new Http(
          n.string("host", "0.0.0.0"),
          n.integer("port", 8080, 0, PORT_MAX),
          n.integer("instances", 0, 0, 1024),
          n.longInteger("maxBodyBytes", 1_048_576, 1, Integer.MAX_VALUE),
          n.integer("idleTimeoutSeconds", 60, 0, 86_400),
          n.integer("bodyTimeoutSeconds", 30, 1, 86_400),
          n.strings("trustedProxies", List.of()),
          n.bool("proxyProtocol", false));
      n.finish();
      return http;
    }
  }

  public record Tls(boolean enabled, int port, String certPath, String keyPath, String clientAuth,
                    String clientCaPath, boolean openssl, boolean http2, int reloadSeconds,
                    String sessionTicketKeysPath) {
    static Tls read(ConfigNode n) {
      Tls tls = new Tls(
          n.bool("enabled", false),
          n.integer("port", 8443, 0, PORT_MAX),
          n.string("certPath", null),
          n.string("keyPath", null),
          n.oneOf("clientAuth", "none", Set.of("none", "request", "required")),
          n.string("clientCaPath", null),
          n.bool("openssl", true),
          n.bool("http2", true),
          n.integer("reloadSeconds", 0, 0, 86_400),
          n.string("sessionTicketKeysPath", null));
      n.finish();
      if (tls.enabled && tls.certPath == null) {
        throw new ConfigException("tls.certPath", "is required when tls.enabled is true");
      }
      if (tls.enabled && tls.keyPath == null) {
        throw new ConfigException("tls.keyPath", "is required when tls.enabled is true");
      }
      if (!tls.clientAuth.equals("none") && tls.clientCaPath == null) {
        throw new ConfigException("tls.clientCaPath", "is required when tls.clientAuth is " + tls.clientAuth);
      }
      return tls;
    }
  }

  public record BasicAuth(String username, String passwordEnv) {}

  public record Management(Integer port, BasicAuth basicAuth) {
    static Management read(ConfigNode n) {
      Integer port = n.optionalInteger("port", 0, PORT_MAX);
      ConfigNode auth = n.optionalChild("basicAuth");
      BasicAuth basicAuth = null;
      if (auth != null) {
        basicAuth = new BasicAuth(auth.requiredString("username"), auth.requiredString("passwordEnv"));
        auth.finish();
      }
      n.finish();
      return new Management(port, basicAuth);
    }
  }

  /**
   * {@code families.<name>}: whether the family serves, how its callers authenticate, and the
   * family itself, configured from its own section.
   */
  public record Family(boolean enabled, String auth, List<String> allowedIdentities, EndpointFamily implementation) {}

  /**
   * One entry per family on the class path, configured from its section, and one per family the
   * file names that is found nowhere (its implementation null: start-up refuses it if enabled).
   */
  private static Map<String, Family> readFamilies(ConfigNode root, List<EndpointFamily> available) {
    ConfigNode n = root.child("families");
    Map<String, EndpointFamily> byName = new LinkedHashMap<>();
    available.forEach(family -> byName.put(family.name(), family));
    Map<String, Family> families = new LinkedHashMap<>();
    for (String name : root.childNames("families", byName.keySet())) {
      ConfigNode f = n.child(name);
      EndpointFamily family = byName.get(name);
      Family settings = new Family(
          f.bool("enabled", family == null || family.enabledByDefault()),
          f.string("auth", family == null ? "none" : family.defaultAuth()),
          f.strings("allowedIdentities", List.of()),
          family);
      if (family != null && family.configSection().equals(n.keyPath(name))) {
        family.configure(f);
      } else if (family != null) {
        ConfigNode own = root.child(family.configSection());
        family.configure(own);
        own.finish();
      }
      f.finish();
      families.put(name, settings);
    }
    n.finish();
    // In declaration order, not Map.copyOf's order that changes from run to run: routes are mounted in it.
    return Collections.unmodifiableMap(families);
  }

  public record Batch(int maxRows, int maxDelayMs) {}

  /**
   * @param listenUri where the live family LISTENs, or null for {@code uri}: a direct or
   *     session-pooled address when {@code uri} is a transaction pooler, which cannot LISTEN
   * @param pooler {@code none} or {@code transaction}: what sits between the ingress and Postgres
   */
  public record Postgres(String uri, String listenUri, String pooler, int poolSize, int pipeliningLimit,
                         String passwordEnv, Batch batch) {
    public boolean embedded() {
      return uri.equals("embedded");
    }

    public boolean behindTransactionPooler() {
      return pooler.equals("transaction");
    }

    static Postgres read(ConfigNode n) {
      ConfigNode b = n.child("batch");
      Batch batch = new Batch(b.integer("maxRows", 256, 1, 10_000), b.integer("maxDelayMs", 2, 0, 10_000));
      b.finish();
      Postgres pg = new Postgres(
          n.string("uri", "embedded").equals("embedded") ? "embedded" : checkUri(n, "uri", "postgresql://", "postgres://"),
          n.string("listenUri", null) == null ? null : checkUriOr(n, "listenUri", "null", "postgresql://", "postgres://"),
          n.oneOf("pooler", "none", Set.of("none", "transaction")),
          n.integer("poolSize", 4, 1, 1_000),
          n.integer("pipeliningLimit", 256, 1, 100_000),
          n.string("passwordEnv", null),
          batch);
      n.finish();
      return pg;
    }
  }

  /**
   * @param uri one endpoint, or several separated by commas for {@code cluster} (its nodes) and
   *     {@code sentinel} (the sentinels)
   * @param masterName the Sentinel master's name
   */
  public record Redis(String uri, String type, String masterName, String passwordEnv) {
    public boolean embedded() {
      return uri.equals("embedded");
    }

    static Redis read(ConfigNode n) {
      String uri = n.string("uri", "embedded");
      Redis redis = new Redis(
          uri.equals("embedded") ? uri : checkUri(n, "uri", "redis://", "rediss://", "unix://"),
          n.oneOf("type", "standalone", Set.of("standalone", "cluster", "sentinel")),
          n.string("masterName", "mymaster"),
          n.string("passwordEnv", null));
      n.finish();
      return redis;
    }
  }

  private static String checkUri(ConfigNode n, String key, String... schemes) {
    return checkUriOr(n, key, "\"embedded\"", schemes);
  }

  /** {@code alternative}: what else the key may be, for the message. */
  private static String checkUriOr(ConfigNode n, String key, String alternative, String... schemes) {
    String uri = n.requiredString(key);
    for (String scheme : schemes) {
      if (uri.startsWith(scheme)) {
        return uri;
      }
    }
    throw new ConfigException(n.keyPath(key), "must be " + alternative + " or a URI starting with " + String.join(" or ", schemes));
  }

  public record Limit(int capacity, double refillPerSecond) {
    static Limit read(ConfigNode n, Limit fallback) {
      Limit limit = new Limit(
          n.integer("capacity", fallback.capacity, 1, Integer.MAX_VALUE),
          n.number("refillPerSecond", fallback.refillPerSecond, 0.000_001, 1e9));
      n.finish();
      return limit;
    }
  }

  public record RateLimit(boolean enabled, String onRedisFailure, Limit defaultLimit, Map<String, Limit> families) {
    public Limit limitFor(String family) {
      return families.getOrDefault(family, defaultLimit);
    }

    static RateLimit read(ConfigNode n) {
      Limit defaultLimit = Limit.read(n.child("default"), new Limit(1000, 500));
      Map<String, Limit> families = new LinkedHashMap<>();
      ConfigNode f = n.child("families");
      for (String name : n.childNames("families", Set.of())) {
        families.put(name, Limit.read(f.child(name), defaultLimit));
      }
      f.finish();
      RateLimit rateLimit = new RateLimit(
          n.bool("enabled", true),
          n.oneOf("onRedisFailure", "local", Set.of("open", "closed", "local")),
          defaultLimit,
          Map.copyOf(families));
      n.finish();
      return rateLimit;
    }
  }

  public record Limits(int maxOutputBytes, int maxInFlightWrites, long maxBufferedBodyBytes) {
    static Limits read(ConfigNode n) {
      Limits limits = new Limits(n.integer("maxOutputBytes", 65_536, 1, Integer.MAX_VALUE),
          n.integer("maxInFlightWrites", 10_000, 1, Integer.MAX_VALUE),
          n.longInteger("maxBufferedBodyBytes", defaultBufferedBodyBytes(), 1, Long.MAX_VALUE));
      n.finish();
      return limits;
    }

    /** A quarter of the heap: request bodies must never crowd out everything else. */
    private static long defaultBufferedBodyBytes() {
      return Runtime.getRuntime().maxMemory() / 4;
    }
  }

  public record Spool(String dir, long maxBytes) {
    static Spool read(ConfigNode n) {
      Spool spool = new Spool(n.string("dir", "data/spool"), n.longInteger("maxBytes", 1L << 30, 1, Long.MAX_VALUE));
      n.finish();
      return spool;
    }
  }

  public record Retry(String policy, int baseMs, double factor, int maxMs, int maxAttempts) implements RetrySettings {
    static Retry read(ConfigNode n) {
      Retry retry = new Retry(
          n.string("policy", "exponential"),
          n.integer("baseMs", 100, 0, 3_600_000),
          n.number("factor", 2, 1, 100),
          n.integer("maxMs", 5000, 0, 3_600_000),
          n.integer("maxAttempts", 5, 1, 1000));
      n.finish();
      return retry;
    }
  }

  public record Plugins(String metrics, String audit) {
    static Plugins read(ConfigNode n) {
      Plugins plugins = new Plugins(n.string("metrics", "micrometer"), n.string("audit", "json-log"));
      n.finish();
      return plugins;
    }
  }

  private static String readBasePath(ConfigNode n) {
    String basePath = n.string("basePath", "/spi");
    n.finish();
    if (!basePath.matches("(/[A-Za-z0-9._~-]+)+")) {
      throw new ConfigException("spi.basePath", "must be a path such as /spi, got \"" + basePath + "\"");
    }
    return basePath;
  }

  private static int readTtl(ConfigNode n) {
    int ttl = n.integer("ttlSeconds", 86_400, 1, Integer.MAX_VALUE);
    n.finish();
    return ttl;
  }

  private static String readTokensEnv(ConfigNode n) {
    String env = n.string("tokensEnv", "INGRESS_INTERNAL_AUTH_TOKENS");
    n.finish();
    return env;
  }

  /**
   * SPEC 7's drain: readiness DOWN, requests still served for {@code readinessDelaySeconds} so the
   * balancer stops sending first, then the listener stops and in-flight work has
   * {@code graceSeconds} to finish.
   */
  public record Shutdown(int graceSeconds, int readinessDelaySeconds) {
    static Shutdown read(ConfigNode n) {
      Shutdown shutdown = new Shutdown(n.integer("graceSeconds", 30, 0, 3600),
          n.integer("readinessDelaySeconds", 0, 0, 3600));
      n.finish();
      return shutdown;
    }
  }

  /**
   * SPEC 14: how long what arrived is kept, and the maintenance that removes the rest. Periods are in
   * seconds; the core's own are here by name, the families' tables' come from their declarations
   * ({@link EndpointFamily#retainedTables}): {@code familySeconds} holds the share of each family
   * that keeps tables on it, {@code tableSeconds} the periods that tables keep under keys of their
   * own (the webhooks family's {@code webhookDeliveriesSeconds}), by key.
   *
   * @param intervalSeconds between maintenance runs; at most {@code partitionSeconds}, so the
   *     partitions made ahead (two widths) always exist before rows need them
   * @param batchRows rows per DELETE where rows are removed rather than dropped by partition
   * @param partitionSeconds the width of a time partition of the partitioned tables
   */
  public record Retention(boolean enabled, int intervalSeconds, int batchRows, int eventsSeconds,
                          Map<String, Integer> familySeconds, Map<String, Integer> tableSeconds, int partitionSeconds) {

    private static final int DAY = 86_400;
    /** Shorter periods would make a partition per run and a run per second: not a retention policy. */
    private static final int MIN_PERIOD = 60;
    private static final int MAX_PERIOD = 3_650 * DAY;
    /** {@code retention.familySeconds.<name>} when the file does not say. */
    public static final int FAMILY_DEFAULT_SECONDS = 30 * DAY;

    public int family(String name) {
      return familySeconds.get(name);
    }

    /** How long {@code family}'s {@code table} is kept. */
    public int period(String family, RetainedTable table) {
      return table.period() == null ? family(family) : tableSeconds.get(table.period().key());
    }

    static Retention read(ConfigNode n, List<EndpointFamily> available) {
      ConfigNode f = n.child("familySeconds");
      Map<String, Integer> families = new LinkedHashMap<>();
      Map<String, Integer> tables = new LinkedHashMap<>();
      for (EndpointFamily family : available) {
        for (RetainedTable table : family.retainedTables()) {
          RetainedTable.Period own = table.period();
          if (own == null) {
            families.computeIfAbsent(family.name(), name -> f.integer(name, FAMILY_DEFAULT_SECONDS, MIN_PERIOD, MAX_PERIOD));
          } else {
            tables.computeIfAbsent(own.key(), key -> n.integer(key, own.defaultSeconds(), MIN_PERIOD, MAX_PERIOD));
          }
        }
      }
      f.finish();
      Retention retention = new Retention(
          n.bool("enabled", true),
          n.integer("intervalSeconds", 60, 1, DAY),
          n.integer("batchRows", 5_000, 1, 1_000_000),
          n.integer("eventsSeconds", 7 * DAY, MIN_PERIOD, MAX_PERIOD),
          Map.copyOf(families),
          Map.copyOf(tables),
          n.integer("partitionSeconds", DAY, MIN_PERIOD, 31 * DAY));
      n.finish();
      if (retention.intervalSeconds > retention.partitionSeconds) {
        throw new ConfigException("retention.intervalSeconds",
            "must be at most retention.partitionSeconds (" + retention.partitionSeconds + "), got " + retention.intervalSeconds);
      }
      return retention;
    }
  }
}
