package io.callbackingress.support;

import io.callbackingress.metrics.AcceptedPeers;
import io.callbackingress.metrics.PrometheusRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.util.concurrent.TimeUnit;

/** Vert.x as the tests run it: two event loops, and a blocked-thread checker tight enough to catch a slip. */
public final class TestVertx {

  /** An event-loop task longer than this is reported; {@link BlockedThreads} turns that into a failure. */
  public static final long MAX_EVENT_LOOP_MILLIS = 100;

  private TestVertx() {}

  public static Vertx create(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(new VertxOptions()
            .setEventLoopPoolSize(2)
            .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS)
            .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
            .setBlockedThreadCheckInterval(50)
            .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
            .setWarningExceptionTime(MAX_EVENT_LOOP_MILLIS)
            .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
            .setMetricsOptions(PrometheusRegistry.vertxMetricsOptions()))
        .withMetrics(new AcceptedPeers(new MicrometerMetricsFactory(registry)))
        .build();
  }

  public static PrometheusMeterRegistry registry() {
    return PrometheusRegistry.create();
  }
}
