package io.callbackingress.family.webhooks;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.Call;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.ConfigSection;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.IdempotencyKey;
import io.callbackingress.spi.toolkit.Identifiers;
import io.callbackingress.spi.toolkit.JsonBodies;
import io.callbackingress.spi.toolkit.MediaTypes;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.RetainedTable;
import io.callbackingress.spi.toolkit.Secrets;
import io.callbackingress.spi.toolkit.TimeOrderedIds;
import io.callbackingress.spi.WebhookScheme;
import io.callbackingress.spi.WebhookSource;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Family {@code webhooks} (SPEC 3.5): third-party deliveries, verified over the raw bytes before
 * anything reads them, stored verbatim, and deduplicated by delivery id through the writer's
 * idempotency keys — the key is claimed in the same transaction as the row, so a repeat that races
 * the first delivery still stores nothing.
 */
public final class WebhooksFamily implements EndpointFamily {

  private static final Logger log = LoggerFactory.getLogger(WebhooksFamily.class);
  private static final String INSERT = """
      INSERT INTO webhook_deliveries (id, source, event_type, delivery_id, content_type, body)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (source, delivery_id) DO NOTHING
      RETURNING id""";
  /** A delivery to store byte for byte (spooled with its body base64-encoded). */
  record Received(String id, String source, String eventType, String deliveryId, String contentType, byte[] body) {}

  static final WriteOperation<Received> STORE = WriteOperation.of("webhook.store", Received.class,
      (sql, received, context) -> sql.preparedQuery(INSERT)
          .execute(Tuple.of(UUID.fromString(received.id()), received.source(), received.eventType(),
              received.deliveryId(), received.contentType(), Buffer.buffer(received.body())))
          .map(rows -> {
            if (rows.rowCount() == 0) {
              // Stored before the idempotency key expired: still a repeat.
              return duplicate();
            }
            context.emit("webhook.received", new JsonObject()
                .put("id", received.id())
                .put("source", received.source())
                .put("event_type", received.eventType())
                .put("delivery_id", received.deliveryId()));
            return accepted(received.id());
          }),
      received -> accepted(received.id()));

  private static final Set<String> MEDIA_TYPES = Set.of(MediaTypes.JSON, MediaTypes.FORM);
  /** GitHub and Stripe redeliver for up to three days: the dedup window must be longer. */
  private static final int DEDUP_WINDOW_SECONDS = 7 * 86_400;

  private Map<String, WebhookScheme> schemes;
  private WebhookSettings settings;

  @Override
  public String name() {
    return "webhooks";
  }

  /** SPEC 11 placed the webhooks' keys at the top level, before families had sections of their own. */
  @Override
  public String configSection() {
    return "webhooks";
  }

  /** Standard Webhooks is built in; other schemes come from the class path (SPEC 12). */
  @Override
  public void configure(ConfigSection section) {
    Map<String, WebhookScheme> found = new LinkedHashMap<>();
    WebhookScheme standard = new StandardWebhooksScheme();
    found.put(standard.name(), standard);
    ServiceLoader.load(WebhookScheme.class).forEach(scheme -> found.put(scheme.name(), scheme));
    schemes = Map.copyOf(found);
    settings = WebhookSettings.read(section, schemes.keySet());
  }

  @Override
  public List<String> migrations() {
    return List.of("classpath:db/webhooks");
  }

  /**
   * The deliveries are the dedup window: kept for {@code retention.webhookDeliveriesSeconds}, the
   * key SPEC 14 and the README have named since before families had periods of their own.
   */
  @Override
  public List<RetainedTable> retainedTables() {
    return List.of(new RetainedTable("webhook_deliveries", "received_at", false)
        .keptFor("webhookDeliveriesSeconds", DEDUP_WINDOW_SECONDS));
  }

  @Override
  public List<WriteOperation<?>> operations() {
    return List.of(STORE);
  }

  private static Reply accepted(String id) {
    return Reply.accepted(new JsonObject().put("status", "accepted").put("id", id));
  }

  private static Reply duplicate() {
    return Reply.ok(new JsonObject().put("status", "duplicate"));
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    Map<String, String> env = context.env();
    long tolerance = settings.toleranceSeconds();
    List<String> github = Secrets.of(env, settings.githubSecretsEnv());
    List<String> discourse = Secrets.of(env, settings.discourseSecretsEnv());
    List<String> payments = Secrets.of(env, settings.paymentSecretsEnv());
    Map<String, WebhookSource> configured = new LinkedHashMap<>();
    settings.sources().forEach((name, source) -> {
      List<String> secrets = Secrets.of(env, source.secretsEnv());
      if (!secrets.isEmpty()) {
        configured.put(name, configuredSource(source, secrets, tolerance));
      }
    });
    Receiver receiver = new Receiver(context);
    return List.of(
        fixed(context, receiver, HexHmacSource.github(github), !github.isEmpty()),
        fixed(context, receiver, HexHmacSource.discourse(discourse), !discourse.isEmpty()),
        fixed(context, receiver, new StripeSource(payments, tolerance), !payments.isEmpty()),
        Endpoint.raw(HttpMethod.POST, context.spiPath("/webhooks/:source"), MEDIA_TYPES, call -> {
          WebhookSource source = configured.get(call.pathParam("source"));
          return source == null ? Future.failedFuture(ApiException.notFound()) : receiver.receive(call, source);
        }));
  }

