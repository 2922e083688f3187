package io.callbackingress.support;

import io.vertx.core.Vertx;
import java.net.URI;

/**
 * A test database that an ingress reaches through a {@link TcpProxy} the test cuts and restores
 * ({@link #uri()}), while the test itself still reads and alters it directly ({@link #db()}): how
 * a write is acknowledged from the spool while Postgres is away, then meets a database that has
 * changed under it — a constraint added meanwhile, say — when it is replayed.
 */
public final class CuttableDatabase implements AutoCloseable {

  private final String direct;
  private final Vertx vertx = Vertx.vertx();
  private final TcpProxy proxy;

  public CuttableDatabase(String name) {
    this.direct = TestServices.newDatabase(name);
    URI target = URI.create(direct);
    this.proxy = new TcpProxy(vertx, target.getHost(), target.getPort());
  }

  /** Through the proxy: what the ingress is configured with. */
  public String uri() {
    return proxy.route(direct);
  }

  /** The database itself, never cut: for a second replica that keeps its connection, and for checks. */
  public String directUri() {
    return direct;
  }

  public Db db() {
    return new Db(direct);
  }

  /** Every connection through the proxy closed, no new one accepted. */
  public void cut() {
    proxy.stop();
  }

  public void restore() {
    proxy.start();
  }

  @Override
  public void close() {
    proxy.close();
    vertx.close().await();
  }
}
