package io.callbackingress.tls;

import io.callbackingress.support.TestCertificates.Issued;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS 1.3 client (the JDK's engine, as a Java caller has) that offers its last session ticket to
 * whichever port it connects to next — as a caller behind a load balancer reaches a different
 * replica each time — and counts its full handshakes.
 *
 * <p>Clients keep tickets by the peer's host and port, so every connection names the same peer,
 * {@code localhost:443}, whatever port it really opens. A resumed handshake sends no server
 * certificate, so the trust manager is asked only on a full handshake: {@link #fullHandshakes}.
 * The client lives on the Vert.x it is given and closes with it.
 */
final class ResumingClient {

  private final NetClient client;
  private final AtomicInteger fullHandshakes = new AtomicInteger();

  /** @param certificate the client certificate and key, or null for none */
  ResumingClient(Vertx vertx, Issued ca, Issued certificate) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    X509TrustManager verifier = (X509TrustManager) trust.getTrustManagers()[0];
    X509TrustManager counting = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.checkClientTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.checkServerTrusted(chain, authType);
        fullHandshakes.incrementAndGet();
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return verifier.getAcceptedIssuers();
      }
    };
    NetClientOptions options = new NetClientOptions()
        .setSsl(true)
        .setSslEngineOptions(new JdkSSLEngineOptions())
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        .setHostnameVerificationAlgorithm("HTTPS")
        .setTrustOptions(TrustOptions.wrap(counting));
    if (certificate != null) {
      KeyStore own = KeyStore.getInstance("PKCS12");
      own.load(null, null);
      own.setKeyEntry("client", certificate.keys().getPrivate(), new char[0], new X509Certificate[] {certificate.certificate()});
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(own, new char[0]);
      options.setKeyCertOptions(KeyCertOptions.wrap((X509KeyManager) keys.getKeyManagers()[0]));
    }
    client = vertx.createNetClient(options);
  }

  int fullHandshakes() {
    return fullHandshakes.get();
  }

  /**
   * One {@code GET} with {@code Connection: close} on a new connection to {@code port}; the raw
   * response, or null when the server refused the handshake or closed without answering. (TLS 1.3
   * finishes the client's side of the handshake before the server has judged it, so a refusal can
   * arrive as a close after the request was sent.)
   */
  String get(int port, String path, String requestId) {
    ConnectOptions connect = new ConnectOptions()
        .setRemoteAddress(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
        .setHost("localhost")
        .setPort(443)
        .setSsl(true);
    String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: " + requestId
        + "\r\nConnection: close\r\n\r\n";
    try {
      Buffer response = client.connect(connect).compose(socket -> {
        Buffer received = Buffer.buffer();
        Promise<Buffer> closed = Promise.promise();
        socket.handler(received::appendBuffer);
        socket.closeHandler(v -> closed.tryComplete(received));
        return socket.write(request).compose(v -> closed.future());
      }).timeout(10, TimeUnit.SECONDS).await();
      return response.length() == 0 ? null : response.toString(StandardCharsets.UTF_8);
    } catch (RuntimeException refused) {
      return null;
    }
  }
}
