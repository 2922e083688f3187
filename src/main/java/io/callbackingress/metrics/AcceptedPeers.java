package io.callbackingress.metrics;

import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * The address each HTTP connection was accepted from — behind a PROXY-protocol balancer, the
 * caller's, not the balancer's — also when Vert.x metrics are on.
 *
 * <p>Why this exists. In Vert.x 5.0.8 the PROXY source is handed to the first connection object
 * that asks for its remote address, and only to that one. With metrics on, that is the
 * intermediate socket the server creates to report {@code connected(remoteAddress)} to the
 * metrics; the HTTP connection that replaces it then finds nothing and answers the balancer's
 * address, so every caller would share the balancer's rate-limit bucket. The metrics SPI does see
 * the right address, so this factory wraps the real one: its HTTP server metrics tag each
 * connection's socket metric with that address ({@link #of}), and delegate everything else.
 */
public final class AcceptedPeers implements VertxMetricsFactory {

  private final VertxMetricsFactory delegate;

  public AcceptedPeers(VertxMetricsFactory delegate) {
    this.delegate = delegate;
  }

  /** The address {@code connection} was accepted from, or null when metrics are off (ask the connection then). */
  public static SocketAddress of(HttpConnection connection) {
    return connection instanceof ConnectionBase base && base.metric() instanceof Peer peer ? peer.address() : null;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new Metrics(delegate.metrics(options));
  }

  @Override
  public MetricsOptions newOptions() {
    return delegate.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return delegate.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return delegate.newOptions(json);
  }

  /** A connection's socket metric: the wrapped one, and where the connection came from. */
  private record Peer(Object metric, SocketAddress address) {}

  private record Metrics(VertxMetrics delegate) implements VertxMetrics {

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> server = delegate.createHttpServerMetrics(options, localAddress);
      return server == null ? null : new ServerMetrics(server);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return delegate.createEventBusMetrics();
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return delegate.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return delegate.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return delegate.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return delegate.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return delegate.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return delegate.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(io.vertx.core.Vertx vertx) {
      delegate.vertxCreated(vertx);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** The real HTTP server metrics, fed the socket metric they returned, never the {@link Peer} around it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final class ServerMetrics implements HttpServerMetrics<Object, Object, Peer> {

    private final HttpServerMetrics delegate;

    ServerMetrics(HttpServerMetrics<?, ?, ?> delegate) {
      this.delegate = delegate;
    }

    private static Object unwrap(Peer peer) {
      return peer == null ? null : peer.metric();
    }

    @Override
    public Peer connected(SocketAddress remoteAddress, String remoteName) {
      return new Peer(delegate.connected(remoteAddress, remoteName), remoteAddress);
    }

    @Override
    public void disconnected(Peer socketMetric, SocketAddress remoteAddress) {
      delegate.disconnected(unwrap(socketMetric), remoteAddress);
    }

    @Override
    public void bytesRead(Peer socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      delegate.bytesRead(unwrap(socketMetric), remoteAddress, numberOfBytes);
    }

    @Override
    public void bytesWritten(Peer socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      delegate.bytesWritten(unwrap(socketMetric), remoteAddress, numberOfBytes);
    }

    @Override
    public void exceptionOccurred(Peer socketMetric, SocketAddress remoteAddress, Throwable t) {
      delegate.exceptionOccurred(unwrap(socketMetric), remoteAddress, t);
    }

    @Override
    public Object requestBegin(Peer socketMetric, HttpRequest request) {
      return delegate.requestBegin(unwrap(socketMetric), request);
    }

    @Override
    public void requestEnd(Object requestMetric, HttpRequest request, long bytesRead) {
      delegate.requestEnd(requestMetric, request, bytesRead);
    }

    @Override
    public void requestReset(Object requestMetric) {
      delegate.requestReset(requestMetric);
    }

    @Override
    public void responseBegin(Object requestMetric, HttpResponse response) {
      delegate.responseBegin(requestMetric, response);
    }

    @Override
    public Object responsePushed(Peer socketMetric, HttpMethod method, String uri, HttpResponse response) {
      return delegate.responsePushed(unwrap(socketMetric), method, uri, response);
    }

    @Override
    public void responseEnd(Object requestMetric, HttpResponse response, long bytesWritten) {
      delegate.responseEnd(requestMetric, response, bytesWritten);
    }

    @Override
    public Object connected(Peer socketMetric, Object requestMetric, ServerWebSocket serverWebSocket) {
      return delegate.connected(unwrap(socketMetric), requestMetric, serverWebSocket);
    }

    @Override
    public void disconnected(Object serverWebSocketMetric) {
      delegate.disconnected(serverWebSocketMetric);
    }

    @Override
    public void requestRouted(Object requestMetric, String route) {
      delegate.requestRouted(requestMetric, route);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
