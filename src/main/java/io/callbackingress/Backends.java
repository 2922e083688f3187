package io.callbackingress;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.ops.HealthCheck;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.spool.Spool;
import io.callbackingress.store.Database;
import io.callbackingress.store.PostgresCircuit;
import io.callbackingress.store.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the ingress keeps what it accepts: Postgres for writes, reads and LISTEN, Redis, the local
 * spool, and the circuit that sends writes to the spool while Postgres is away. Building them
 * reads their addresses and secrets, naming the key of any that is unusable; nothing connects yet.
 *
 * @param listenDatabase where the live family LISTENs: {@code postgres.listenUri}, else {@code database}
 */
record Backends(Database database, Database listenDatabase, Pool reads, Redis redis, RedisOptions redisOptions,
                PostgresCircuit circuit, Spool spool) {

  /** The shortest pause before a tripped Postgres circuit lets a trial through. */
  private static final long MIN_CIRCUIT_RESET_MS = 100;

  static Backends of(IngressConfig config, Map<String, String> env, Vertx vertx, String postgresUri, String redisUri,
                     Spool spool) {
    Database database = Database.of(postgresUri, config.postgres(), env);
    Database listenDatabase = listenDatabase(database, config.postgres(), env);
    RedisOptions redisOptions = RedisConnector.options(redisUri, config.redis(), env);
    return new Backends(database, listenDatabase, database.readPool(vertx), Redis.createClient(vertx, redisOptions),
        redisOptions, new PostgresCircuit(vertx, Math.max(MIN_CIRCUIT_RESET_MS, config.retry().baseMs())), spool);
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

  /** What readiness reports (SPEC 3.9): Postgres takes writes, Redis answers, the spool is usable and not full. */
  List<HealthCheck> healthChecks(Vertx vertx, long spoolMaxBytes) {
    return List.of(
        check("postgres", () -> database.checkWritable(vertx, reads)),
        check("redis", () -> redis.send(Request.cmd(Command.PING)).mapEmpty()),
        check("spool", () -> spool.healthy() && spool.stats().bytes() < spoolMaxBytes
            ? Future.succeededFuture()
            : Future.failedFuture("spool unusable or full")));
  }

  private static HealthCheck check(String id, Supplier<Future<Void>> probe) {
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
