package io.callbackingress.store;

import io.callbackingress.spi.ConfigException;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
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
    try {
      Flyway.configure()
          .dataSource(database.jdbcUrl(), database.connectOptions().getUser(), database.connectOptions().getPassword())
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (FlywayException e) {
      SQLException unusable = unusableDatabase(e);
      if (unusable == null) {
        throw e;
      }
      throw new ConfigException("postgres.uri", reason(unusable));
    }
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
