package io.callbackingress.store;

import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.EndpointFamily;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;

/** Creates and upgrades the schema with Flyway (SPEC 11: the jar migrates its own schema at start-up). */
public final class Migrations {

  private Migrations() {}

  /**
   * Blocking: called from {@code main}, before any verticle is deployed. This is start-up's first
   * connection to Postgres, so a {@code postgres.uri} that names no database this process can use
   * is refused here with a {@link ConfigException}; any other failure is thrown as it is.
   */
  public static void migrate(Database database) {
    migrate(database, List.of());
  }

  /** The core's schema, then each family's own migrations (EndpointFamily#migrations). */
  public static void migrate(Database database, Collection<EndpointFamily> families) {
    try {
      flyway(database).locations("classpath:db/migration").load().migrate();
      for (EndpointFamily family : families) {
        if (!family.migrations().isEmpty()) {
          // The schema is not empty (the core's tables are there): the family's history starts at a baseline 0.
          flyway(database)
              .locations(family.migrations().toArray(String[]::new))
              .table("flyway_schema_history_" + family.name())
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .load()
              .migrate();
        }
      }
    } catch (FlywayException e) {
      SQLException unusable = unusableDatabase(e);
      if (unusable == null) {
        throw e;
      }
      throw new ConfigException("postgres.uri", reason(unusable));
    }
  }

  /**
   * Server-side prepared statements (the driver's after five uses of one) belong to one server
   * session, which a transaction pooler changes from one statement to the next; migrations at
   * start-up gain nothing from them. Flyway's own lock is transaction-level already.
   */
  private static FluentConfiguration flyway(Database database) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(database.jdbcUrl());
    source.setUser(database.connectOptions().getUser());
    source.setPassword(database.connectOptions().getPassword());
    source.setPrepareThreshold(0);
    return Flyway.configure().dataSource(source);
  }

  /**
   * The cause that says the configured database cannot be used at all: nothing answering (SQLSTATE
   * class 08), our credentials refused (class 28) or no such database (3D000). Null for anything
   * else, such as a migration that failed on a database it reached, which is a bug to see in full.
   */
  private static SQLException unusableDatabase(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("28")
              || sql.getSQLState().equals("3D000"))) {
        return sql;
      }
    }
    return null;
  }

  /**
   * The server's own words without severity, detail or hint; else the driver's, with the cause it
   * keeps the reason in (an unknown host is only "The connection attempt failed."). One line.
   */
  private static String reason(SQLException e) {
    String reason;
    if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      reason = psql.getServerErrorMessage().getMessage();
    } else {
      Throwable cause = e.getCause();
      reason = e.getMessage() + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")");
    }
    return reason.replaceAll("\\s*\\R\\s*", " ");
  }
}
