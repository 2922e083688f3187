package io.callbackingress.spi;

import java.util.List;

/**
 * A webhook signing scheme (SPEC 3.5, 12) that sources configured under {@code webhooks.sources}
 * choose by name ({@code "scheme": "<name>"}), found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.callbackingress.spi.WebhookScheme}). The built-in is {@code standard}
 * (Standard Webhooks). A source's deliveries arrive at {@code POST <spi.basePath>/webhooks/<source>}.
 */
public interface WebhookScheme {

  /** What {@code webhooks.sources.<source>.scheme} names. */
  String name();

  /**
   * The source called {@code source}, verifying with {@code secrets} (several during a rotation)
   * and, if the scheme is timestamped, {@code webhooks.toleranceSeconds}. Called on every event
   * loop as the webhooks family builds its endpoints, so it must not block; each source serves
   * the loop it was made on.
   *
   * @throws IllegalArgumentException for a secret the scheme cannot use; start-up stops naming
   *     the source's {@code secretsEnv}
   */
  WebhookSource source(String source, List<String> secrets, long toleranceSeconds);
}
