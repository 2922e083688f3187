package io.callbackingress.support;

import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.toolkit.JsonInput;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.toolkit.TextRule;
import io.callbackingress.spi.Violations;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A family that exists only in tests (enable it with {@code families.probe.enabled}): it exercises the
 * shared pipeline — validation paths, idempotency, the writer, the error mapping — without
 * depending on a real family's rules.
 */
public final class ProbeFamily implements EndpointFamily {

  private static final TextRule NAME = TextRule.of(1, 10, "a-z", "abcdefghijklmnopqrstuvwxyz");

  public record Probe(String name, List<JsonInput> items) {}

  /** The probe name whose write Postgres refuses (division by zero): a write that fails for a reason of its own. */
  public static final String REFUSED = "refused";

  /** The probe name whose write operation throws instead of failing its future: a bug in one write. */
  public static final String THROWS = "throws";
  /** The probe name whose action throws before any write: a bug in an endpoint. */
  public static final String BOOM = "boom";
  /** The probe name written with {@link #UNDECLARED_TOUCH}: an operation the family forgot to declare. */
  public static final String UNDECLARED = "undeclared";

  /** What a probe write carries. */
  record Touch(String name) {
    Reply created() {
      return Reply.created(new JsonObject().put("name", name));
    }
  }

  /** A write that stores nothing: enough to go through batching, idempotency and the spool. */
  static final WriteOperation<Touch> TOUCH = WriteOperation.of("probe.touch", Touch.class,
      (sql, touch, context) -> {
        if (THROWS.equals(touch.name())) {
          throw new IllegalStateException("a bug in a write operation");
        }
        return sql.query(REFUSED.equals(touch.name()) ? "SELECT 1 / 0" : "SELECT 1")
            .execute().map(rows -> touch.created());
      },
      Touch::created);

  /** Left out of {@link #operations()} on purpose; were it ever run, it would store an event. */
  static final WriteOperation<Touch> UNDECLARED_TOUCH = WriteOperation.of("probe.undeclared", Touch.class,
      (sql, touch, context) -> {
        context.emit("probe.undeclared", new JsonObject().put("name", touch.name()));
        return Future.succeededFuture(touch.created());
      },
      Touch::created);

  @Override
  public String name() {
    return "probe";
  }

  /** Mounted only where a test's config enables it, so other tests' routes stay the product's. */
  @Override
  public boolean enabledByDefault() {
    return false;
  }

  @Override
  public List<WriteOperation<?>> operations() {
    return List.of(TOUCH);
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/probes"), ProbeFamily::parse, (call, probe) -> {
          if (BOOM.equals(probe.name())) {
            throw new IllegalStateException("a bug in an action");
          }
          return context.writer().write(call, UNDECLARED.equals(probe.name()) ? UNDECLARED_TOUCH : TOUCH,
              new Touch(probe.name()));
        }),
        Endpoint.get(context.spiPath("/probes/:name"), call ->
            Future.succeededFuture(Reply.ok(new JsonObject().put("name", call.pathParam("name"))))),
        Endpoint.get(context.spiPath("/probes/:name/boom"), call -> {
          throw new IllegalStateException("secret detail that must not leak");
        }));
  }

  private static Probe parse(JsonObject body, Violations violations) {
    JsonInput probe = JsonInput.root(body, "probe", violations);
    String name = probe.requiredString("name", NAME);
    List<JsonInput> items = probe.optionalObjects("items");
    if (items != null) {
      items.forEach(item -> item.requiredEnum("status", Set.of("pass", "fail")));
    }
    return violations.isEmpty() ? new Probe(name, items) : null;
  }
}
