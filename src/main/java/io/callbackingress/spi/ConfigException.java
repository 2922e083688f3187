package io.callbackingress.spi;

/**
 * A configuration that cannot run. The message is one line that names the offending key, because
 * it is the only thing an operator sees when start-up stops (exit code 2, no stack trace).
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String key, String problem) {
    super("config: " + key + ": " + problem, null, false, false);
  }
}
