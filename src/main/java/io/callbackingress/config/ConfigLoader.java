package io.callbackingress.config;

import io.callbackingress.spi.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the configuration file ({@code -conf <path>}, else {@code INGRESS_CONFIG}, else
 * {@code conf/config.json}) and reads it with the environment's overrides. Runs in {@code main},
 * before any event loop exists, so plain file I/O is fine here.
 */
public final class ConfigLoader {

  private static final String SCHEMA_KEY = "$schema";

  private ConfigLoader() {}

  public static IngressConfig load(String[] args, Map<String, String> env) {
    Path file = Path.of(configPath(args, env));
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException("file", "not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("file", "cannot read " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("file", file + " is not a JSON object: " + firstLine(e.getMessage()));
    }
    return IngressConfig.read(ConfigNode.root(withoutSchemaReference(json), env));
  }

  /**
   * {@code "$schema"} points editors at {@code conf/config.schema.json} for completion and checks;
   * it is no setting, so it is taken out before the keys are read (and cannot be overridden).
   */
  private static JsonObject withoutSchemaReference(JsonObject json) {
    Object reference = json.remove(SCHEMA_KEY);
    if (reference != null && !(reference instanceof String)) {
      throw new ConfigException(SCHEMA_KEY, "expected a string: the location of the configuration's JSON Schema");
    }
    return json;
  }

  static String configPath(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-conf")) {
        if (i + 1 == args.length) {
          throw new ConfigException("-conf", "needs a path");
        }
        return args[i + 1];
      }
    }
    return env.getOrDefault("INGRESS_CONFIG", "conf/config.json");
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
