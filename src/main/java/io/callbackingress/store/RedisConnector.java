package io.callbackingress.store;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.ConfigException;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.util.Map;

/** How to reach Redis: the options from {@code redis.*}. */
public final class RedisConnector {

  private RedisConnector() {}

  public static RedisOptions options(String uri, IngressConfig.Redis redis, Map<String, String> env) {
    RedisOptions options = new RedisOptions()
        .setType(RedisClientType.valueOf(redis.type().toUpperCase(java.util.Locale.ROOT)))
        .setMasterName(redis.masterName())
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(10_000);
    // Cluster nodes or sentinels: every endpoint listed is a way in (SPEC 11).
    for (String endpoint : uri.split(",")) {
      options.addConnectionString(endpoint.trim());
    }
    if (redis.passwordEnv() != null) {
      String password = env.get(redis.passwordEnv());
      if (password == null) {
        throw new ConfigException("redis.passwordEnv", "names " + redis.passwordEnv() + ", which is not set");
      }
      options.setPassword(password);
    }
    return options;
  }
}
