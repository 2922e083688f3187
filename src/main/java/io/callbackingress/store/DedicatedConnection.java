package io.callbackingress.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;

/** One Postgres connection owned by one event loop, opened on first use and again after it drops. */
final class DedicatedConnection {

  private final Vertx vertx;
  private final Database database;
  private PgConnection connection;

  DedicatedConnection(Vertx vertx, Database database) {
    this.vertx = vertx;
    this.database = database;
  }

  Future<SqlConnection> get() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    return database.connect(vertx).map(conn -> {
      CoalescedFlushes.install(conn);
      connection = conn;
      conn.closeHandler(v -> {
        if (connection == conn) {
          connection = null;
        }
      });
      return conn;
    });
  }

  Future<Void> close() {
    PgConnection open = connection;
    connection = null;
    return open == null ? Future.succeededFuture() : open.close();
  }
}
