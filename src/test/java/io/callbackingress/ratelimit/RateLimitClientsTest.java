package io.callbackingress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.Ingress;
import io.callbackingress.config.ConfigNode;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.support.Http;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.NameLookups;
import io.callbackingress.support.RedisCommand;
import io.callbackingress.support.TestServices;
import io.callbackingress.support.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC 5: who the client is, as the bucket key sees it — the socket peer, or the PROXY protocol's source. */
class RateLimitClientsTest {

  private static final JsonObject PROBE_FAMILY = new JsonObject().put("probe", new JsonObject().put("enabled", true));
  private static final JsonObject LIMIT = new JsonObject()
      .put("default", new JsonObject().put("capacity", 3).put("refillPerSecond", 0.01));

  @Test
  void forwardedForIsIgnoredFromAnUntrustedPeerAndEachLoopKeepsOneConnection() {
    JsonObject config = new JsonObject().put("families", PROBE_FAMILY).put("rateLimit", LIMIT);
    try (IngressServer server = IngressServer.start("ratelimit_peer", config, Map.of())) {
      Http http = server.http();
      assertEquals("2", http.get("/spi/probes/x", Map.of("X-Forwarded-For", "198.51.100.1")).header("RateLimit-Remaining"));
      assertEquals("1", http.get("/spi/probes/x", Map.of("X-Forwarded-For", "198.51.100.2")).header("RateLimit-Remaining"));
      assertEquals("1", RedisCommand.send(server.redisUri, "EXISTS", "rl:probe:127.0.0.1").substring(1));
      assertEquals("0", RedisCommand.send(server.redisUri, "EXISTS", "rl:probe:198.51.100.1").substring(1));

      for (int i = 0; i < 20; i++) {
        http.get("/spi/probes/x");
      }
      Redis admin = Redis.createClient(server.vertx, server.redisUri);
      String clients = admin.send(Request.cmd(Command.CLIENT).arg("LIST")).await().toString();
      // CLIENT LIST spans every database; count only this server's.
      String database = " db=" + URI.create(server.redisUri).getPath().substring(1) + " ";
      long limiterConnections = clients.lines()
          .filter(line -> line.contains(database) && line.contains("cmd=evalsha"))
          .count();
      assertTrue(limiterConnections >= 1 && limiterConnections <= 2,
          "one connection per event loop (the test Vert.x has two):\n" + clients);
      admin.close().await();
    }
  }

