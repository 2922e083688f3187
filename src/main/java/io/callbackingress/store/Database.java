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
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How to reach Postgres: the hosts of {@code postgres.uri}, the one among them that takes writes,
 * and the shared read pool (SPEC 7).
 *
 * <p>With {@code target_session_attrs=read-write} (the default when several hosts are named) a
 * new connection tries the hosts in order and keeps the first that is not read-only — a primary,
 * not a standby in recovery nor a server with {@code default_transaction_read_only}; the host
 * found is remembered for the read pool. Host names are resolved again for every new connection,
 * so a failover that moves a DNS name is followed once the old connections are gone.
 */
public final class Database {

  private static final String READ_ONLY = "SHOW transaction_read_only";

  private final List<PgConnectOptions> hosts;
  private final boolean writableOnly;
  private final int poolSize;
  /** The host that last answered as writable; the first one until any did. */
  private volatile PgConnectOptions primary;

  private Database(List<PgConnectOptions> hosts, boolean writableOnly, int poolSize) {
    this.hosts = hosts;
    this.writableOnly = writableOnly;
    this.poolSize = poolSize;
    this.primary = hosts.get(0);
  }

  public static Database of(String uri, IngressConfig.Postgres postgres, Map<String, String> env) {
    PostgresUri parsed = PostgresUri.parse(uri);
    String password = null;
    if (postgres.passwordEnv() != null) {
      password = env.get(postgres.passwordEnv());
      if (password == null) {
        throw new ConfigException("postgres.passwordEnv", "names " + postgres.passwordEnv() + ", which is not set");
      }
    }
    List<PgConnectOptions> hosts = new ArrayList<>();
    for (String hostUri : parsed.hostUris()) {
      PgConnectOptions options;
      try {
        options = PgConnectOptions.fromUri(hostUri);
      } catch (RuntimeException e) {
        throw new ConfigException("postgres.uri", "is not a valid connection URI");
      }
      if (password != null) {
        options.setPassword(password);
      }
      // Named statements live in one server session; a transaction pooler hands the next transaction to another.
      hosts.add(options.setPipeliningLimit(postgres.pipeliningLimit())
          .setCachePreparedStatements(!postgres.behindTransactionPooler())
          .setUseLayer7Proxy(postgres.behindTransactionPooler()));
    }
    return new Database(List.copyOf(hosts), parsed.writableOnly(), postgres.poolSize());
  }

  /** The connect options of the host taken for the writable one (user, password and database are the same for all). */
  public PgConnectOptions connectOptions() {
    return primary;
  }

  /** A pool for reads and health checks on the host last found writable; its connections pipeline too. */
  public Pool readPool(Vertx vertx) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(10_000).setConnectionTimeout(5))
        .connectingTo(() -> Future.<SqlConnectOptions>succeededFuture(primary))
        .using(vertx)
        .build();
  }

  /**
   * A connection of its own, bound to the calling event loop, to a host that takes writes when
   * {@code target_session_attrs=read-write}; fails with {@link NoWritablePostgresException} when
   * none does.
   */
  public Future<PgConnection> connect(Vertx vertx) {
    if (!writableOnly) {
      return PgConnection.connect(vertx, primary);
    }
    return connectToWritable(vertx, 0, new ArrayList<>());
  }

  private Future<PgConnection> connectToWritable(Vertx vertx, int index, List<String> refusals) {
    if (index == hosts.size()) {
      return Future.failedFuture(new NoWritablePostgresException("no writable Postgres among " + String.join(", ", refusals)));
    }
    PgConnectOptions host = hosts.get(index);
    String name = host.getHost() + ":" + host.getPort();
    return PgConnection.connect(vertx, host).compose(
        connection -> isReadOnly(connection).transform(readOnly -> {
          if (readOnly.succeeded() && !readOnly.result()) {
            primary = host;
            return Future.succeededFuture(connection);
          }
          refusals.add(name + (readOnly.succeeded() ? " (read-only)" : " (" + readOnly.cause().getMessage() + ")"));
          return connection.close().transform(closed -> connectToWritable(vertx, index + 1, refusals));
        }),
        failure -> {
          refusals.add(name + " (" + failure.getMessage() + ")");
          return connectToWritable(vertx, index + 1, refusals);
        });
  }

  /**
   * Completes when Postgres can take writes through {@code reads}: reachable and not read-only. When
   * several hosts are named and the pool's is not writable, it looks for the one that is, so the
   * pool's next connections go there.
   */
  public Future<Void> checkWritable(Vertx vertx, SqlClient reads) {
    Future<Void> checked = isReadOnly(reads).compose(readOnly -> readOnly
        ? Future.failedFuture(new NoWritablePostgresException(primary.getHost() + ":" + primary.getPort() + " is read-only"))
        : Future.succeededFuture());
    if (hosts.size() == 1) {
      return checked;
    }
    return checked.recover(failure -> connect(vertx).compose(PgConnection::close));
  }

  private static Future<Boolean> isReadOnly(SqlClient sql) {
    return sql.query(READ_ONLY).execute().map(rows -> "on".equals(rows.iterator().next().getString(0)));
  }

  /** The JDBC form of the same hosts, for Flyway at start-up. */
  public String jdbcUrl() {
    String hostList = hosts.stream().map(h -> h.getHost() + ":" + h.getPort()).collect(Collectors.joining(","));
    return "jdbc:postgresql://" + hostList + "/" + primary.getDatabase() + (writableOnly ? "?targetServerType=primary" : "");
  }
}
