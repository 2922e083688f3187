package io.callbackingress.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.config.ConfigNode;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TestServices;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * Start-up's first connection to Postgres is the migration: a {@code postgres.uri} that names no
 * usable database is a one-line configuration refusal (SPEC 11), while a migration that fails on a
 * database it did reach stays an error with its cause.
 */
class MigrationsTest {

  private static final IngressConfig.Postgres DEFAULTS =
      IngressConfig.read(ConfigNode.root(new JsonObject(), Map.of())).postgres();

  @Test
  void aDatabaseThatDoesNotExistIsRefusedNamingTheKey() {
    String uri = TestServices.absentDatabase("migrations_absent");
    String name = uri.substring(uri.lastIndexOf('/') + 1);
    ConfigException refusal = assertThrows(ConfigException.class, () -> migrate(uri));
    assertEquals("config: postgres.uri: database \"" + name + "\" does not exist", refusal.getMessage());
  }

  @Test
  void aServerThatIsNotListeningIsRefusedNamingTheKey() {
    int port = IngressServer.freePort();
    ConfigException refusal = assertThrows(ConfigException.class,
        () -> migrate("postgresql://postgres@127.0.0.1:" + port + "/ingress"));
    assertTrue(refusal.getMessage().startsWith("config: postgres.uri: Connection to 127.0.0.1:" + port + " refused"),
        refusal.getMessage());
    assertEquals(1, refusal.getMessage().lines().count(), refusal.getMessage());
  }

  @Test
  void aMigrationThatFailsOnAReachableDatabaseIsNotAConfigurationProblem() {
    String uri = TestServices.newDatabase("migrations_conflict");
    // Flyway's empty-schema check skips materialized views, so the core's V1 runs and fails on its first table.
    TestServices.sql(uri, "CREATE MATERIALIZED VIEW ingress_events AS SELECT 1 AS id");
    FlywayException failure = assertThrows(FlywayException.class, () -> migrate(uri));
    assertTrue(failure.getMessage().contains("relation \"ingress_events\" already exists"), failure.getMessage());
  }

  private static void migrate(String uri) {
    Migrations.migrate(Database.of(uri, DEFAULTS, Map.of()), List.of());
  }
}