  /**
   * Behind a trusted proxy each X-Forwarded-For hop, from the right, is parsed as an IP literal to
   * see whether it is a trusted proxy too: on the event loop, so it must never reach the resolver.
   * A hop that is not an IP literal is no proxy, so it is the client, as written.
   */
  @Test
  void forwardedForHopsAreParsedAsIpLiteralsWithoutEverAskingTheResolver() {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1/32").add("10.0.0.0/8")
            .add("fd00::/8")))
        .put("families", PROBE_FAMILY)
        .put("rateLimit", LIMIT);
    Map<String, String> clientOf = new LinkedHashMap<>();
    clientOf.put("198.51.100.1, zz::1", "zz::1");
    clientOf.put("198.51.100.2, example.com", "example.com");
    clientOf.put("198.51.100.3, 1.2.3.4.5", "1.2.3.4.5");
    clientOf.put("198.51.100.4, 10.0.0.256", "10.0.0.256");
    clientOf.put("198.51.100.5, fd00::1::2", "fd00::1::2");
    clientOf.put("::ffff:1.2.3.4", "::ffff:1.2.3.4");
    // A trusted proxy in any spelling of its address is skipped.
    clientOf.put("198.51.100.6, ::ffff:10.0.0.5", "198.51.100.6");
    clientOf.put("198.51.100.7, [fd00::1]", "198.51.100.7");
    clientOf.put("198.51.100.8, FD00:0:0::2, 10.1.2.3", "198.51.100.8");
    try (IngressServer server = IngressServer.start("ratelimit_forwarded", config, Map.of());
         NameLookups lookups = NameLookups.record()) {
      Http http = server.http();
      clientOf.forEach((forwardedFor, client) -> {
        Http.Response response = http.get("/spi/probes/x", Map.of("X-Forwarded-For", forwardedFor));
        assertEquals(200, response.status(), forwardedFor);
        assertEquals("1", RedisCommand.send(server.redisUri, "EXISTS", "rl:probe:" + client).substring(1),
            forwardedFor + " is client " + client);
      });
      assertEquals(List.of(), lookups.names(), "X-Forwarded-For hops sent to the resolver");
    }
  }

  /** With Vert.x metrics on, as in production (see AcceptedPeers): PROXY v1 and v2 headers. */
  @Test
  void theProxyProtocolSourceAddressIsTheClient() throws IOException {
    JsonObject json = new JsonObject()
        .put("http", new JsonObject().put("proxyProtocol", true).put("host", "127.0.0.1")
            .put("port", IngressServer.freePort()))
        .put("families", PROBE_FAMILY)
        .put("rateLimit", LIMIT)
        .put("postgres", new JsonObject().put("uri", TestServices.newDatabase("ratelimit_proxy")))
        .put("redis", new JsonObject().put("uri", TestServices.newRedis()))
        .put("spool", new JsonObject().put("dir", Files.createTempDirectory("spool").toString()));
    IngressConfig config = IngressConfig.read(ConfigNode.root(json, Map.of()));
    PrometheusMeterRegistry registry = TestVertx.registry();
    Vertx vertx = TestVertx.create(registry);
    try {
      Ingress.create(config, IngressServer.internalTokenEnv(), vertx, registry, config.postgres().uri(),
              config.redis().uri(),
              Ingress.openSpool(vertx, config))
          .deploy()
          .await();
      int port = config.http().port();
      RawResponse first = viaProxy(port, "203.0.113.7");
      assertEquals(200, first.status());
      assertEquals("{\"name\":\"x\"}", first.body());
      assertEquals("2", first.headers().get("ratelimit-remaining"));
      assertEquals("1", viaProxy(port, "203.0.113.7").headers().get("ratelimit-remaining"));
      assertEquals("2", viaProxy(port, "203.0.113.8").headers().get("ratelimit-remaining"));
      assertEquals("1", RedisCommand.send(config.redis().uri(), "EXISTS", "rl:probe:203.0.113.7").substring(1));
      assertEquals("2", viaProxyV2(port, new byte[] {(byte) 198, 51, 100, 9}).headers().get("ratelimit-remaining"));
      assertEquals("1", viaProxyV2(port, new byte[] {(byte) 198, 51, 100, 9}).headers().get("ratelimit-remaining"));
      assertEquals("1", RedisCommand.send(config.redis().uri(), "EXISTS", "rl:probe:198.51.100.9").substring(1));
      assertEquals("0", RedisCommand.send(config.redis().uri(), "EXISTS", "rl:probe:127.0.0.1").substring(1),
          "no bucket for the balancer's own address");
    } finally {
      vertx.close().await();
    }
  }

  private record RawResponse(int status, Map<String, String> headers, String body) {}

  /** A load balancer's connection: the PROXY v1 line, then one HTTP/1.1 request. */
  private static RawResponse viaProxy(int port, String sourceIp) throws IOException {
    return exchange(port, ("PROXY TCP4 " + sourceIp + " 127.0.0.1 5555 80\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** The same with HAProxy's binary v2 header (send-proxy-v2): PROXY command, TCP over IPv4. */
  private static RawResponse viaProxyV2(int port, byte[] sourceIpv4) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    header.write(0x21);
    header.write(0x11);
    header.writeBytes(new byte[] {0x00, 0x0C});
    header.writeBytes(sourceIpv4);
    header.writeBytes(new byte[] {127, 0, 0, 1});
    header.writeBytes(new byte[] {0x15, (byte) 0xB3, 0x00, 0x50});
    return exchange(port, header.toByteArray());
  }

  private static RawResponse exchange(int port, byte[] proxyHeader) throws IOException {
    String request = "GET /spi/probes/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(proxyHeader);
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = raw.indexOf("\r\n\r\n");
      String[] head = raw.substring(0, split).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        headers.put(head[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), head[i].substring(colon + 1).trim());
      }
      return new RawResponse(Integer.parseInt(head[0].split(" ")[1]), headers, raw.substring(split + 4));
    }
  }
}
