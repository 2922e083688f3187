package io.callbackingress.spi.toolkit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The secrets named by a {@code *Env} key (SPEC 11): a comma-separated list, so they can be rotated. */
public final class Secrets {

  private Secrets() {}

  /** The non-empty, trimmed entries of {@code variable}; none when it is null or not set. */
  public static List<String> of(Map<String, String> env, String variable) {
    String value = variable == null ? null : env.get(variable);
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(secret -> !secret.isEmpty()).toList();
  }
}
