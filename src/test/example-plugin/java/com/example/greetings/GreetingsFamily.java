package com.example.greetings;

import io.callbackingress.spi.ConfigSection;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.toolkit.InsertOperation;
import io.callbackingress.spi.toolkit.JsonInput;
import io.callbackingress.spi.LiveChannel;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.toolkit.RowInsert;
import io.callbackingress.spi.toolkit.TextRule;
import io.callbackingress.spi.toolkit.TimeOrderedIds;
import io.callbackingress.spi.Violations;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** The README's example family: {@code POST /spi/greetings {"greeting":{"name":"ada"}}} stores a row and an event. */
public final class GreetingsFamily implements EndpointFamily {

  record Greeting(String id, String name) {}

  static final WriteOperation<Greeting> CREATE = new InsertOperation<>("greeting.create", Greeting.class,
      RowInsert.into("greetings", RowInsert.uuid("id"), RowInsert.text("name")),
      greeting -> new Object[] {UUID.fromString(greeting.id()), greeting.name()},
      (greeting, events) -> events.emit("greeting.created", new JsonObject().put("id", greeting.id())),
      greeting -> Reply.created(new JsonObject().put("id", greeting.id())));

  private TextRule names;

  @Override public String name() { return "greetings"; }

  /** {@code families.greetings.maxNameLength}: validated like every core key. */
  @Override public void configure(ConfigSection section) {
    names = TextRule.of(1, section.integer("maxNameLength", 40, 1, 255), "a-z", "abcdefghijklmnopqrstuvwxyz");
  }

  @Override public List<String> migrations() { return List.of("classpath:db/greetings"); }

  @Override public List<LiveChannel> liveChannels() { return List.of(LiveChannel.of("greeting", "id")); }

  @Override public List<WriteOperation<?>> operations() { return List.of(CREATE); }

  @Override public List<Endpoint> endpoints(FamilyContext context) {
    return List.of(Endpoint.json(HttpMethod.POST, context.spiPath("/greetings"), this::parse,
        (call, greeting) -> context.writer().write(call, CREATE, greeting)));
  }

  private Greeting parse(JsonObject body, Violations violations) {
    String name = JsonInput.root(body, "greeting", violations).requiredString("name", names);
    return violations.isEmpty() ? new Greeting(TimeOrderedIds.next().toString(), name) : null;
  }
}
