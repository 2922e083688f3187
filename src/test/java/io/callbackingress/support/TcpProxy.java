package io.callbackingress.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between the ingress and Postgres or Redis that a test can cut and restore: stopping
 * it closes the listener and every open connection, as a failed network would. It can also be
 * pointed at another server, as a DNS name or a virtual IP is moved in a failover.
 */
public final class TcpProxy implements AutoCloseable {

  private final Vertx vertx;
  private final String targetHost;
  private volatile int targetPort;
  private final int port;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private NetClient client;
  /** Text whose next appearance from the server cuts that connection instead of being passed on; null when unarmed. */
  private volatile String cutAt;

  public TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.port = IngressServer.freePort();
    start();
  }

  public int port() {
    return port;
  }

  /** {@code uri} with its host and port replaced by this proxy's. */
  public String route(String uri) {
    return uri.replace(targetHost + ":" + targetPort, "127.0.0.1:" + port);
  }

  /**
   * New connections go to {@code port} from now on; open ones stay where they are, as with a
   * moved DNS name (a crashed server's are closed already).
   */
  public void redirect(int port) {
    targetPort = port;
  }

  public void start() {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(inbound -> {
      inbound.pause();
      sockets.add(inbound);
      client.connect(targetPort, targetHost).onComplete(connected -> {
        if (connected.failed()) {
          inbound.close();
          return;
        }
        NetSocket outbound = connected.result();
        sockets.add(outbound);
        inbound.handler(outbound::write);
        outbound.handler(chunk -> {
          String armed = cutAt;
          if (armed != null && chunk.toString(StandardCharsets.ISO_8859_1).contains(armed)) {
            cutAt = null;
            inbound.close();
            outbound.close();
            return;
          }
          inbound.write(chunk);
        });
        inbound.closeHandler(v -> outbound.close());
        outbound.closeHandler(v -> inbound.close());
        inbound.resume();
      });
    });
    server.listen(port, "127.0.0.1").await();
  }

  /**
   * The next time the server answers with {@code text} (a command tag, say {@code COMMIT}), the
   * proxy drops that answer and the connection: the server has run the statement, the client never
   * hears it did. Once. (Cutting as the client sends the statement does not say as much: a client
   * that pipelines its whole transaction in one write may lose the connection before the server
   * reaches the statement.)
   */
  public void cutWhenServerAnswers(String text) {
    cutAt = text;
  }

  /** Cuts the link: no new connections, and every open one is closed. */
  public void stop() {
    server.close().await();
    sockets.forEach(NetSocket::close);
    sockets.clear();
    client.close().await();
  }

  @Override
  public void close() {
    stop();
  }
}
