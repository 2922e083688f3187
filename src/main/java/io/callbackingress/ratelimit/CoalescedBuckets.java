package io.callbackingress.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One event loop's requests to the shared buckets, coalesced per bucket: while a call for a
 * bucket is in flight, the requests that arrive for the same bucket wait, and then leave together
 * as one call that asks for one token each. A bursty caller so costs one Redis round trip per
 * round trip, not per request, and the count stays exact — every token taken goes to a request,
 * in arrival order, and every request is decided by Redis. A lone request leaves at once.
 *
 * <p>Not thread-safe by design: it is created for, and only used on, one event loop.
 */
final class CoalescedBuckets {

  /** Calls Redis for {@code wanted} tokens of {@code key}: the token bucket script's reply. */
  @FunctionalInterface
  interface Call {
    Future<Response> take(String key, int wanted);
  }

  /** What Redis said for one request of a call: allowed or not, and the bucket as it was left. */
  record Grant(boolean allowed, long remaining, long resetSeconds, long retryAfterSeconds) {}

  /** Buckets with a call in flight, and the requests that came for them meanwhile. */
  private final Map<String, List<Promise<Grant>>> waiting = new HashMap<>();

  /** One token of {@code key} for one request; a failure when Redis did not answer. */
  Future<Grant> take(String key, Call call) {
    Promise<Grant> grant = Promise.promise();
    List<Promise<Grant>> queued = waiting.get(key);
    if (queued != null) {
      queued.add(grant);
    } else {
      waiting.put(key, new ArrayList<>());
      send(key, List.of(grant), call);
    }
    return grant.future();
  }

  private void send(String key, List<Promise<Grant>> group, Call call) {
    call.take(key, group.size()).onComplete(reply -> {
      if (reply.succeeded()) {
        answer(group, reply.result());
      } else {
        group.forEach(grant -> grant.fail(reply.cause()));
      }
      List<Promise<Grant>> next = waiting.remove(key);
      if (next != null && !next.isEmpty()) {
        waiting.put(key, new ArrayList<>());
        send(key, next, call);
      }
    });
  }

  /**
   * The first {@code granted} requests are allowed, each seeing the tokens its successors in the
   * group took as still there — what they would have seen one call each.
   */
  private static void answer(List<Promise<Grant>> group, Response reply) {
    int granted = reply.get(0).toInteger();
    long remaining = reply.get(1).toLong();
    long reset = reply.get(2).toLong();
    long retryAfter = reply.get(3).toLong();
    for (int i = 0; i < group.size(); i++) {
      boolean allowed = i < granted;
      group.get(i).complete(new Grant(allowed, allowed ? remaining + granted - 1 - i : remaining, reset, retryAfter));
    }
  }
}
