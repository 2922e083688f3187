package io.callbackingress.store;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.SqlConnectionInternal;

/**
 * Lets the statements that one event-loop task sends on a connection leave in one write. The pg
 * client flushes every statement as it is queued, so a batch's BEGIN, commit marker and insert
 * were three send system calls, and three wake-ups of the Postgres backend that reads them.
 * Netty's {@link FlushConsolidationHandler}, first in the pipeline, holds the flushes until the
 * task ends, or until the read in progress on this connection completes.
 */
final class CoalescedFlushes {

  /** Past this many held flushes one goes out at once: far above the statements of a batch. */
  private static final int MOST_HELD = 256;

  private CoalescedFlushes() {}

  /**
   * Installs the consolidation on a connection of the pg client's own (a pooled connection is
   * left alone). Reaches into the client's internals, which its public API does not expose.
   */
  static void install(SqlConnection connection) {
    if (connection instanceof SqlConnectionInternal internal && internal.unwrap() instanceof SocketConnectionBase socket) {
      socket.socket().channelHandlerContext().pipeline().addFirst(new FlushConsolidationHandler(MOST_HELD, true));
    }
  }
}
