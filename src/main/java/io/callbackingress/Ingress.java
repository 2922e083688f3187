package io.callbackingress;

import io.callbackingress.audit.BatchingConsoleAppender;
import io.callbackingress.config.Implementations;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.events.EventOutbox;
import io.callbackingress.events.OutboxEvents;
import io.callbackingress.http.BodyReader;
import io.callbackingress.http.ClientAddresses;
import io.callbackingress.http.Pipeline;
import io.callbackingress.idempotency.InFlightKeys;
import io.callbackingress.metrics.CircuitGauge;
import io.callbackingress.metrics.EventLoopLag;
import io.callbackingress.ops.HealthCheck;
import io.callbackingress.ops.OperationsEndpoints;
import io.callbackingress.ops.Readiness;
import io.callbackingress.ratelimit.RateLimiter;
import io.callbackingress.ratelimit.RedisRateLimiter;
import io.callbackingress.retention.Retention;
import io.callbackingress.retention.RetentionVerticle;
import io.callbackingress.spi.AuditSink;
import io.callbackingress.spi.AuthProvider;
import io.callbackingress.spi.AuthSettings;
import io.callbackingress.spi.Authenticator;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.DeadLetterOperations;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.Events;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.LiveChannel;
import io.callbackingress.spi.MetricsCollector;
import io.callbackingress.spi.RetryPolicy;
import io.callbackingress.spi.SpoolStats;
import io.callbackingress.spi.WriteOperation;
import io.callbackingress.spi.Writer;
import io.callbackingress.spool.Spool;
import io.callbackingress.store.BatchCommitter;
import io.callbackingress.store.BatchWriter;
import io.callbackingress.store.Database;
import io.callbackingress.store.DeadLetterReplays;
import io.callbackingress.store.DeadLetterShelf;
import io.callbackingress.store.DeadLetterUpkeep;
import io.callbackingress.store.PostgresCircuit;
import io.callbackingress.store.RedisConnector;
import io.callbackingress.store.SpoolReplayer;
import io.callbackingress.store.Spooler;
import io.callbackingress.store.WriteBudget;
import io.callbackingress.tls.TlsListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every collaborator once from the configuration, checks everything
 * a running process would trip over later (tokens, plugins, families) before anything listens, and
 * deploys one server verticle per event loop.
 */
public final class Ingress {

  private static final Logger log = LoggerFactory.getLogger(Ingress.class);
  /**
   * How often readiness is re-checked for {@code ingress_ready} (one SELECT 1 and one PING): a
   * third of Prometheus's default 15 s scrape, so a scrape never sees a verdict older than 5 s.
   */
  private static final long READINESS_REFRESH_MS = 5_000;

  private final IngressConfig config;
  private final Vertx vertx;
  private final MetricsCollector metrics;
  private final Database database;
  /** Where the live family LISTENs: {@code postgres.listenUri}, else {@link #database}. */
  private final Database listenDatabase;
  private final Pool reads;
  private final Redis redis;
  private final Readiness readiness;
  private final Pipeline pipeline;
  private final OperationsEndpoints operations;
  private final Map<String, EndpointFamily> families;
  private final Map<String, Authenticator> authenticators;
  private final Map<String, String> env;
  private final TlsListener tls;
  private final Spool spool;
  private final PostgresCircuit circuit;
  private final RetryPolicy retryPolicy;
  private final MeterRegistry registry;
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  /** Stopped after the listeners, so no request reaches a family that has let go of its resources. */
  private final List<String> familyDeployments = new CopyOnWriteArrayList<>();
  private final List<LiveChannel> liveChannels;
  private final WriteOperations writeOperations;
  private final DeadLetterShelf deadLetterShelf;
  private final DeadLetterReplays deadLetters;
  private final DeadLetterUpkeep deadLetterUpkeep;
  private final Events events;
  private long readinessRefresh = -1;

