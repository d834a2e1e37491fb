package org.kaoping.delivery;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Properties;

/** Connecting to a delivery's JDBC target (the feed's, the reminders') and binding its values. */
public final class JdbcTarget {
  private JdbcTarget() {}

  /** A connection as {@code user} (null: the URL's or the driver's default), giving up after 10 s. */
  public static Connection connect(String url, String user, String password) throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(url, p);
  }

  /** Work on a connection that may fail with a {@link SQLException}. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} as one transaction: committed whole, or rolled back and its failure rethrown. */
  public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(auto);
    }
  }

  /** Binds a value of a row: null as SQL NULL, decimals exactly, the rest (text, numbers, dates, times) as they are. */
  public static void bind(PreparedStatement ps, int i, Object v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.NULL);
    } else if (v instanceof BigDecimal d) {
      ps.setBigDecimal(i, d);
    } else {
      ps.setObject(i, v);
    }
  }
}
