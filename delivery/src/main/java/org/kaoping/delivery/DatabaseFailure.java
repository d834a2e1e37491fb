package org.kaoping.delivery;

import java.io.IOException;
import java.sql.SQLException;

import org.kaoping.delivery.serving.ServingPublisher;

/**
 * What a PostgreSQL failure means, read from its SQLSTATE, and the sentence that says so: the one place serving and
 * the feed translate database failures, so both name the same cause (and the key to fix) for the same state.
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

  /** Why the serving database at {@code jdbcUrl} refused writer {@code user}, naming the key to fix. */
  public static String servingSentence(SQLException e, String jdbcUrl, String user) {
    return switch (kind(e)) {
      case UNREACHABLE -> "Cannot reach the serving database at " + jdbcUrl + " (serving.jdbc-url): " + e.getMessage()
          + ". Check the host, port and database name, and that PostgreSQL accepts connections from here.";
      case CREDENTIALS -> "The serving database refused user '" + user + "' (serving.user, serving.password or the"
          + " environment variable KAOPING_SERVING_PASSWORD): " + e.getMessage() + ". Set the writer's correct credentials.";
      case PERMISSION, NO_DATABASE -> "User '" + user + "' (serving.user) lacks permission in the serving database "
          + jdbcUrl + ": " + e.getMessage() + ". Grant it CONNECT and CREATE on the database (it creates schemas "
          + ServingPublisher.SCHEMA + " and " + ServingPublisher.STORE + "), or configure a user that has them. Nothing already"
          + " published was changed.";
      case OTHER -> "The serving database " + jdbcUrl + " (serving.jdbc-url) failed: " + e.getMessage()
          + ". Nothing already published was changed.";
    };
  }

  /** Why the feed target {@code display} refused a connection as {@code user}, naming the key to fix. */
  public static String feedConnectSentence(SQLException e, String display, String user) {
    String first = firstLine(e);
    return switch (kind(e)) {
      case CREDENTIALS -> "The feed target " + display + " refused user '" + user + "' (" + first
          + "): check feed.target-user and feed.target-password (or KAOPING_FEED_PASSWORD); nothing was delivered.";
      case NO_DATABASE -> "The feed target database in " + display + " does not exist (" + first
          + "): create it or correct feed.target-url; nothing was delivered.";
      case UNREACHABLE -> "Cannot reach the feed target " + display + " (" + first + "): check the host and port"
          + " in feed.target-url and that the database server is running; nothing was delivered.";
      case PERMISSION, OTHER -> "Cannot connect to the feed target " + display + " (feed.target-url): " + first
          + " [SQLState " + state(e) + "]; nothing was delivered.";
    };
  }

  /** Why the feed target {@code url} did not let {@code user} do {@code what} ("create table x", …). */
  public static String feedStatementSentence(SQLException e, String what, String url, String user, String tables) {
    String first = firstLine(e);
    if (kind(e) == Kind.PERMISSION) {
      return "The feed target " + url + " does not let user '" + user + "' " + what + " (" + first + "): grant it"
          + " CREATE on the schema and SELECT, INSERT, DELETE on " + tables + ", or set feed.target-user to a user"
          + " who has them; nothing was delivered.";
    }
    return "Cannot " + what + " in the feed target " + url + " (feed.target-url): " + first
        + " [SQLState " + state(e) + "]; nothing was delivered.";
  }
}