  private Ingress(IngressConfig config, Vertx vertx, MetricsCollector metrics, Database database,
                  Database listenDatabase, Redis redis,
                  Pipeline pipeline, OperationsEndpoints operations, Readiness readiness, Pool reads,
                  Map<String, EndpointFamily> families, Map<String, Authenticator> authenticators,
                  Map<String, String> env, TlsListener tls, Spool spool, RetryPolicy retryPolicy,
                  MeterRegistry registry) {
    this.config = config;
    this.vertx = vertx;
    this.metrics = metrics;
    this.database = database;
    this.listenDatabase = listenDatabase;
    this.redis = redis;
    this.pipeline = pipeline;
    this.operations = operations;
    this.readiness = readiness;
    this.reads = reads;
    this.families = families;
    this.authenticators = authenticators;
    this.env = env;
    this.tls = tls;
    this.spool = spool;
    this.retryPolicy = retryPolicy;
    this.registry = registry;
    this.liveChannels = families.values().stream().flatMap(family -> family.liveChannels().stream()).toList();
    this.circuit = new PostgresCircuit(vertx, Math.max(MIN_CIRCUIT_RESET_MS, config.retry().baseMs()));
    CircuitGauge.register(metrics, "postgres", circuit.breaker());
    metrics.gauge("ingress.spool.depth", null, null, () -> spool.stats().depth());
    metrics.gauge("ingress.spool.dead.letters", null, null, () -> spool.stats().deadLetters());
    this.writeOperations = WriteOperations.of(families);
    this.deadLetterShelf = new DeadLetterShelf(reads, spool, writeOperations.familyByName());
    this.deadLetters = new DeadLetterReplays(reads, committer(vertx), writeOperations.byName());
    this.deadLetterUpkeep = new DeadLetterUpkeep(deadLetterShelf, reads, metrics,
        Set.copyOf(writeOperations.familyByName().values()));
    this.events = new OutboxEvents(vertx.eventBus(), reads);
  }

  /** Opens the spool of {@code spool.dir}; a directory it cannot use stops start-up naming the key. */
  public static Spool openSpool(Vertx vertx, IngressConfig config) {
    try {
      // Called from main and tests, before the ingress exists: waiting here blocks no event loop.
      return Spool.open(vertx, config.spool()).await();
    } catch (RuntimeException e) {
      throw new ConfigException("spool.dir", "cannot be used (" + config.spool().dir() + "): " + e.getMessage());
    }
  }

  /**
   * Builds the ingress; throws {@link ConfigException} for anything in the configuration or the
   * environment that it cannot run with.
   */
  public static Ingress create(IngressConfig config, Map<String, String> env, Vertx vertx,
                               PrometheusMeterRegistry registry, String postgresUri, String redisUri, Spool spool) {
    MetricsCollector metrics = Implementations.named(MetricsCollector.class, MetricsCollector::name,
        config.plugins().metrics(), "plugins.metrics");
    metrics.bind(registry);
    AuditSink audit = Implementations.named(AuditSink.class, AuditSink::name, config.plugins().audit(), "plugins.audit");
    RetryPolicy retryPolicy = Implementations.named(RetryPolicy.class, RetryPolicy::name, config.retry().policy(), "retry.policy");
    // TLS files first: an unusable certificate must stop start-up before anything connects.
    TlsListener tls = config.tls().enabled() ? TlsListener.create(config.tls(), vertx) : null;
    Map<String, EndpointFamily> families = enabledFamilies(config);
    Map<String, Authenticator> authenticators = new LinkedHashMap<>();
    boolean clientCertificates = config.tls().enabled() && !config.tls().clientAuth().equals("none");
    for (String family : families.keySet()) {
      IngressConfig.Family settings = config.family(family);
      AuthProvider provider = Implementations.named(AuthProvider.class, AuthProvider::name, settings.auth(),
          "families." + family + ".auth");
      authenticators.put(family, provider.create(new AuthSettings(family, settings.allowedIdentities(), config.tokensEnv(),
          clientCertificates, env)));
    }
    ClientAddresses clientAddresses;
    try {
      clientAddresses = new ClientAddresses(config.http().trustedProxies());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("http.trustedProxies", e.getMessage());
    }
    Database database = Database.of(postgresUri, config.postgres(), env);
    Database listenDatabase = listenDatabase(database, config.postgres(), env);
    RedisOptions redisOptions = RedisConnector.options(redisUri, config.redis(), env);
    Redis redis = Redis.createClient(vertx, redisOptions);
    Pool reads = database.readPool(vertx);
    Readiness readiness = new Readiness(List.of(
        check("postgres", () -> database.checkWritable(vertx, reads)),
        check("redis", () -> redis.send(Request.cmd(Command.PING)).mapEmpty()),
        check("spool", () -> spool.healthy() && spool.stats().bytes() < config.spool().maxBytes()
            ? Future.succeededFuture()
            : Future.failedFuture("spool unusable or full"))));
    String[] basicAuth = basicAuth(config, env);
    OperationsEndpoints operations = new OperationsEndpoints(vertx, readiness, registry, basicAuth[0], basicAuth[1]);
    RateLimiter limiter = RedisRateLimiter.create(vertx, redisOptions, eventLoops(config), config.rateLimit(), metrics);
    BodyReader bodies = new BodyReader(vertx, config.http().maxBodyBytes(), config.http().bodyTimeoutSeconds() * 1000L,
        config.limits().maxBufferedBodyBytes());
    metrics.gauge("ingress.body.buffered.bytes", null, null, bodies::bufferedBytes);
    metrics.gauge("ingress.ready", null, null, () -> readiness.up() ? 1 : 0);
    metrics.gauge("ingress.audit.lines.dropped", null, null, BatchingConsoleAppender::dropped);
    Pipeline pipeline = new Pipeline(bodies, limiter, new InFlightKeys(),
        new WriteBudget(config.limits().maxInFlightWrites()), clientAddresses, metrics, audit);
    return new Ingress(config, vertx, metrics, database, listenDatabase, redis, pipeline, operations, readiness, reads,
        families, authenticators, Map.copyOf(env), tls, spool, retryPolicy, registry);
  }

