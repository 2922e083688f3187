package io.callbackingress.http;

import io.callbackingress.metrics.AcceptedPeers;
import io.netty.handler.ssl.OpenSslSession;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who is calling (SPEC 5): the client IP — the socket peer, or behind a trusted proxy the right-most
 * {@code X-Forwarded-For} entry that is not itself a trusted proxy — and the client-certificate
 * identity when the connection has one.
 */
public class ClientAddresses {

  /** The SSLSession value under which a connection's identity is kept. */
  private static final String IDENTITY = "callback-ingress.identity";
  /** Marks "looked, no certificate" so a session without one is not examined again. */
  private static final Object NO_IDENTITY = new Object();

  private final List<Cidr> trustedProxies;

  public ClientAddresses(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(Cidr::parse).toList();
  }

  public String clientIp(HttpServerRequest request) {
    // The connection's peer (the PROXY source when proxyProtocol is on, see AcceptedPeers): the
    // request's own remoteAddress() goes through vertx-web's Forwarded parsing, which
    // trustedProxies replaces.
    SocketAddress accepted = AcceptedPeers.of(request.connection());
    SocketAddress remote = accepted != null ? accepted : request.connection().remoteAddress();
    String peer = remote == null ? "unknown" : remote.hostAddress();
    if (trustedProxies.isEmpty() || !isTrusted(peer)) {
      return peer;
    }
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !isTrusted(hop)) {
        return hop;
      }
    }
    return peer;
  }

  /**
   * The verified client-certificate identity (SPEC 4): the first URI SAN (a SPIFFE id), else the
   * first DNS SAN, else the subject CN; null without a client certificate. A certificate is only
   * there once the handshake verified it against {@code tls.clientCaPath}. The answer is kept on
   * the TLS session, so the certificate is parsed once per connection, not once per request.
   */
  public String identity(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (connection == null || !connection.isSsl()) {
      return null;
    }
    SSLSession session = connection.sslSession();
    if (session == null || !mayHaveCertificate(session)) {
      return null;
    }
    Object cached = session.getValue(IDENTITY);
    if (cached != null) {
      return cached == NO_IDENTITY ? null : (String) cached;
    }
    String identity = identityOf(session);
    session.putValue(IDENTITY, identity == null ? NO_IDENTITY : identity);
    return identity;
  }

  /**
   * False when BoringSSL says the peer sent no certificate. Asking the session for the chain would
   * throw instead, and under {@code clientAuth: request} that exception (stack trace and all) was
   * made for every connection of a caller without a certificate.
   */
  private static boolean mayHaveCertificate(SSLSession session) {
    return !(session instanceof OpenSslSession openssl) || openssl.hasPeerCertificates();
  }

  private static String identityOf(SSLSession session) {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException noCertificate) {
      return null;
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
      return null;
    }
    return CertificateIdentity.of(certificate);
  }

  private boolean isTrusted(String address) {
    for (Cidr cidr : trustedProxies) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a /32 or /128. */
  record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      String[] parts = text.trim().split("/", 2);
      byte[] address = literal(parts[0]);
      if (address == null) {
        throw new IllegalArgumentException("not an IP address: " + parts[0]);
      }
      int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
      if (prefix < 0 || prefix > address.length * 8) {
        throw new IllegalArgumentException("prefix out of range: " + text);
      }
      return new Cidr(address, prefix);
    }

    boolean contains(String text) {
      byte[] address = literal(text);
      if (address == null || address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest);
      return (address[full] & mask) == (network[full] & mask);
    }

    /**
     * The bytes of an IPv4 or IPv6 literal, else null. Netty's parser never resolves, as
     * {@code InetAddress.getByName} does whatever it cannot parse: a DNS lookup on the event loop.
     * An IPv4-mapped IPv6 address is its IPv4 address, so that IPv4 blocks contain it.
     */
    private static byte[] literal(String text) {
      String s = text.trim();
      if (s.startsWith("[") && s.endsWith("]")) {
        s = s.substring(1, s.length() - 1);
      }
      byte[] address = NetUtil.createByteArrayFromIpAddressString(s);
      return address != null && isIpv4Mapped(address) ? Arrays.copyOfRange(address, 12, 16) : address;
    }

    /** {@code ::ffff:a.b.c.d}: ten zero bytes, two 0xff, then the IPv4 address. */
    private static boolean isIpv4Mapped(byte[] address) {
      if (address.length != 16 || address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
        return false;
      }
      for (int i = 0; i < 10; i++) {
        if (address[i] != 0) {
          return false;
        }
      }
      return true;
    }
  }
}
