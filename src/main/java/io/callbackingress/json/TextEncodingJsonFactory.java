package io.callbackingress.json;

import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Installs {@link TextEncodingCodec} as {@code Json.CODEC} (registered in {@code META-INF/services}):
 * Vert.x takes the factory with the lowest {@link #order()}, and its own has {@link Integer#MAX_VALUE}.
 */
public final class TextEncodingJsonFactory implements JsonFactory {

  private static final JsonCodec CODEC = new TextEncodingCodec();

  @Override
  public int order() {
    return 0;
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