  private static Database listenDatabase(Database database, IngressConfig.Postgres postgres, Map<String, String> env) {
    if (postgres.listenUri() == null) {
      return database;
    }
    try {
      return Database.of(postgres.listenUri(), postgres, env);
    } catch (ConfigException e) {
      // Database.of names postgres.uri, the key it reads otherwise; the password was checked with it already.
      throw new ConfigException("postgres.listenUri", e.getMessage().replaceFirst("^config: postgres\\.uri: ", ""));
    }
  }

  /** Starts the families, then deploys the server verticles; completes when every listener is bound. */
  public Future<Void> deploy() {
    return Future.all(families.values().stream()
            .map(family -> vertx.deployVerticle(() -> new FamilyVerticle(family, this), new DeploymentOptions()))
            .toList())
        .compose(started -> {
          familyDeployments.addAll(started.list());
          return deployServers();
        });
  }

  /** Retention first: its start makes the time partitions the first writes go to. */
  private Future<Void> deployServers() {
    Future<String> retention = config.retention().enabled()
        ? vertx.deployVerticle(new RetentionVerticle(Retention.create(vertx, database, config, metrics),
            config.retention().intervalSeconds()))
        : Future.succeededFuture();
    return retention.compose(this::deployListeners);
  }

  private Future<Void> deployListeners(String retentionDeployment) {
    if (retentionDeployment != null) {
      deployments.add(retentionDeployment);
    }
    int instances = eventLoops(config);
    Future<String> main = vertx.deployVerticle(() -> new IngressVerticle(this, false),
        new DeploymentOptions().setInstances(instances));
    Future<String> management = config.management().port() == null
        ? Future.succeededFuture()
        : vertx.deployVerticle(() -> new IngressVerticle(this, true), new DeploymentOptions().setInstances(1));
    if (tls != null) {
      tls.startReloading(vertx);
    }
    Future<String> replayer = vertx.deployVerticle(new SpoolReplayer(spool, database, circuit, committer(vertx),
        writeOperations.byName(), retryPolicy, config.retry(), config.postgres().batch().maxRows(), deadLetterShelf));
    Future<String> upkeep = vertx.deployVerticle(deadLetterUpkeep);
    Future<String> lag = vertx.deployVerticle(() -> new EventLoopLag(registry), new DeploymentOptions().setInstances(instances));
    return Future.all(List.of(main, management, replayer, upkeep, lag)).onSuccess(v -> {
      deployments.add(main.result());
      if (management.result() != null) {
        deployments.add(management.result());
      }
      deployments.add(replayer.result());
      deployments.add(upkeep.result());
      deployments.add(lag.result());
      readinessRefresh = readiness.refreshEvery(vertx, READINESS_REFRESH_MS);
    }).onSuccess(v -> log.info(
        "callback-ingress listening on {}:{}{} with {} event loops ({} transport); families {}",
        config.http().host(), config.http().port(), tls == null ? "" : " and TLS " + config.tls().port(),
        instances, vertx.isNativeTransportEnabled() ? "native epoll" : "NIO", families.keySet())).mapEmpty();
  }

  /** Readiness DOWN, everything else still served: the first step of a drain (SPEC 7). */
  public void drainReadiness() {
    readiness.drain();
  }

  /**
   * SIGTERM: readiness DOWN first, then the listeners stop, in-flight requests and their batches
   * finish, the replayer ends its round, and the spool closes.
   */
  public Future<Void> stop() {
    readiness.drain();
    vertx.cancelTimer(readinessRefresh);
    return Future.join(deployments.stream().map(vertx::undeploy).toList())
        .eventually(() -> Future.join(familyDeployments.stream().map(vertx::undeploy).toList()))
        .eventually(spool::close)
        .eventually(vertx::close)
        .mapEmpty();
  }

