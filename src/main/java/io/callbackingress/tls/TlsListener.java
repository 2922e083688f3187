package io.callbackingress.tls;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.ConfigException;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener's security (SPEC 11 {@code tls.*}): certificate, key and client CA read once at
 * start-up — so a missing or unreadable file stops the process naming its key — the engine
 * (BoringSSL through netty-tcnative unless {@code tls.openssl} is false or it cannot load), TLS 1.2
 * and 1.3 only, HTTP/2 by ALPN, and certificate reload without a restart.
 *
 * <p>Reload: every {@code tls.reloadSeconds} the files are read (asynchronously, off no loop's
 * budget) and compared with what the listeners run. A change is applied only once two consecutive
 * reads agree: certificate and key are separate files that deployment tools replace one after the
 * other, and a listener must never pair a new certificate with the old key. Applying calls
 * {@link HttpServer#updateSSLOptions} on every TLS server; open connections keep their session,
 * new handshakes get the new certificate.
 *
 * <p>The session ticket key file ({@code tls.sessionTicketKeysPath}) is read and reloaded the same
 * way, as part of the same set of files; a new key rotates {@link TicketKeys}, and the contexts are
 * rebuilt even when the certificate is unchanged, since the keys live in the context.
 */
public final class TlsListener {

  private static final Logger log = LoggerFactory.getLogger(TlsListener.class);
  /** Older protocols have known downgrade and cipher weaknesses; every current client speaks 1.2. */
  private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  private static final String PEM_MARKER = "-----BEGIN ";

  private final IngressConfig.Tls config;
  private final SSLEngineOptions engine;
  private final String engineName;
  private final TicketKeys tickets;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private volatile Material running;
  private Material candidate;
  /** A reload being applied: the next checks wait for it, or they would apply (and rotate) it twice. */
  private volatile boolean applying;

  private TlsListener(IngressConfig.Tls config, SSLEngineOptions engine, String engineName, TicketKeys tickets,
                      Material material) {
    this.config = config;
    this.engine = engine;
    this.engineName = engineName;
    this.tickets = tickets;
    this.running = material;
  }

  /**
   * Reads the files and picks the engine. Blocks on file reads: call it at start-up, never on an
   * event loop. Throws {@link ConfigException} naming the key of a file it cannot use.
   */
  public static TlsListener create(IngressConfig.Tls config, Vertx vertx) {
    Material material = new Material(
        read("tls.certPath", config.certPath()),
        read("tls.keyPath", config.keyPath()),
        config.clientAuth().equals("none") ? null : read("tls.clientCaPath", config.clientCaPath()),
        config.sessionTicketKeysPath() == null ? null : readTicketKey(config.sessionTicketKeysPath()));
    boolean openssl = config.openssl() && OpenSSLEngineOptions.isAvailable();
    check(material, vertx, openssl);
    SSLEngineOptions engine;
    String engineName;
    TicketKeys tickets = material.tickets() == null ? TicketKeys.perProcess() : TicketKeys.of(material.tickets());
    if (openssl) {
      engine = new ListenerEngine(tickets);
      engineName = "OpenSSL (" + io.netty.handler.ssl.OpenSsl.versionString() + ")";
    } else {
      if (config.openssl()) {
        log.warn("tls.openssl is true but netty-tcnative cannot load here; falling back to the JDK engine");
      }
      if (config.sessionTicketKeysPath() != null) {
        throw new ConfigException("tls.sessionTicketKeysPath", "needs the BoringSSL engine (tls.openssl true and netty-tcnative loadable)");
      }
      engine = new JdkSSLEngineOptions();
      engineName = "JDK";
    }
    log.info("TLS engine: {}; client auth {}; HTTP/2 {}", engineName, config.clientAuth(),
        config.http2() ? "by ALPN" : "off");
    return new TlsListener(config, engine, engineName, tickets, material);
  }

  /** Which engine the handshakes run on, as logged at start. */
  public String engineName() {
    return engineName;
  }

  /** The options of one verticle's TLS server: the plain listener's, on {@code tls.port}, secured. */
  public HttpServerOptions secure(HttpServerOptions plain) {
    Material material = running;
    HttpServerOptions options = new HttpServerOptions(plain)
        .setPort(config.port())
        .setSsl(true)
        .setSslEngineOptions(engine)
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setKeyCertOptions(material.keyCert())
        .setClientAuth(clientAuth())
        .setUseAlpn(config.http2())
        .setAlpnVersions(config.http2() ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1) : List.of(HttpVersion.HTTP_1_1));
    if (material.clientCa() != null) {
      options.setTrustOptions(material.trust());
    }
    return options;
  }

  /** A listening TLS server that reloads must update; {@link #forget} it when it stops. */
  public void register(HttpServer server) {
    servers.add(server);
  }

  public void forget(HttpServer server) {
    servers.remove(server);
  }

  /** Starts the periodic check when {@code tls.reloadSeconds} is set; returns its timer, or -1. */
  public long startReloading(Vertx vertx) {
    return config.reloadSeconds() > 0 ? vertx.setPeriodic(config.reloadSeconds() * 1000L, id -> check(vertx)) : -1;
  }

  private void check(Vertx vertx) {
    if (applying) {
      return;
    }
    Future<Buffer> caRead = running.clientCa() == null
        ? Future.succeededFuture()
        : vertx.fileSystem().readFile(config.clientCaPath());
    Future<Buffer> ticketsRead = running.tickets() == null
        ? Future.succeededFuture()
        : vertx.fileSystem().readFile(config.sessionTicketKeysPath());
    Future.all(vertx.fileSystem().readFile(config.certPath()), vertx.fileSystem().readFile(config.keyPath()), caRead, ticketsRead)
        .onFailure(e -> log.warn("TLS files not readable, keeping the current certificate: {}", e.getMessage()))
        .onSuccess(all -> {
          Material read = new Material(all.resultAt(0), all.resultAt(1), all.resultAt(2), all.resultAt(3));
          if (applying || read.equals(running) || !read.looksComplete()) {
            candidate = null;
            return;
          }
          if (!read.equals(candidate)) {
            candidate = read;
            return;
          }
          candidate = null;
          apply(read);
        });
  }

  private void apply(Material material) {
    boolean newTicketKey = material.tickets() != null && !material.tickets().equals(running.tickets());
    if (newTicketKey) {
      tickets.rotate(material.tickets());
    }
    ServerSSLOptions options = new ServerSSLOptions()
        .setKeyCertOptions(material.keyCert())
        .setClientAuth(clientAuth())
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setUseAlpn(config.http2())
        .setApplicationLayerProtocols(config.http2() ? List.of("h2", "http/1.1") : List.of("http/1.1"));
    if (material.clientCa() != null) {
      options.setTrustOptions(material.trust());
    }
    applying = true;
    List<Future<Boolean>> updates = new ArrayList<>();
    for (HttpServer server : servers) {
      // Forced: a new ticket key alone leaves the options equal, and Vert.x would keep the context.
      updates.add(server.updateSSLOptions(options, true));
    }
    Future.all(updates)
        .onSuccess(v -> {
          running = material;
          log.info("TLS certificate{} reloaded on {} listeners", newTicketKey ? " and session ticket key" : "", updates.size());
        })
        .onFailure(e -> log.error("TLS certificate reload failed, keeping the current one: {}", e.getMessage()))
        .onComplete(ar -> applying = false);
  }

  /**
   * Builds the context once, the way the listeners will: a certificate or key that does not parse
   * stops start-up here instead of failing every handshake later. It also loads the engine's
   * classes on this thread, which a first handshake would otherwise do on an event loop.
   */
  private static void check(Material material, Vertx vertx, boolean openssl) {
    KeyManagerFactory keys;
    try {
      keys = material.keyCert().getKeyManagerFactory(vertx);
    } catch (Exception e) {
      throw new ConfigException("tls.keyPath", "certificate and key are not a usable PEM pair (" + e.getMessage() + ")");
    }
    try {
      if (material.clientCa() != null) {
        material.trust().getTrustManagerFactory(vertx);
      }
    } catch (Exception e) {
      throw new ConfigException("tls.clientCaPath", "is not a usable PEM certificate (" + e.getMessage() + ")");
    }
    try {
      ReferenceCountUtil.release(SslContextBuilder.forServer(keys)
          .sslProvider(openssl ? SslProvider.OPENSSL : SslProvider.JDK)
          .build());
    } catch (SSLException | RuntimeException e) {
      throw new ConfigException("tls.keyPath", "the TLS engine refuses the certificate and key (" + e.getMessage() + ")");
    }
  }

  private ClientAuth clientAuth() {
    return ClientAuth.valueOf(config.clientAuth().toUpperCase(Locale.ROOT));
  }

  private static Buffer readTicketKey(String path) {
    try {
      Buffer content = Buffer.buffer(Files.readAllBytes(Path.of(path)));
      if (!TicketKeys.isKey(content)) {
        throw new ConfigException("tls.sessionTicketKeysPath", path + " holds " + content.length() + " bytes, not "
            + TicketKeys.FILE_BYTES + " (make one with: openssl rand " + TicketKeys.FILE_BYTES + ")");
      }
      return content;
    } catch (IOException | SecurityException e) {
      throw new ConfigException("tls.sessionTicketKeysPath", "cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Buffer read(String key, String path) {
    try {
      Buffer content = Buffer.buffer(Files.readAllBytes(Path.of(path)));
      if (!content.toString(StandardCharsets.US_ASCII).contains(PEM_MARKER)) {
        throw new ConfigException(key, path + " is not a PEM file");
      }
      return content;
    } catch (IOException | SecurityException e) {
      throw new ConfigException(key, "cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * The file contents a listener runs with (PEM, and the raw ticket key); compared by value (Buffer
   * equality is content) to notice a change.
   */
  private record Material(Buffer cert, Buffer key, Buffer clientCa, Buffer tickets) {

    PemKeyCertOptions keyCert() {
      return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
    }

    PemTrustOptions trust() {
      return new PemTrustOptions().addCertValue(clientCa);
    }

    /** False for a file caught half-written: such a read is never applied. */
    boolean looksComplete() {
      return pem(cert) && pem(key) && (clientCa == null || pem(clientCa)) && (tickets == null || TicketKeys.isKey(tickets));
    }

    private static boolean pem(Buffer buffer) {
      return buffer.toString(StandardCharsets.US_ASCII).contains(PEM_MARKER);
    }

  }
}
