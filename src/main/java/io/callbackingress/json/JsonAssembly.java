package io.callbackingress.json;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON document assembled from parts — the core's and each family's fragment — as the OpenAPI
 * document and the configuration's JSON Schema are. Every name a part adds is remembered with its
 * owner, so a name two parts define differently is refused naming both, rather than one part
 * silently overwriting the other. Two parts may define the same name alike.
 *
 * <p>A broken part is a broken build or plugin, not a configuration mistake: it is an
 * {@link IllegalStateException}, which stops start-up.
 */
public final class JsonAssembly {

  private final String document;
  /** Who added each name, by where it sits ({@code paths /spi/x}). */
  private final Map<String, String> owners = new HashMap<>();

  /** @param document the assembled document's name, for messages */
  public JsonAssembly(String document) {
    this.document = document;
  }

  /** The JSON object a part is made of; a null location reads as an empty part. */
  public JsonObject read(URL part, String owner) {
    if (part == null) {
      return new JsonObject();
    }
    try (InputStream in = part.openStream()) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(owner + "'s part of " + document + " cannot be read from " + part, e);
    } catch (DecodeException e) {
      throw new IllegalStateException(owner + "'s part of " + document + " (" + part + ") is not a JSON object: "
          + e.getMessage().split("\n", 2)[0]);
    }
  }

  /**
   * Adds every entry of {@code entries} to {@code into}, the object at {@code where}, as
   * {@code owner}'s; the entries {@code into} already holds count as {@code holder}'s.
   */
  public void add(JsonObject into, String where, JsonObject entries, String owner, String holder) {
    entries.forEach(entry -> {
      String at = where + " " + entry.getKey();
      Object held = into.getValue(entry.getKey());
      if (held != null && !held.equals(entry.getValue())) {
        throw new IllegalStateException(document + ": " + at + " is defined by both "
            + owners.getOrDefault(at, holder) + " and " + owner);
      }
      owners.putIfAbsent(at, owner);
      into.put(entry.getKey(), entry.getValue());
    });
  }
}
