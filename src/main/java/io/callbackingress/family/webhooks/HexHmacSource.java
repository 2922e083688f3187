package io.callbackingress.family.webhooks;

import io.callbackingress.spi.Call;
import io.callbackingress.spi.toolkit.MediaTypes;
import io.callbackingress.spi.toolkit.Signatures;
import io.callbackingress.spi.WebhookSource;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * GitHub and Discourse: {@code sha256=<hex HMAC-SHA256(secret, body)>} in one header, no timestamp.
 * Discourse gives every retry a new event id, so its delivery id is the SHA-256 of the instance
 * header and the body, which a retry repeats exactly.
 */
final class HexHmacSource implements WebhookSource {

  private static final String PREFIX = "sha256=";

  private final String name;
  private final String signatureHeader;
  private final String eventHeader;
  private final String deliveryHeader;
  private final List<byte[]> secrets;

  private HexHmacSource(String name, String signatureHeader, String eventHeader, String deliveryHeader,
                        List<byte[]> secrets) {
    this.name = name;
    this.signatureHeader = signatureHeader;
    this.eventHeader = eventHeader;
    this.deliveryHeader = deliveryHeader;
    this.secrets = secrets;
  }

  static HexHmacSource github(List<String> secrets) {
    return new HexHmacSource("github", "X-Hub-Signature-256", "X-GitHub-Event", "X-GitHub-Delivery", utf8(secrets));
  }

  /** Discourse's delivery id is derived, not sent: see the class comment. */
  static HexHmacSource discourse(List<String> secrets) {
    return new HexHmacSource("discourse", "X-Discourse-Event-Signature", "X-Discourse-Event", null, utf8(secrets));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<String> mediaTypes() {
    return Set.of(MediaTypes.JSON, MediaTypes.FORM);
  }

  @Override
  public boolean verified(Call call, long nowSeconds) {
    String header = call.header(signatureHeader);
    if (header == null || !header.startsWith(PREFIX)) {
      return false;
    }
    // singletonList: an undecodable signature is null, and is still compared, in constant time.
    List<byte[]> presented = Collections.singletonList(Signatures.fromHex(header.substring(PREFIX.length())));
    return Signatures.anyMatches(secrets, "", call.body(), presented);
  }

  @Override
  public List<String> requiredHeaders() {
    return deliveryHeader == null ? List.of(eventHeader) : List.of(eventHeader, deliveryHeader);
  }

  @Override
  public Delivery delivery(Call call, JsonObject payload) {
    String deliveryId = deliveryHeader != null
        ? call.header(deliveryHeader)
        : Signatures.sha256Hex(instance(call), call.body());
    return new Delivery(call.header(eventHeader), deliveryId);
  }

  private static byte[] instance(Call call) {
    String instance = call.header("X-Discourse-Instance");
    return (instance == null ? "" : instance).getBytes(StandardCharsets.UTF_8);
  }

  private static List<byte[]> utf8(List<String> secrets) {
    return secrets.stream().map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
  }
}
