package io.callbackingress.tls;

import io.netty.handler.ssl.ResumableX509ExtendedTrustManager;
import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client-certificate check of a listener, extended to resumed sessions (SPEC 4): a full
 * handshake verifies the chain as before; a resumption — where the chain comes out of the ticket
 * and no trust manager is asked — is refused once a certificate of that chain has expired.
 *
 * <p>Netty asks a {@link ResumableX509ExtendedTrustManager} on every resumption, with the chain the
 * session was established with (BoringSSL keeps the peer chain in the session, so the identity of
 * a resumed connection is the original one). Throwing fails the handshake. The chain is not
 * verified again against {@code tls.clientCaPath}: it was when the session began, under keys only
 * the replicas hold.
 */
final class ExpiryOnResumption extends X509ExtendedTrustManager implements ResumableX509ExtendedTrustManager {

  private final X509ExtendedTrustManager verifier;

  private ExpiryOnResumption(X509ExtendedTrustManager verifier) {
    this.verifier = verifier;
  }

  /** The factory's trust managers, each that Netty can ask on resumption wrapped. */
  static TrustManagerFactory wrap(TrustManagerFactory factory) {
    TrustManager[] managers = Arrays.stream(factory.getTrustManagers())
        .map(m -> m instanceof X509ExtendedTrustManager x ? new ExpiryOnResumption(x) : m)
        .toArray(TrustManager[]::new);
    return new SimpleTrustManagerFactory() {
      @Override
      protected void engineInit(KeyStore keyStore) {}

      @Override
      protected void engineInit(ManagerFactoryParameters parameters) {}

      @Override
      protected TrustManager[] engineGetTrustManagers() {
        return managers.clone();
      }
    };
  }

  @Override
  public void resumeClientTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
    for (X509Certificate certificate : chain) {
      certificate.checkValidity();
    }
  }

  @Override
  public void resumeServerTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
    resumeClientTrusted(chain, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    verifier.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    verifier.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    verifier.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    verifier.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verifier.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verifier.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return verifier.getAcceptedIssuers();
  }
}
