package io.callbackingress.json;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Vert.x's JSON codec without data binding. With jackson-databind on the class path (logging and
 * Flyway bring it) Vert.x encodes and decodes every {@code JsonObject} through an
 * {@code ObjectMapper}, which costs several times the plain streaming codec that does the same
 * for the only types we ever put in JSON — maps, lists, strings, numbers, booleans. Chosen by
 * {@code META-INF/services/io.vertx.core.spi.JsonFactory}, ahead of Vert.x's default.
 */
public final class StreamingJsonFactory implements JsonFactory {

  private static final JacksonCodec CODEC = new JacksonCodec();

  @Override
  public int order() {
    return 0;
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
