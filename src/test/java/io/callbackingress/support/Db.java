package io.callbackingress.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads the stored effect of a test straight from Postgres, on the test thread. */
public final class Db {

  private final String uri;

  public Db(String uri) {
    this.uri = uri;
  }

  public long count(String sql) {
    return (long) scalar(sql);
  }

  public Object scalar(String sql) {
    try (Connection c = TestServices.jdbc(uri); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getObject(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
