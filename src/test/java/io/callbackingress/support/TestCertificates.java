package io.callbackingress.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at run time for real TLS handshakes — a CA, servers and clients with the SANs a
 * test needs — so no private key is ever checked in. Written as PEM, the format {@code tls.*} reads.
 */
public final class TestCertificates {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCertificates() {}

  /** A key pair and its certificate. */
  public record Issued(KeyPair keys, X509Certificate certificate) {

    public BigInteger serial() {
      return certificate.getSerialNumber();
    }

    /** Writes {@code <name>.crt} and {@code <name>.key} (PKCS#8) into {@code dir}, replacing each atomically. */
    public Pem writeTo(Path dir, String name) {
      try {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        replace(cert, pem("CERTIFICATE", certificate.getEncoded()));
        replace(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return new Pem(cert, key);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public record Pem(Path cert, Path key) {}

  public static Issued authority(String commonName) {
    KeyPair keys = keyPair();
    X500Name name = new X500Name("CN=" + commonName);
    return sign(name, keys, name, keys, Instant.now().plus(Duration.ofDays(2)), builder -> {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    });
  }

  /** A server certificate for {@code localhost} and {@code 127.0.0.1}. */
  public static Issued server(Issued ca) {
    return leaf(ca, "localhost", KeyPurposeId.id_kp_serverAuth,
        List.of(new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
  }

  /** A client certificate with the given subject CN and, in order, URI and DNS SANs (either may be null). */
  public static Issued client(Issued ca, String commonName, String uriSan, String dnsSan) {
    return client(ca, commonName, uriSan, dnsSan, Instant.now().plus(Duration.ofDays(2)));
  }

  /** A client certificate, as above, that expires at {@code notAfter}. */
  public static Issued client(Issued ca, String commonName, String uriSan, String dnsSan, Instant notAfter) {
    List<GeneralName> sans = new ArrayList<>();
    if (dnsSan != null) {
      sans.add(new GeneralName(GeneralName.dNSName, dnsSan));
    }
    if (uriSan != null) {
      sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uriSan));
    }
    return leaf(ca, commonName, KeyPurposeId.id_kp_clientAuth, sans, notAfter);
  }

  private static Issued leaf(Issued ca, String commonName, KeyPurposeId purpose, List<GeneralName> sans) {
    return leaf(ca, commonName, purpose, sans, Instant.now().plus(Duration.ofDays(2)));
  }

  private static Issued leaf(Issued ca, String commonName, KeyPurposeId purpose, List<GeneralName> sans, Instant notAfter) {
    KeyPair keys = keyPair();
    X500Name issuer = X500Name.getInstance(ca.certificate.getSubjectX500Principal().getEncoded());
    return sign(new X500Name("O=callback-ingress tests,CN=" + commonName), keys, issuer, ca.keys, notAfter, builder -> {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate));
      if (!sans.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
    });
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws IOException, GeneralSecurityException;
  }

  private static Issued sign(X500Name subject, KeyPair keys, X500Name issuer, KeyPair issuerKeys, Instant notAfter,
                             Extensions extensions) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs(),
          Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(notAfter), subject, keys.getPublic());
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      extensions.add(builder);
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
      return new Issued(keys, certificate);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** Write aside, then rename: a reader never sees half a file. */
  private static void replace(Path target, String content) {
    try {
      Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
