package io.callbackingress;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.http.Pipeline;
import io.callbackingress.metrics.EventLoopLag;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spool.Spool;
import io.callbackingress.tls.TlsListener;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every collaborator once ({@link Components}), then deploys them in
 * order — the families, retention, then one server verticle per event loop and what works behind
 * them — and stops them in the reverse order, readiness first.
 */
public final class Ingress {

  private static final Logger log = LoggerFactory.getLogger(Ingress.class);
  /**
   * How often readiness is re-checked for {@code ingress_ready} (one SELECT 1 and one PING): a
   * third of Prometheus's default 15 s scrape, so a scrape never sees a verdict older than 5 s.
   */
  private static final long READINESS_REFRESH_MS = 5_000;

  private final Components parts;
  private final Vertx vertx;
  private final IngressConfig config;
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  /** Stopped after the listeners, so no request reaches a family that has let go of its resources. */
  private final List<String> familyDeployments = new CopyOnWriteArrayList<>();
  private long readinessRefresh = -1;
  private long certificateReload = -1;

  private Ingress(Components parts) {
    this.parts = parts;
    this.vertx = parts.vertx();
    this.config = parts.config();
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
    return new Ingress(Components.build(config, env, vertx, registry, postgresUri, redisUri, spool));
  }

  /** {@code http.instances}, 0 meaning one per core: one server verticle per event loop. */
  public static int eventLoops(IngressConfig config) {
    return config.http().instances() > 0 ? config.http().instances() : Runtime.getRuntime().availableProcessors();
  }

  /** Starts the families, then retention, then the listeners; completes when every listener is bound. */
  public Future<Void> deploy() {
    return deployFamilies()
        .compose(v -> deployRetention())
        .compose(v -> deployListeners())
        .onSuccess(v -> {
          readinessRefresh = parts.readiness().refreshEvery(vertx, READINESS_REFRESH_MS);
          log.info("callback-ingress listening on {}:{}{} with {} event loops ({} transport); families {}",
              config.http().host(), config.http().port(), tls() == null ? "" : " and TLS " + config.tls().port(),
              eventLoops(config), vertx.isNativeTransportEnabled() ? "native epoll" : "NIO",
              parts.families().byName().keySet());
        });
  }

  private Future<Void> deployFamilies() {
    return Future.all(families().stream()
            .map(family -> vertx.deployVerticle(() -> new FamilyVerticle(family, parts.loops()), new DeploymentOptions()))
            .toList())
        .onSuccess(started -> familyDeployments.addAll(started.list()))
        .mapEmpty();
  }

  /** Before the listeners: retention's start makes the time partitions the first writes go to. */
  private Future<Void> deployRetention() {
    return parts.retention() == null ? Future.succeededFuture() : tracked(vertx.deployVerticle(parts.retention()));
  }

  /** A server verticle per event loop, the management listener, and the spool replay and dead-letter upkeep. */
  private Future<Void> deployListeners() {
    int instances = eventLoops(config);
    long graceMs = TimeUnit.SECONDS.toMillis(config.shutdown().graceSeconds());
    IngressVerticle.Listener main = new IngressVerticle.Listener(config.http(), config.http().port(),
        config.http().proxyProtocol(), tls(), graceMs);
    Pipeline pipeline = parts.pipeline();
    RouteTable routes = parts.routes();
    Future<Void> servers = tracked(vertx.deployVerticle(() -> new IngressVerticle(main, pipeline, routes::mainPort),
        new DeploymentOptions().setInstances(instances)));
    Future<Void> management = Future.succeededFuture();
    if (config.management().port() != null) {
      IngressVerticle.Listener listener = new IngressVerticle.Listener(config.http(), config.management().port(), false,
          null, graceMs);
      management = tracked(vertx.deployVerticle(
          () -> new IngressVerticle(listener, pipeline, loopVertx -> routes.operationsOnly()), new DeploymentOptions()));
    }
    if (tls() != null) {
      certificateReload = tls().startReloading(vertx);
    }
    return Future.all(List.of(servers, management,
            tracked(vertx.deployVerticle(parts.replayer())),
            tracked(vertx.deployVerticle(parts.deadLetterUpkeep())),
            tracked(vertx.deployVerticle(() -> new EventLoopLag(parts.registry()),
                new DeploymentOptions().setInstances(instances)))))
        .mapEmpty();
  }

  /** A deployment {@link #stop} undeploys, before the families. */
  private Future<Void> tracked(Future<String> deployment) {
    return deployment.onSuccess(deployments::add).mapEmpty();
  }

  /** Readiness DOWN, everything else still served: the first step of a drain (SPEC 7). */
  public void drainReadiness() {
    parts.readiness().drain();
  }

  /**
   * SIGTERM: readiness DOWN first, then the listeners stop, in-flight requests and their batches
   * finish, the replayer ends its round, the families stop, and the spool closes.
   */
  public Future<Void> stop() {
    parts.readiness().drain();
    vertx.cancelTimer(readinessRefresh);
    vertx.cancelTimer(certificateReload);
    return Future.join(deployments.stream().map(vertx::undeploy).toList())
        .eventually(() -> Future.join(familyDeployments.stream().map(vertx::undeploy).toList()))
        .eventually(parts.spool()::close)
        .eventually(vertx::close)
        .mapEmpty();
  }

  public IngressConfig config() {
    return config;
  }

  /** The enabled families. */
  public Collection<EndpointFamily> families() {
    return parts.families().byName().values();
  }

  /** The HTTPS listener's settings, or null when {@code tls.enabled} is false. */
  public TlsListener tls() {
    return parts.tls();
  }

  /** The routes the main listener serves on the loop of {@code loopVertx}, as that listener builds them. */
  public List<Pipeline.Route> routesOn(Vertx loopVertx) {
    return parts.routes().mainPort(loopVertx).routes();
  }
}
