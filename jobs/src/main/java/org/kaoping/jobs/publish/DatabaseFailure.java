package org.kaoping.jobs.publish;

import java.io.IOException;
import java.sql.SQLException;

/**
 * What kind of refusal a PostgreSQL failure is, read from its SQLSTATE: the one place serving and the feed classify
 * database failures, so both name the same cause (and the key to fix) for the same state.
 */
public final class DatabaseFailure {
  /** The causes a reader can act on, each with its own sentence in the caller. */
  public enum Kind { UNREACHABLE, CREDENTIALS, NO_DATABASE, PERMISSION, OTHER }

  private DatabaseFailure() {}

  public static Kind kind(SQLException e) {
    String state = state(e);
    if (state.startsWith("08") || e.getCause() instanceof IOException) {
      return Kind.UNREACHABLE;
    }
    if (state.startsWith("28")) {
      return Kind.CREDENTIALS;
    }
    if (state.equals("3D000")) {
      return Kind.NO_DATABASE;
    }
    if (state.equals("42501")) {
      return Kind.PERMISSION;
    }
    return Kind.OTHER;
  }

  /** The SQLSTATE, empty when the driver gave none. */
  public static String state(SQLException e) {
    return e.getSQLState() == null ? "" : e.getSQLState();
  }

  /** The driver's message without PostgreSQL's detail lines, for a one-line sentence. */
  public static String firstLine(SQLException e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }
}
