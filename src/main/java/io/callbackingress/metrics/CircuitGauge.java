package io.callbackingress.metrics;

import io.callbackingress.spi.MetricsCollector;
import io.vertx.circuitbreaker.CircuitBreaker;

/** {@code ingress_circuit_state{name}} (SPEC 10): 0 closed, 1 half-open, 2 open. */
public final class CircuitGauge {

  private CircuitGauge() {}

  public static void register(MetricsCollector metrics, String name, CircuitBreaker breaker) {
    metrics.gauge("ingress.circuit.state", "name", name, () -> switch (breaker.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    });
  }
}
