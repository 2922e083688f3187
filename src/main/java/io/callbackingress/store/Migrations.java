package io.callbackingress.store;

import org.flywaydb.core.Flyway;

/** Creates and upgrades the schema with Flyway (SPEC 11: the jar migrates its own schema at start-up). */
public final class Migrations {

  private Migrations() {}

  /** Blocking: called from {@code main}, before any verticle is deployed. */
  public static void migrate(Database database) {
    Flyway.configure()
        .dataSource(database.jdbcUrl(), database.connectOptions().getUser(), database.connectOptions().getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }
}
