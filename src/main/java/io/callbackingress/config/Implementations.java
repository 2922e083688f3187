package io.callbackingress.config;

import io.callbackingress.spi.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Finds extension-point implementations on the class path (SPEC 12). */
public final class Implementations {

  private Implementations() {}

  public static <T> List<T> all(Class<T> type) {
    List<T> found = new ArrayList<>();
    ServiceLoader.load(type).forEach(found::add);
    return found;
  }

  /** The implementation called {@code name}; an unknown name stops start-up naming {@code key}. */
  public static <T> T named(Class<T> type, Function<T, String> nameOf, String name, String key) {
    List<String> known = new ArrayList<>();
    for (T candidate : all(type)) {
      String candidateName = nameOf.apply(candidate);
      if (candidateName.equals(name)) {
        return candidate;
      }
      known.add(candidateName);
    }
    throw new ConfigException(key, "no " + type.getSimpleName() + " named \"" + name + "\" (known: " + known + ")");
  }
}
