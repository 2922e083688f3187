package io.callbackingress;

import io.callbackingress.spi.EndpointFamily;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * One family's own verticle: what the family holds for the whole process is taken on its event
 * loop when the family starts and released when the verticle is undeployed. Its routes are served
 * by the server verticles of every loop ({@link IngressVerticle}).
 */
final class FamilyVerticle extends VerticleBase {

  private final EndpointFamily family;
  private final LoopWiring loops;
  private LoopWiring.LoopServices loop;

  FamilyVerticle(EndpointFamily family, LoopWiring loops) {
    this.family = family;
    this.loops = loops;
  }

  @Override
  public Future<?> start() {
    loop = loops.on(vertx);
    return family.start(loop.context());
  }

  @Override
  public Future<?> stop() {
    return family.stop().eventually(() -> loop.writer().drain());
  }
}