  /** A committer whose events are published on {@code loopVertx}'s event bus. */
  private BatchCommitter committer(Vertx loopVertx) {
    return new BatchCommitter(new EventOutbox(loopVertx.eventBus()), metrics, config.idempotencyTtlSeconds());
  }

  public IngressConfig config() {
    return config;
  }

  /** The enabled families. */
  public Collection<EndpointFamily> families() {
    return families.values();
  }

  /** The HTTPS listener's settings, or null when {@code tls.enabled} is false. */
  public TlsListener tls() {
    return tls;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public Readiness readiness() {
    return readiness;
  }

  /** What one event loop's families share. */
  public record LoopServices(BatchWriter writer, FamilyContext context) {}

  public LoopServices loopServices(Vertx loopVertx) {
    BatchWriter writer = new BatchWriter(loopVertx, database, circuit, committer(loopVertx), new Spooler(spool),
        config.postgres().batch().maxRows(), config.postgres().batch().maxDelayMs());
    Writer declaredWrites = new DeclaredWrites(writer, writeOperations);
    FamilyContext context = new FamilyContext() {
      @Override
      public Vertx vertx() {
        return loopVertx;
      }

      @Override
      public String spiPath(String path) {
        return config.spiBasePath() + path;
      }

      @Override
      public int maxOutputBytes() {
        return config.limits().maxOutputBytes();
      }

      @Override
      public Writer writer() {
        return declaredWrites;
      }

      @Override
      public SqlClient reads() {
        return reads;
      }

      @Override
      public MetricsCollector metrics() {
        return metrics;
      }

      @Override
      public Map<String, String> env() {
        return env;
      }

      @Override
      public PgConnectOptions postgres() {
        return database.connectOptions();
      }

      @Override
      public Future<PgConnection> listenConnection() {
        return listenDatabase.connect(loopVertx);
      }

      @Override
      public Events events() {
        return events;
      }

      @Override
      public List<LiveChannel> liveChannels() {
        return liveChannels;
      }

      @Override
      public SpoolStats spoolStats() {
        return spool.stats();
      }

      @Override
      public DeadLetterOperations deadLetters() {
        return deadLetters;
      }
    };
    return new LoopServices(writer, context);
  }

  /** Every enabled family's endpoints on one loop, plus operations unless they have their own port. */
  public List<Pipeline.Route> routes(LoopServices loop) {
    List<Pipeline.Route> routes = new ArrayList<>();
    families.forEach((name, family) -> family.endpoints(loop.context()).forEach(endpoint ->
        routes.add(new Pipeline.Route(name, endpoint, authenticators.get(name), config.rateLimit().enabled()))));
    if (config.management().port() == null) {
      routes.addAll(operationRoutes());
    }
    return routes;
  }

  public List<Pipeline.Route> operationRoutes() {
    return operations.endpoints().stream()
        .map(endpoint -> new Pipeline.Route("operations", endpoint, Authenticator.NONE, false))
        .toList();
  }

  /** {@code http.instances}, 0 meaning one per core: one server verticle per event loop. */
  public static int eventLoops(IngressConfig config) {
    return config.http().instances() > 0 ? config.http().instances() : Runtime.getRuntime().availableProcessors();
  }

  /** The shortest pause before a tripped Postgres circuit lets a trial through. */
  private static final long MIN_CIRCUIT_RESET_MS = 100;

  /** The enabled families by name, in the order they were found. */
  private static Map<String, EndpointFamily> enabledFamilies(IngressConfig config) {
    Map<String, EndpointFamily> enabled = new LinkedHashMap<>();
    config.families().forEach((name, settings) -> {
      if (!settings.enabled()) {
        return;
      }
      if (settings.implementation() == null) {
        throw new ConfigException("families." + name, "no EndpointFamily named \"" + name + "\" on the class path");
      }
      enabled.put(name, settings.implementation());
    });
    return enabled;
  }

  private static String[] basicAuth(IngressConfig config, Map<String, String> env) {
    IngressConfig.BasicAuth basicAuth = config.management().basicAuth();
    if (basicAuth == null) {
      return new String[] {null, null};
    }
    String password = env.get(basicAuth.passwordEnv());
    if (password == null || password.isEmpty()) {
      throw new ConfigException("management.basicAuth.passwordEnv", "names " + basicAuth.passwordEnv() + ", which is not set");
    }
    return new String[] {basicAuth.username(), password};
  }

  private static HealthCheck check(String id, java.util.function.Supplier<Future<Void>> probe) {
    return new HealthCheck() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Future<Void> probe() {
        return probe.get();
      }
    };
  }
}
