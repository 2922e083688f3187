package io.callbackingress.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the stored effect of a test straight from Postgres, on the test thread. */
public final class Db {

  private final String uri;

  public Db(String uri) {
    this.uri = uri;
  }

  public long count(String sql) {
    return (long) scalar(sql);
  }

  /** The first column of every row, as text. */
  public List<String> column(String sql) {
    List<String> values = new ArrayList<>();
    try (Connection c = TestServices.jdbc(uri); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
    return values;
  }

  public Object scalar(String sql) {
    try (Connection c = TestServices.jdbc(uri); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getObject(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
