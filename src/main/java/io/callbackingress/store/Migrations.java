package io.callbackingress.store;

import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.EndpointFamily;
import java.sql.SQLException;
import java.util.Collection;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;

/**
 * Creates and upgrades the schema with Flyway (SPEC 11: the jar migrates its own schema at start-up):
 * the core's tables from {@code db/core}, then each family's from the locations it names
 * ({@link EndpointFamily#migrations}). Each has a history table of its own, so their versions never
 * meet: the core's {@code flyway_schema_history_core}, a family's {@link #historyOf}.
 *
 * <p>Implementation notes: the way from a database made before families owned their migrations.
 * That database has one history, Flyway's default {@code flyway_schema_history}, of the shared
 * migrations now frozen in {@code db/previous} (V1 every table, V2 the time partitions, V3 dead
 * letters), and rows in every table. Its applied migrations cannot be edited or moved into other
 * histories (Flyway validates their checksums), so it keeps that history and this goes on from it:
 * <ol>
 *   <li>A database with that history is first brought to its V3 by those same migrations (a V1
 *       database gets its partitions and dead letters as it always did), so what follows always
 *       starts from one known schema. A database without it never runs them.
 *   <li>The core's history starts there at a baseline 1: the core's V1 is exactly what V1..V3 made
 *       of the core's tables, so nothing of it runs again.
 *   <li>Each family's history starts at a baseline 0 (the schema is never empty by then), and its
 *       V1 runs. A built-in family's V1 creates everything with {@code IF NOT EXISTS}: on a fresh
 *       database it makes the family's tables; on one that V1..V3 made, it finds every one of them
 *       and changes nothing. Per-family baselines at 1 would need the core to know which families
 *       V1..V3 had made tables for — the knowledge this moves out of the core.
 * </ol>
 * Every step is idempotent, so a start cut short between them is finished by the next one; a
 * second start applies nothing.
 *
 * <p>Every family found is migrated, enabled or not: the schema does not depend on the switches,
 * retention looks after a disabled family's tables too, and a family may read another's tables
 * (analytics reads those of test_runs and ai).
 */
public final class Migrations {

  private static final String CORE = "classpath:db/core";
  private static final String CORE_HISTORY = "flyway_schema_history_core";
  /** The shared migrations of the versions before families owned theirs, with Flyway's default history. */
  private static final String PREVIOUS = "classpath:db/previous";
  /** The version of the core's V1: the core's tables as V1..V3 of {@link #PREVIOUS} left them. */
  private static final String PREVIOUS_BASELINE = "1";

  private Migrations() {}

  /**
   * Blocking: called from {@code main}, before any verticle is deployed. This is start-up's first
   * connection to Postgres, so a {@code postgres.uri} that names no database this process can use
   * is refused here with a {@link ConfigException}; any other failure is thrown as it is.
   */
  public static void migrate(Database database, Collection<EndpointFamily> families) {
    try {
      boolean previous = finishPrevious(database);
      FluentConfiguration core = flyway(database).locations(CORE).table(CORE_HISTORY);
      if (previous) {
        // Flyway writes the description into its history's creation script as it is: no apostrophe.
        core.baselineOnMigrate(true)
            .baselineVersion(PREVIOUS_BASELINE)
            .baselineDescription("core tables as made by flyway_schema_history V1..V3");
      }
      core.load().migrate();
      for (EndpointFamily family : families) {
        if (!family.migrations().isEmpty()) {
          // The schema is not empty (the core's tables are there): the family's history starts at a baseline 0.
          flyway(database)
              .locations(family.migrations().toArray(String[]::new))
              .table(historyOf(family))
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
   * {@code flyway_schema_history_<name>} with the name's underscores left out: the history of the
   * family {@code test_runs} is {@code flyway_schema_history_testruns}, so that looking a family's
   * tables up by name ({@code table_name LIKE '%test_run%'}, as the benchmark peers do) finds its
   * tables, not their history, which Flyway creates first.
   */
  public static String historyOf(EndpointFamily family) {
    return "flyway_schema_history_" + family.name().replace("_", "");
  }

  /** Brings a database that a version before this one made to its V3; false when no such version made it. */
  private static boolean finishPrevious(Database database) {
    Flyway previous = flyway(database).locations(PREVIOUS).load();
    if (previous.info().current() == null) {
      return false;
    }
    previous.migrate();
    return true;
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
