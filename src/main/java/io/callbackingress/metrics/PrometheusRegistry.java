package io.callbackingress.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

/** The registry {@code /metrics} serves (SPEC 10): Vert.x's, the ingress's, and the JVM's meters. */
public final class PrometheusRegistry {

  private PrometheusRegistry() {}

  /**
   * Vert.x's own meters: the HTTP server and the pools, as SPEC 10 asks. The event bus, client
   * socket, datagram and verticle meters are off: nobody asked for them, and the event bus ones
   * look meters up by address on every message published.
   */
  public static MicrometerMetricsOptions vertxMetricsOptions() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true);
    for (MetricsDomain unused : new MetricsDomain[] {MetricsDomain.EVENT_BUS, MetricsDomain.NET_CLIENT,
        MetricsDomain.HTTP_CLIENT, MetricsDomain.DATAGRAM_SOCKET, MetricsDomain.VERTICLES}) {
      options.addDisabledMetricsCategory(unused);
    }
    return options;
  }

  public static PrometheusMeterRegistry create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    return registry;
  }
}
