package io.callbackingress.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TestServices;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * SPEC 9: each event is announced with {@code NOTIFY ingress_events, '<id>'} and published on the
 * event bus address {@code ingress.events} — with or without a live subscriber in the process.
 */
class EventAnnouncementTest {

  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IngressServer.start("event_announcement", new JsonObject(), Map.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyEventIsAnnouncedByIdAndPublishedOnTheEventBus() throws Exception {
    CompletableFuture<JsonObject> published = new CompletableFuture<>();
    MessageConsumer<JsonObject> consumer = server.vertx.eventBus().<JsonObject>consumer(Event.ADDRESS,
        message -> published.complete(message.body()));
    consumer.completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    try (Connection listener = TestServices.jdbc(server.databaseUri); Statement listen = listener.createStatement()) {
      listen.execute("LISTEN ingress_events");

      Http.Response created = http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
          new JsonObject().put("id", "announced-1").put("kind", "rubocop")));
      assertEquals(201, created.status(), created.body());

      Object stored = new Db(server.databaseUri).scalar(
          "SELECT id::text FROM ingress_events WHERE type = 'tooling_job.created' AND data LIKE '%announced-1%'");
      List<String> announced = new ArrayList<>();
      for (int wait = 0; wait < 50 && announced.isEmpty(); wait++) {
        PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(100);
        for (PGNotification notification : notifications) {
          assertEquals("ingress_events", notification.getName());
          announced.add(notification.getParameter());
        }
      }
      assertEquals(List.of(stored), announced, "one NOTIFY, the event's id");
      JsonObject envelope = published.get(5, TimeUnit.SECONDS);
      assertEquals(stored, envelope.getString("id"));
      assertEquals("tooling_job.created", envelope.getString("type"));
    } finally {
      consumer.unregister();
    }
  }
}
