package io.callbackingress.ops;

import io.vertx.core.Future;

/** One dependency that readiness reports (SPEC 3.9). */
public interface HealthCheck {

  String id();

  /** Succeeds when the dependency can serve; must settle promptly (readiness puts a timeout on it). */
  Future<Void> probe();
}
