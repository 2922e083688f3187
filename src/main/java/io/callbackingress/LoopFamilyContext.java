package io.callbackingress;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.DeadLetterOperations;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.LiveChannel;
import io.callbackingress.spi.MetricsCollector;
import io.callbackingress.spi.SpoolStats;
import io.callbackingress.spi.Writer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Map;

/** What a family is given on one event loop: that loop's Vert.x and writer, and what the process shares. */
final class LoopFamilyContext implements FamilyContext {

  private final Vertx loopVertx;
  private final Writer writer;
  private final IngressConfig config;
  private final Backends backends;
  private final MetricsCollector metrics;
  private final Map<String, String> env;
  private final List<LiveChannel> liveChannels;
  private final DeadLetterOperations deadLetters;

  LoopFamilyContext(Vertx loopVertx, Writer writer, IngressConfig config, Backends backends, MetricsCollector metrics,
                    Map<String, String> env, List<LiveChannel> liveChannels, DeadLetterOperations deadLetters) {
    this.loopVertx = loopVertx;
    this.writer = writer;
    this.config = config;
    this.backends = backends;
    this.metrics = metrics;
    this.env = env;
    this.liveChannels = liveChannels;
    this.deadLetters = deadLetters;
  }

  @Override
  public Vertx vertx() {
    return loopVertx;
  }

  @Override
  public String spiPath(String path) {
    return config.spiBasePath() + path;
  }

  @Override
  public int maxOutputBytes() {
    return config.limits().maxOutputBytes();
  }

  @Override
  public Writer writer() {
    return writer;
  }

  @Override
  public SqlClient reads() {
    return backends.reads();
  }

  @Override
  public MetricsCollector metrics() {
    return metrics;
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  @Override
  public SpoolStats spoolStats() {
    return backends.spool().stats();
  }

  @Override
  public DeadLetterOperations deadLetters() {
    return deadLetters;
  }

  @Override
  public PgConnectOptions postgres() {
    return backends.database().connectOptions();
  }

  @Override
  public Future<PgConnection> listenConnection() {
    return backends.listenDatabase().connect(loopVertx);
  }

  @Override
  public List<LiveChannel> liveChannels() {
    return liveChannels;
  }
}
