package io.callbackingress.support;

import io.callbackingress.embedded.EmbeddedServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The real Postgres and Redis the tests run against: the local servers (scripts/dev-services.sh)
 * when they answer, else embedded ones started once per JVM. Every test class gets a database of
 * its own and a Redis database index of its own, so classes never see each other's data.
 */
public final class TestServices {

  private static final String LOCAL_HOST = "127.0.0.1";
  private static final int FIRST_REDIS_INDEX = 1;
  private static final int LAST_REDIS_INDEX = 15;
  private static String postgresAdminUri;
  private static String redisBaseUri;
  /** How many indexes one JVM rotates through, so that a closing class's servers never share one with the next. */
  private static final int INDEXES_PER_JVM = 3;
  /** Leases on indexes live in database 0: several test JVMs on one Redis (two checkouts, say) never share one. */
  private static final String LEASE = "callback-ingress:tests:redis-index:";
  private static final String LEASE_TTL_MS = Long.toString(Duration.ofMinutes(15).toMillis());
  private static final String CLAIM = "local holder = redis.call('GET', KEYS[1]) "
      + "if holder == false or holder == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end "
      + "return 0";
  private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end return 0";
  private static final String JVM = UUID.randomUUID().toString();
  private static final List<Integer> leasedIndexes = new ArrayList<>();
  private static int turn;
  private static EmbeddedServices embedded;

  private TestServices() {}

  /** A fresh, empty database; returns its URI. */
  public static synchronized String newDatabase(String prefix) {
    String admin = postgresAdmin();
    String name = uniqueName(prefix);
    sql(admin, "CREATE DATABASE " + name);
    return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
  }

  /** The URI of a database that does not exist on the same server, as an operator's typo would name. */
  public static synchronized String absentDatabase(String prefix) {
    String admin = postgresAdmin();
    return admin.substring(0, admin.lastIndexOf('/') + 1) + uniqueName(prefix);
  }

  private static String uniqueName(String prefix) {
    return (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9_]", "_");
  }

  /** Runs one statement through JDBC on the test thread: for set-up and for checking stored effects. */
  public static void sql(String uri, String statement) {
    try (Connection c = jdbc(uri); Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement, e);
    }
  }

  public static Connection jdbc(String uri) throws SQLException {
    String rest = uri.substring(uri.indexOf("://") + 3);
    String user = rest.substring(0, rest.indexOf('@'));
    return DriverManager.getConnection(jdbcUrl(uri), user, "");
  }

  /** {@code postgresql://user@host:port/db} as the JDBC URL of the same database (the user apart). */
  public static String jdbcUrl(String uri) {
    return "jdbc:postgresql://" + uri.substring(uri.indexOf('@') + 1);
  }

  /**
   * A Redis URI on a database index of its own, emptied first. Indexes 1 to 15 — never 0, the
   * default database that benchmarks and local runs use — are leased per JVM (a key in database 0,
   * renewed on each use, released at exit), so test runs of other checkouts on the same Redis keep
   * to theirs. This JVM rotates through up to three: surefire runs its classes one after another,
   * so by the time an index comes round again the class that had it has closed its servers.
   */
  public static synchronized String newRedis() {
    if (leasedIndexes.size() < INDEXES_PER_JVM) {
      leaseAnotherIndex();
    }
    if (leasedIndexes.isEmpty()) {
      throw new IllegalStateException("every Redis database index from " + FIRST_REDIS_INDEX + " to " + LAST_REDIS_INDEX
          + " is leased by other test runs (keys " + LEASE + "* in database 0)");
    }
    int index = leasedIndexes.get(turn++ % leasedIndexes.size());
    RedisCommand.send(redisBase(), "EVAL", CLAIM, "1", LEASE + index, JVM, LEASE_TTL_MS);
    String uri = redisBase() + "/" + index;
    RedisCommand.send(uri, "FLUSHDB");
    return uri;
  }

  private static void leaseAnotherIndex() {
    for (int index = FIRST_REDIS_INDEX; index <= LAST_REDIS_INDEX; index++) {
      if (!leasedIndexes.contains(index)
          && ":1".equals(RedisCommand.send(redisBase(), "EVAL", CLAIM, "1", LEASE + index, JVM, LEASE_TTL_MS))) {
        if (leasedIndexes.isEmpty()) {
          Runtime.getRuntime().addShutdownHook(new Thread(TestServices::releaseIndexes, "release-redis-indexes"));
        }
        leasedIndexes.add(index);
        return;
      }
    }
  }

  private static synchronized void releaseIndexes() {
    leasedIndexes.forEach(index -> RedisCommand.send(redisBase(), "EVAL", RELEASE, "1", LEASE + index, JVM));
  }

  private static String postgresAdmin() {
    if (postgresAdminUri == null) {
      if (reachable(5432)) {
        for (String user : new String[] {"postgres", "root"}) {
          String candidate = "postgresql://" + user + "@" + LOCAL_HOST + ":5432/postgres";
          try (Connection c = jdbc(candidate)) {
            postgresAdminUri = candidate;
            break;
          } catch (SQLException tryNext) {
            // the next user, then the embedded server
          }
        }
      }
      if (postgresAdminUri == null) {
        postgresAdminUri = embedded().postgres;
      }
    }
    return postgresAdminUri;
  }

  private static String redisBase() {
    if (redisBaseUri == null) {
      redisBaseUri = reachable(6379) ? "redis://" + LOCAL_HOST + ":6379" : embedded().redis;
    }
    return redisBaseUri;
  }

  private record Embedded(String postgres, String redis) {}

  private static Embedded embeddedUris;

  private static Embedded embedded() {
    if (embeddedUris == null) {
      try {
        embedded = new EmbeddedServices();
        Path dir = Files.createTempDirectory("callback-ingress-test");
        embeddedUris = new Embedded(embedded.startPostgres(dir), embedded.startRedis());
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
      } catch (IOException e) {
        throw new UncheckedIOException("no local Postgres/Redis and the embedded ones failed to start", e);
      }
    }
    return embeddedUris;
  }

  private static boolean reachable(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOCAL_HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
