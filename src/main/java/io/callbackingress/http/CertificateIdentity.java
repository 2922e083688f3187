package io.callbackingress.http;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reads the service identity out of a verified client certificate (SPEC 4). */
final class CertificateIdentity {

  /** GeneralName tags of RFC 5280 4.2.1.6, as {@link X509Certificate#getSubjectAlternativeNames} reports them. */
  private static final int DNS = 2;
  private static final int URI = 6;

  private CertificateIdentity() {}

  /** First URI SAN, else first DNS SAN, else the subject CN; null when it has none of them. */
  static String of(X509Certificate certificate) {
    String uri = firstSan(certificate, URI);
    if (uri != null) {
      return uri;
    }
    String dns = firstSan(certificate, DNS);
    return dns != null ? dns : commonName(certificate);
  }

  private static String firstSan(X509Certificate certificate, int type) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return null;
    }
    if (names == null) {
      return null;
    }
    for (List<?> name : names) {
      if (name.size() >= 2 && name.get(0) instanceof Integer tag && tag == type && name.get(1) instanceof String value) {
        return value;
      }
    }
    return null;
  }

  private static String commonName(X509Certificate certificate) {
    try {
      LdapName subject = new LdapName(certificate.getSubjectX500Principal().getName());
      // RFC 2253 lists the most specific RDN last: the last CN is the certificate's own name.
      List<Rdn> rdns = subject.getRdns();
      for (int i = rdns.size() - 1; i >= 0; i--) {
        if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
          return rdns.get(i).getValue().toString();
        }
      }
      return null;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
