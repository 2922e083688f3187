package io.callbackingress;

import io.callbackingress.audit.BatchingConsoleAppender;
import io.callbackingress.config.Implementations;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.http.BodyReader;
import io.callbackingress.http.ClientAddresses;
import io.callbackingress.http.Pipeline;
import io.callbackingress.idempotency.InFlightKeys;
import io.callbackingress.metrics.CircuitGauge;
import io.callbackingress.ops.OpenApiDocument;
import io.callbackingress.ops.OperationsEndpoints;
import io.callbackingress.ops.Readiness;
import io.callbackingress.ratelimit.RedisRateLimiter;
import io.callbackingress.retention.Retention;
import io.callbackingress.retention.RetentionVerticle;
import io.callbackingress.spi.AuditSink;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.MetricsCollector;
import io.callbackingress.spi.RetryPolicy;
import io.callbackingress.spool.Spool;
import io.callbackingress.store.DeadLetterShelf;
import io.callbackingress.store.DeadLetterUpkeep;
import io.callbackingress.store.SpoolReplayer;
import io.callbackingress.store.WriteBudget;
import io.callbackingress.tls.TlsListener;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * Every collaborator, built once from the configuration. Building them checks everything a running
 * process would trip over later (plugins, certificates, families, tokens, addresses, secrets) and
 * throws {@link ConfigException} naming the key, before anything listens.
 *
 * @param tls the HTTPS listener, or null when {@code tls.enabled} is false
 * @param retention null when {@code retention.enabled} is false
 */
record Components(IngressConfig config, Vertx vertx, PrometheusMeterRegistry registry, TlsListener tls,
                  EnabledFamilies families, LoopWiring loops, RouteTable routes, Pipeline pipeline, Readiness readiness,
                  RetentionVerticle retention, SpoolReplayer replayer, DeadLetterUpkeep deadLetterUpkeep, Spool spool) {

  static Components build(IngressConfig config, Map<String, String> env, Vertx vertx, PrometheusMeterRegistry registry,
                          String postgresUri, String redisUri, Spool spool) {
    MetricsCollector metrics = Implementations.named(MetricsCollector.class, MetricsCollector::name,
        config.plugins().metrics(), "plugins.metrics");
    metrics.bind(registry);
    AuditSink audit = Implementations.named(AuditSink.class, AuditSink::name, config.plugins().audit(), "plugins.audit");
    RetryPolicy retryPolicy = Implementations.named(RetryPolicy.class, RetryPolicy::name, config.retry().policy(), "retry.policy");
    // TLS files first: an unusable certificate must stop start-up before anything connects.
    TlsListener tls = config.tls().enabled() ? TlsListener.create(config.tls(), vertx) : null;
    EnabledFamilies families = EnabledFamilies.of(config, env);
    ClientAddresses clientAddresses = clientAddresses(config.http());
    Backends backends = Backends.of(config, env, vertx, postgresUri, redisUri, spool);
    Readiness readiness = new Readiness(backends.healthChecks(vertx, config.spool().maxBytes()));
    OperationsEndpoints operations = operations(config.management().basicAuth(), env, vertx, readiness, registry,
        OpenApiDocument.assemble(config.familiesFound(), families.byName().keySet()));
    BodyReader bodies = new BodyReader(vertx, config.http().maxBodyBytes(), config.http().bodyTimeoutSeconds() * 1000L,
        config.limits().maxBufferedBodyBytes());
    Pipeline pipeline = new Pipeline(bodies,
        RedisRateLimiter.create(vertx, backends.redisOptions(), Ingress.eventLoops(config), config.rateLimit(), metrics),
        new InFlightKeys(), new WriteBudget(config.limits().maxInFlightWrites()), clientAddresses, metrics, audit);
    LoopWiring loops = new LoopWiring(config, vertx, backends, metrics, env, families);
    WriteOperations writeOperations = families.writeOperations();
    DeadLetterShelf deadLetterShelf = new DeadLetterShelf(backends.reads(), spool, writeOperations.familyByName());
    gauges(metrics, backends, bodies, readiness);
    return new Components(config, vertx, registry, tls, families, loops,
        new RouteTable(families, loops, operations, config), pipeline, readiness,
        config.retention().enabled()
            ? new RetentionVerticle(Retention.create(vertx, backends.database(), config, metrics),
                config.retention().intervalSeconds())
            : null,
        new SpoolReplayer(spool, backends.database(), backends.circuit(), loops.committer(vertx), writeOperations.byName(),
            retryPolicy, config.retry(), config.postgres().batch().maxRows(), deadLetterShelf),
        new DeadLetterUpkeep(deadLetterShelf, backends.reads(), metrics, Set.copyOf(writeOperations.familyByName().values())),
        spool);
  }

  private static ClientAddresses clientAddresses(IngressConfig.Http http) {
    try {
      return new ClientAddresses(http.trustedProxies());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("http.trustedProxies", e.getMessage());
    }
  }

  private static OperationsEndpoints operations(IngressConfig.BasicAuth basicAuth, Map<String, String> env, Vertx vertx,
                                                Readiness readiness, PrometheusMeterRegistry registry, JsonObject openApi) {
    if (basicAuth == null) {
      return new OperationsEndpoints(vertx, readiness, registry, null, null, openApi);
    }
    String password = env.get(basicAuth.passwordEnv());
    if (password == null || password.isEmpty()) {
      throw new ConfigException("management.basicAuth.passwordEnv", "names " + basicAuth.passwordEnv() + ", which is not set");
    }
    return new OperationsEndpoints(vertx, readiness, registry, basicAuth.username(), password, openApi);
  }

  private static void gauges(MetricsCollector metrics, Backends backends, BodyReader bodies, Readiness readiness) {
    CircuitGauge.register(metrics, "postgres", backends.circuit().breaker());
    metrics.gauge("ingress.spool.depth", null, null, () -> backends.spool().stats().depth());
    metrics.gauge("ingress.spool.dead.letters", null, null, () -> backends.spool().stats().deadLetters());
    metrics.gauge("ingress.body.buffered.bytes", null, null, bodies::bufferedBytes);
    metrics.gauge("ingress.ready", null, null, () -> readiness.up() ? 1 : 0);
    metrics.gauge("ingress.audit.lines.dropped", null, null, BatchingConsoleAppender::dropped);
  }
}
