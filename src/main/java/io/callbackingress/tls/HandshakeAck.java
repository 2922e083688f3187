package io.callbackingress.tls;

import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Acknowledges the client's last handshake flight at once. A client that writes its request right
 * after its Finished, in a segment of its own, has Nagle's algorithm hold the request until the
 * Finished is acknowledged, and the kernel delays that acknowledgement up to 40 ms in the hope of
 * sending it with data. OpenSSL servers send their session tickets as the handshake ends, which
 * carries it; BoringSSL sends nothing until the response. Measured with {@code ab}, one request per
 * new TLS connection: 41–46 ms of waiting per request before, 1 ms after.
 *
 * <p>{@code TCP_QUICKACK} set while an acknowledgement is pending sends it now (Linux; the epoll
 * transport only). Vert.x makes the HTTP/1 connection of a TLS socket when its handshake completes,
 * which is when the connection handler calls this.
 */
public final class HandshakeAck {

  private HandshakeAck() {}

  public static void sendNow(HttpConnection connection) {
    if (connection.isSsl() && connection instanceof ConnectionBase base
        && base.channel().config() instanceof EpollSocketChannelConfig epoll) {
      epoll.setTcpQuickAck(true);
    }
  }
}
