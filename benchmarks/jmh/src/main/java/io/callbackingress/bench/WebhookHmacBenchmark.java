package io.callbackingress.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verifying a 4 KiB GitHub webhook the way the product does (family/webhooks/HexHmacSource and
 * Signatures, which are package-private, so the steps are repeated here): decode the hex header,
 * {@code Mac.getInstance} + {@code init} per request, HMAC-SHA256 over the body, then
 * {@code MessageDigest.isEqual}. {@code reusedMac} shows what a per-thread {@code Mac} would save.
 *
 * <p>Run: {@code java -jar benchmarks/jmh/target/benchmarks.jar WebhookHmacBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WebhookHmacBenchmark {

  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private byte[] secret;
  private byte[] body;
  private String header;
  private Mac reused;

  @Setup
  public void setUp() throws GeneralSecurityException {
    secret = "bench-github-webhook-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    StringBuilder json = new StringBuilder("{\"action\":\"opened\",\"padding\":\"");
    while (json.length() < 4096 - 2) {
      json.append('a');
    }
    body = json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance(HMAC_SHA256);
    mac.init(new SecretKeySpec(secret, HMAC_SHA256));
    header = "sha256=" + HEX.formatHex(mac.doFinal(body));
    reused = Mac.getInstance(HMAC_SHA256);
    reused.init(new SecretKeySpec(secret, HMAC_SHA256));
    if (!verifyAsProductDoes()) {
      throw new IllegalStateException("the signature does not verify");
    }
  }

  @Benchmark
  public boolean verifyAsProductDoes() throws GeneralSecurityException {
    byte[] presented = HEX.parseHex(header.substring("sha256=".length()));
    Mac mac = Mac.getInstance(HMAC_SHA256);
    mac.init(new SecretKeySpec(secret, HMAC_SHA256));
    mac.update(body);
    return MessageDigest.isEqual(mac.doFinal(), presented);
  }

  @Benchmark
  public boolean reusedMac() {
    byte[] presented = HEX.parseHex(header.substring("sha256=".length()));
    reused.update(body);
    return MessageDigest.isEqual(reused.doFinal(), presented);
  }
}
