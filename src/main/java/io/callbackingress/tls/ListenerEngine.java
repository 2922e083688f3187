package io.callbackingress.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The BoringSSL engine of the HTTPS listener: Vert.x's own context factory, given three things a
 * listener for one-connection-per-callback callers needs (SPEC 4) and the default leaves out.
 *
 * <ul>
 *   <li>The certificate and key converted to BoringSSL's form once per context. Handed a plain
 *       {@link KeyManagerFactory}, Netty cannot know the key manager's answer is fixed, so for every
 *       handshake it encodes the chain and key as PEM and parses them back in native code; the
 *       caching factory is Netty's way of saying it is fixed. A certificate reload builds a new
 *       context, so nothing stale is cached.
 *   <li>Session tickets under {@link TicketKeys}, shared by every loop and, with a key file, by
 *       every replica.
 *   <li>A client chain verified by the JDK once, then only its dates checked — also on resumed
 *       sessions, which are refused once the certificate has expired ({@link ClientChainCheck}).
 * </ul>
 *
 * <p>Vert.x copies engine options into every server's options, so {@link #copy()} keeps the keys.
 */
final class ListenerEngine extends OpenSSLEngineOptions {

  private final TicketKeys tickets;

  ListenerEngine(TicketKeys tickets) {
    this.tickets = tickets;
  }

  private ListenerEngine(ListenerEngine other) {
    super(other);
    this.tickets = other.tickets;
  }

  @Override
  public ListenerEngine copy() {
    return new ListenerEngine(this);
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new Factory(super.sslContextFactory(), tickets);
  }

  /** Passes everything to Vert.x's factory, wrapping the key and trust managers on the way. */
  private record Factory(SslContextFactory vertx, TicketKeys tickets) implements SslContextFactory {

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      vertx.useAlpn(useAlpn);
      return this;
    }

    @Override
    public SslContextFactory clientAuth(ClientAuth clientAuth) {
      vertx.clientAuth(clientAuth);
      return this;
    }

    @Override
    public SslContextFactory forClient(boolean forClient) {
      vertx.forClient(forClient);
      return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
      vertx.keyMananagerFactory(new OpenSslCachingX509KeyManagerFactory(kmf));
      return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
      vertx.trustManagerFactory(ClientChainCheck.wrap(tmf));
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> enabledCipherSuites) {
      vertx.enabledCipherSuites(enabledCipherSuites);
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> applicationProtocols) {
      vertx.applicationProtocols(applicationProtocols);
      return this;
    }

    @Override
    public SslContextFactory serverName(String serverName) {
      vertx.serverName(serverName);
      return this;
    }

    @Override
    public SslContext create() throws SSLException {
      SslContext context = vertx.create();
      if (context.sessionContext() instanceof OpenSslServerSessionContext session) {
        tickets.install(session);
      }
      return context;
    }
  }
}
