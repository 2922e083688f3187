package io.callbackingress.ratelimit;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One event loop's own Redis connection for the token bucket: requests from that loop are
 * pipelined on it with no pool hand-off and no thread hop. The script runs by its SHA; a node that
 * does not know it (NOSCRIPT) gets it with an EVAL routed to the key's node — which is what makes
 * Redis Cluster work, where each master has its own script cache. The connection is reopened after
 * it breaks, waiting longer after each failed attempt so a dead Redis is not hammered with connects.
 *
 * <p>Not thread-safe by design: it is created for, and only used on, one event loop.
 */
final class RedisLink {

  /** Long enough to ride out a Redis restart without a connect storm, short enough to notice it is back. */
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  private final Redis redis;
  private final TokenBucketScript script;
  private Future<RedisConnection> connection;
  private long backoffMillis;
  private long nextAttemptNanos;

  RedisLink(Redis redis, TokenBucketScript script) {
    this.redis = redis;
    this.script = script;
  }

  /**
   * Runs the token bucket once for {@code key}, asking for {@code wanted} tokens: the script's
   * reply, or a failure if Redis did not answer.
   */
  Future<Response> take(String key, int capacity, double refillPerSecond, int wanted) {
    Request evalsha = bucket(Command.EVALSHA, script.sha(), key, capacity, refillPerSecond, wanted);
    // A node that does not know the script (a new connection, a restart, a SCRIPT FLUSH, another
    // cluster master) runs it from source instead; EVAL is routed by the key like EVALSHA, and caches
    // the script on the node that owns the key, so the next EVALSHA there succeeds.
    return connection().compose(redisConnection -> redisConnection.send(evalsha)
        .recover(failure -> isNoScript(failure)
            ? redisConnection.send(bucket(Command.EVAL, script.source(), key, capacity, refillPerSecond, wanted))
            : Future.failedFuture(failure)));
  }

  private Future<RedisConnection> connection() {
    if (connection != null) {
      return connection;
    }
    if (System.nanoTime() < nextAttemptNanos) {
      return Future.failedFuture(new IllegalStateException("Redis unreachable; next connect in " + backoffMillis + " ms"));
    }
    Future<RedisConnection> opening = redis.connect();
    connection = opening;
    opening.onComplete(result -> {
      if (result.succeeded()) {
        backoffMillis = 0;
        result.result()
            .exceptionHandler(failure -> drop(opening))
            .endHandler(end -> drop(opening));
      } else {
        forget(opening);
        backoffMillis = backoffMillis == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        nextAttemptNanos = System.nanoTime() + backoffMillis * 1_000_000;
      }
    });
    return opening;
  }

  /**
   * Forgets a broken connection and closes it. In a cluster the connection is one to every node, and
   * one node failing breaks it: closing hands the connections to the nodes still alive back to the
   * pool, which would otherwise be full after a failover or two, and every later connect — and the
   * client's topology refresh, which every command waits on — would wait for a free one forever.
   */
  private void drop(Future<RedisConnection> broken) {
    if (connection == broken) {
      connection = null;
      broken.result().close();
    }
  }

  private void forget(Future<RedisConnection> broken) {
    if (connection == broken) {
      connection = null;
    }
  }

  /** The token bucket script, by SHA ({@code EVALSHA}) or by source ({@code EVAL}), on one key. */
  private static Request bucket(Command command, String script, String key, int capacity, double refillPerSecond,
                                int wanted) {
    return Request.cmd(command)
        .arg(script)
        .arg(1)
        .arg(key)
        .arg(capacity)
        .arg(Double.toString(refillPerSecond))
        .arg(wanted);
  }

  private static boolean isNoScript(Throwable failure) {
    return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
  }
}
