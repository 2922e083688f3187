package io.callbackingress.store;

import io.callbackingress.config.ConfigException;
import io.callbackingress.config.IngressConfig;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.util.Map;

/** How to reach Redis: the options from {@code redis.*}. */
public final class RedisConnector {

  private RedisConnector() {}

  public static RedisOptions options(String uri, IngressConfig.Redis redis, Map<String, String> env) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(uri)
        .setType(RedisClientType.valueOf(redis.type().toUpperCase(java.util.Locale.ROOT)))
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(10_000);
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
