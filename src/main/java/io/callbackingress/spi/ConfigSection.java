package io.callbackingress.spi;

import java.util.List;
import java.util.Set;

/**
 * One object of the configuration file, read key by key, as the core reads its own (SPEC 11):
 * every read resolves the key's environment override ({@code INGRESS_} + the key path) and checks
 * its type and range, and every failure is a {@link ConfigException} naming the key. Keys nobody
 * asked for are refused once the reader is done with the object.
 */
public interface ConfigSection {

  /** The dotted path of {@code key} in this object, as refusals name it. */
  String keyPath(String key);

  /** A nested object; an absent one reads as empty, so every key takes its default. */
  ConfigSection child(String key);

  /** The names under an open-ended map ({@code webhooks.sources}), the given defaults first. */
  Set<String> childNames(String key, Set<String> defaults);

  /** A null fallback makes the key nullable; otherwise null is refused. */
  String string(String key, String fallback);

  String requiredString(String key);

  String oneOf(String key, String fallback, Set<String> allowed);

  boolean bool(String key, boolean fallback);

  int integer(String key, int fallback, int min, int max);

  long longInteger(String key, long fallback, long min, long max);

  double number(String key, double fallback, double min, double max);

  List<String> strings(String key, List<String> fallback);

  /** Refuses the keys of this object that no reader asked for. */
  void finish();
}
