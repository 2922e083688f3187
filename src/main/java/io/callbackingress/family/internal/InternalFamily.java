package io.callbackingress.family.internal;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.Call;
import io.callbackingress.spi.DeadLetterOperations;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.Events;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * SPEC 3.8: reads for other services, and the operator's dead letters (SPEC 16), under the {@code /internal/{service-prefix}/...} convention
 * rather than {@code spi.basePath}, authenticated with {@code X-Internal-Auth} by default.
 */
public final class InternalFamily implements EndpointFamily {

  private static final String PREFIX = "/internal/ingress";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;
  /** Digits only, at most 18 so the value always fits a long (no sign, no spaces, no overflow). */
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

  @Override
  public String name() {
    return "internal";
  }

  /** Other services' reads of everything that arrived: never open by default (SPEC 3.8, 11). */
  @Override
  public String defaultAuth() {
    return "token";
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    Events events = context.events();
    DeadLetterOperations deadLetters = context.deadLetters();
    return List.of(
        Endpoint.get(PREFIX + "/events", call -> events(events, call)),
        Endpoint.get(PREFIX + "/spool", call -> Future.succeededFuture(Reply.ok(context.spoolStats().toJson()))),
        Endpoint.get(PREFIX + "/dead-letters", call -> deadLetters(deadLetters, call)),
        Endpoint.withoutBody(HttpMethod.POST, PREFIX + "/dead-letters/:id/replay", call -> replay(deadLetters, call)),
        Endpoint.withoutBody(HttpMethod.DELETE, PREFIX + "/dead-letters/:id", call -> discard(deadLetters, call)));
  }

  private static Future<Reply> events(Events events, Call call) {
    return page(call).compose(page -> events.page(page.after(), page.limit())).map(Reply::ok);
  }

  private static Future<Reply> deadLetters(DeadLetterOperations deadLetters, Call call) {
    String family = call.queryParam("family");
    if (family != null && family.isEmpty()) {
      return Future.failedFuture(ApiException.badRequest("Invalid family"));
    }
    return page(call).compose(page -> deadLetters.page(page.after(), page.limit(), family)).map(Reply::ok);
  }

  private static Future<Reply> replay(DeadLetterOperations deadLetters, Call call) {
    return deadLetters.replay(call.pathParam("id"), call.requestId()).map(v -> Reply.ok(new JsonObject().put("status", "applied")));
  }

  private static Future<Reply> discard(DeadLetterOperations deadLetters, Call call) {
    return deadLetters.discard(call.pathParam("id"), call.requestId()).map(v -> Reply.noContent());
  }

  /** Where a feed page starts and how long it is: SPEC 11a's cursor rules, shared by every feed here. */
  private record Page(Long after, int limit) {}

  private static Future<Page> page(Call call) {
    String after = call.queryParam("after");
    String limit = call.queryParam("limit");
    if (after != null && !NUMBER.matcher(after).matches()) {
      return Future.failedFuture(ApiException.badRequest("Invalid cursor"));
    }
    int pageSize = DEFAULT_LIMIT;
    if (limit != null) {
      long value = NUMBER.matcher(limit).matches() ? Long.parseLong(limit) : -1;
      if (value < 1 || value > MAX_LIMIT) {
        return Future.failedFuture(ApiException.badRequest("limit must be an integer from 1 to " + MAX_LIMIT));
      }
      pageSize = (int) value;
    }
    return Future.succeededFuture(new Page(after == null ? null : Long.valueOf(after), pageSize));
  }
}
