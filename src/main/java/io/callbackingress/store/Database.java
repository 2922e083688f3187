package io.callbackingress.store;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;

/** How to reach Postgres: the connect options from {@code postgres.*} and the shared read pool. */
public final class Database {

  private final PgConnectOptions connectOptions;
  private final int poolSize;

  private Database(PgConnectOptions connectOptions, int poolSize) {
    this.connectOptions = connectOptions;
    this.poolSize = poolSize;
  }

  public static Database of(String uri, IngressConfig.Postgres postgres, Map<String, String> env) {
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(uri);
    } catch (RuntimeException e) {
      throw new ConfigException("postgres.uri", "is not a valid connection URI");
    }
    if (postgres.passwordEnv() != null) {
      String password = env.get(postgres.passwordEnv());
      if (password == null) {
        throw new ConfigException("postgres.passwordEnv", "names " + postgres.passwordEnv() + ", which is not set");
      }
      options.setPassword(password);
    }
    // Named statements live in one server session; a transaction pooler hands the next transaction to another.
    options.setPipeliningLimit(postgres.pipeliningLimit())
        .setCachePreparedStatements(!postgres.behindTransactionPooler())
        .setUseLayer7Proxy(postgres.behindTransactionPooler());
    return new Database(options, postgres.poolSize());
  }

  public PgConnectOptions connectOptions() {
    return connectOptions;
  }

  /** A pool for reads and health checks; its connections pipeline too. */
  public Pool readPool(Vertx vertx) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(10_000).setConnectionTimeout(5))
        .connectingTo(connectOptions)
        .using(vertx)
        .build();
  }

  /** A dedicated connection, bound to the calling event loop: the writer's. */
  public Future<PgConnection> connect(Vertx vertx) {
    return PgConnection.connect(vertx, connectOptions);
  }

  /** The JDBC form of the same target, for Flyway at start-up. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + connectOptions.getHost() + ":" + connectOptions.getPort() + "/" + connectOptions.getDatabase();
  }
}
