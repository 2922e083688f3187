package io.callbackingress.tls;

import io.netty.handler.ssl.ResumableX509ExtendedTrustManager;
import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client-certificate check of a listener (SPEC 4): a chain is verified against
 * {@code tls.clientCaPath} once, and after that only its validity dates are checked — on a full
 * handshake that presents the same chain again, and on a resumed session that carries it.
 *
 * <p>Why a cache: the JDK's PKIX validator is the only verifier Netty's BoringSSL engine can call,
 * and for a caller that opens a connection per callback it cost 15% of an event loop's time in
 * the mTLS rows of {@code tls-compare.sh} (benchmarks/RESULTS.md) — the same few service
 * certificates verified again on every connection. The result of verifying a chain against fixed
 * anchors changes only with the clock (no revocation is configured), and a reload of the client CA
 * builds a new context and so a new cache.
 *
 * <p>Why resumption: a resumed session carries the chain it was established with, and no trust
 * manager is asked for it. Netty asks a {@link ResumableX509ExtendedTrustManager} instead; throwing
 * fails the handshake, so a session outliving its client certificate is refused, and so is one
 * whose chain the current client CA does not verify: a session established before a CA reload, or
 * on a replica with another CA, is verified like a new chain.
 */
final class ClientChainCheck extends X509ExtendedTrustManager implements ResumableX509ExtendedTrustManager {

  /** Far above the number of distinct service certificates; reached only if callers mint chains. */
  private static final int MAX_CHAINS = 4096;

  /** The JDK verifier requires an auth type and ignores it for a client chain. */
  private static final String RESUMED = "UNKNOWN";

  private final X509ExtendedTrustManager verifier;
  /** Encoded chain → when all of its certificates are valid. */
  private final Map<ByteBuffer, Validity> verified = new ConcurrentHashMap<>();

  private ClientChainCheck(X509ExtendedTrustManager verifier) {
    this.verifier = verifier;
  }

  /** The factory's trust managers, each X.509 one wrapped. */
  static TrustManagerFactory wrap(TrustManagerFactory factory) {
    TrustManager[] managers = Arrays.stream(factory.getTrustManagers())
        .map(m -> m instanceof X509ExtendedTrustManager x ? new ClientChainCheck(x) : m)
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
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    ByteBuffer key = encoded(chain);
    Validity validity = verified.get(key);
    if (validity == null) {
      verifier.checkClientTrusted(chain, authType, engine);
      if (verified.size() >= MAX_CHAINS) {
        verified.clear();
      }
      verified.put(key, Validity.of(chain));
      return;
    }
    validity.check(System.currentTimeMillis());
  }

  @Override
  public void resumeClientTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
    // Netty asks once the handshake is over, when the engine has no handshake session for the JDK's
    // verifier to read: without an engine it verifies the chain against the anchors alone.
    checkClientTrusted(chain, RESUMED, (SSLEngine) null);
  }

  @Override
  public void resumeServerTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
    Validity.of(chain).check(System.currentTimeMillis());
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

  private static ByteBuffer encoded(X509Certificate[] chain) throws CertificateEncodingException {
    byte[][] parts = new byte[chain.length][];
    int length = 0;
    for (int i = 0; i < chain.length; i++) {
      parts[i] = chain[i].getEncoded();
      length += parts[i].length;
    }
    ByteBuffer all = ByteBuffer.allocate(length);
    for (byte[] part : parts) {
      all.put(part);
    }
    return all.flip();
  }

  /** The window in which every certificate of a chain is valid, in epoch milliseconds. */
  private record Validity(long notBefore, long notAfter) {

    static Validity of(X509Certificate[] chain) {
      long notBefore = Long.MIN_VALUE;
      long notAfter = Long.MAX_VALUE;
      for (X509Certificate certificate : chain) {
        notBefore = Math.max(notBefore, certificate.getNotBefore().getTime());
        notAfter = Math.min(notAfter, certificate.getNotAfter().getTime());
      }
      return new Validity(notBefore, notAfter);
    }

    void check(long now) throws CertificateException {
      if (now > notAfter) {
        throw new CertificateExpiredException("a client certificate of the chain expired at " + notAfter);
      }
      if (now < notBefore) {
        throw new CertificateNotYetValidException("a client certificate of the chain is valid from " + notBefore);
      }
    }
  }
}
