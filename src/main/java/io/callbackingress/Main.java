package io.callbackingress;

import io.callbackingress.config.ConfigLoader;
import io.callbackingress.config.ConfigSchemaDocument;
import io.callbackingress.config.Implementations;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.embedded.EmbeddedServices;
import io.callbackingress.metrics.AcceptedPeers;
import io.callbackingress.metrics.PrometheusRegistry;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.store.Database;
import io.callbackingress.store.Migrations;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar callback-ingress.jar [-conf path]}: read and validate the configuration, start
 * the embedded services it asks for, migrate the schema, deploy, and drain on SIGTERM.
 * {@code --config-schema} prints the configuration's JSON Schema for the families on the class path
 * instead ({@code conf/config.schema.json} is that for the built-in ones).
 * Runs on the main thread, where blocking is allowed; nothing here runs on an event loop.
 */
public final class Main {

  /** Exit code of every start-up refusal (SPEC 11a). */
  static final int REFUSED = 2;
  private static final int FAILED = 1;
  private static final String CONFIG_SCHEMA = "--config-schema";

  private Main() {}

  public static void main(String[] args) {
    if (List.of(args).contains(CONFIG_SCHEMA)) {
      // A command, not the server: no Vert.x exists, and the schema is its only output.
      System.out.println(ConfigSchemaDocument.assemble(Implementations.all(EndpointFamily.class)).encodePrettily());
      return;
    }
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    Map<String, String> env = System.getenv();
    IngressConfig config;
    try {
      config = ConfigLoader.load(args, env);
    } catch (ConfigException e) {
      refuse(e);
      return;
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    EmbeddedServices embedded = new EmbeddedServices();
    Vertx vertx = null;
    try {
      String postgresUri = config.postgres().embedded() ? embedded.startPostgres(Path.of("data")) : config.postgres().uri();
      String redisUri = config.redis().embedded() ? embedded.startRedis() : config.redis().uri();
      PrometheusMeterRegistry registry = PrometheusRegistry.create();
      int loops = Ingress.eventLoops(config);
      vertx = Vertx.builder()
          .with(new VertxOptions()
              .setEventLoopPoolSize(loops)
              .setPreferNativeTransport(true)
              .setMetricsOptions(PrometheusRegistry.vertxMetricsOptions()))
          .withMetrics(new AcceptedPeers(new MicrometerMetricsFactory(registry)))
          .build();
      Ingress ingress = Ingress.create(config, env, vertx, registry, postgresUri, redisUri, Ingress.openSpool(vertx, config));
      Migrations.migrate(Database.of(postgresUri, config.postgres(), env), config.familiesFound());
      // main may wait: it is not an event loop.
      ingress.deploy().await();
      Vertx running = vertx;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(ingress, running, embedded), "shutdown"));
    } catch (ConfigException e) {
      embedded.close();
      refuse(e);
    } catch (Exception e) {
      log.error("start-up failed: {}", e.getMessage(), e);
      if (vertx != null) {
        vertx.close();
      }
      embedded.close();
      stopLogging();
      System.exit(FAILED);
    }
  }

  private static void shutdown(Ingress ingress, Vertx vertx, EmbeddedServices embedded) {
    Logger log = LoggerFactory.getLogger(Main.class);
    IngressConfig.Shutdown settings = ingress.config().shutdown();
    log.info("SIGTERM: readiness DOWN, serving for {} s, then draining (grace {} s)", settings.readinessDelaySeconds(),
        settings.graceSeconds());
    try {
      // The shutdown hook's own thread, not an event loop: it may wait, for the balancer and for the drain.
      ingress.drainReadiness();
      Thread.sleep(TimeUnit.SECONDS.toMillis(settings.readinessDelaySeconds()));
      ingress.stop().await();
    } catch (Exception e) {
      log.warn("shutdown did not complete cleanly: {}", e.getMessage());
    }
    embedded.close();
    log.info("stopped");
    stopLogging();
    // A JVM ended by SIGTERM exits 143 even after a clean drain; a drained ingress reports success.
    Runtime.getRuntime().halt(0);
  }

  /** One line naming the key, exit code 2, no stack trace (SPEC 11). */
  private static void refuse(ConfigException e) {
    System.err.println(e.getMessage());
    stopLogging();
    System.exit(REFUSED);
  }

  /** Flushes the asynchronous appenders so the last lines reach standard output. */
  private static void stopLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      context.stop();
    }
  }
}