  /** A built-in source's route; without secrets it exists but answers 404, like an unknown source (SPEC 11). */
  private static Endpoint fixed(FamilyContext context, Receiver receiver, WebhookSource source, boolean hasSecrets) {
    return Endpoint.raw(HttpMethod.POST, context.spiPath("/webhooks/" + source.name()), MEDIA_TYPES,
        call -> hasSecrets ? receiver.receive(call, source) : Future.failedFuture(ApiException.notFound()));
  }

  private WebhookSource configuredSource(WebhookSettings.Source source, List<String> secrets, long tolerance) {
    try {
      return schemes.get(source.scheme()).source(source.name(), secrets, tolerance);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("webhooks.sources." + source.name() + ".secretsEnv",
          "holds a secret the " + source.scheme() + " scheme cannot use: " + e.getMessage());
    }
  }

  /** The handling of one verified-or-refused delivery on one event loop. */
  private static final class Receiver {

    private final FamilyContext context;

    Receiver(FamilyContext context) {
      this.context = context;
    }

    Future<Reply> receive(Call call, WebhookSource source) {
      if (!source.mediaTypes().contains(mediaType(call))) {
        return Future.failedFuture(ApiException.unsupportedMediaType());
      }
      if (!source.verified(call, System.currentTimeMillis() / 1000)) {
        context.metrics().webhookSignatureFailure(source.name());
        // The reason stays vague on purpose: the signature itself must never reach a log.
        log.info("request {}: {} webhook refused: missing or invalid signature", call.requestId(), source.name());
        return Future.failedFuture(ApiException.unauthorized());
      }
      for (String header : source.requiredHeaders()) {
        String value = call.header(header);
        if (value == null || value.isEmpty()) {
          return Future.failedFuture(ApiException.badRequest("Missing " + header));
        }
        if (!Identifiers.fits(value)) {
          return Future.failedFuture(ApiException.badRequest("Invalid " + header));
        }
      }
      WebhookSource.Delivery delivery = storable(source.delivery(call, payload(call)));
      call.idempotencyKey(new IdempotencyKey("webhook:" + source.name(), delivery.deliveryId(), ""));
      Received received = new Received(TimeOrderedIds.next().toString(), source.name(), delivery.eventType(),
          delivery.deliveryId(), call.header(HttpHeaders.CONTENT_TYPE), call.body().getBytes());
      return context.writer()
          .write(call, STORE, received)
          .map(reply -> reply.replayed() ? duplicate() : reply);
    }

    /**
     * A plugin's source may read its ids from anywhere the sender chose: they are held to the
     * rules the built-in sources apply where they read them (SPEC 2.6), before anything is claimed.
     */
    private static WebhookSource.Delivery storable(WebhookSource.Delivery delivery) {
      if (delivery.eventType() == null || !Identifiers.fits(delivery.eventType())) {
        throw ApiException.badRequest("Invalid event type");
      }
      if (delivery.deliveryId() == null || !Identifiers.fits(delivery.deliveryId())) {
        throw ApiException.badRequest("Invalid delivery id");
      }
      return delivery;
    }

    /** The JSON object of the body, or of a form's {@code payload} field (SPEC 3.5). */
    private static JsonObject payload(Call call) {
      Buffer body = call.body();
      if (mediaType(call).equals(MediaTypes.FORM)) {
        String payload = formField(body.toString(StandardCharsets.UTF_8), "payload");
        if (payload == null) {
          throw ApiException.badRequest("Missing payload");
        }
        return JsonBodies.object(Buffer.buffer(payload));
      }
      return JsonBodies.object(body);
    }

    private static String formField(String form, String name) {
      for (String pair : form.split("&")) {
        int equals = pair.indexOf('=');
        String key = equals < 0 ? pair : pair.substring(0, equals);
        if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
          return equals < 0 ? "" : decode(pair.substring(equals + 1));
        }
      }
      return null;
    }

    private static String decode(String value) {
      try {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("Malformed form body");
      }
    }

    private static String mediaType(Call call) {
      return MediaTypes.of(call.header(HttpHeaders.CONTENT_TYPE));
    }
  }
}
