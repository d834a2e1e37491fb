package org.kaoping.delivery.serving;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

import org.kaoping.delivery.serving.ServingPublisher.ServingRefused;
import org.kaoping.delivery.serving.ServingPublisher.Target;

/** The read-only role of the serving database: created if missing, its password set if configured, its grants. */
final class ServingRoles {
  private final Target target;
  private final Consumer<String> progress;

  ServingRoles(Target target, Consumer<String> progress) {
    this.target = target;
    this.progress = progress;
  }

  /** Makes sure the reader role exists (and has the configured password) and may use schema {@code kaoping}. */
  void prepareReader(Statement s) throws SQLException {
    String reader = Sql.q(target.readerRole());
    try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + target.readerRole().replace("'", "''") + "'")) {
      if (!rs.next()) {
        try {
          s.execute("CREATE ROLE " + reader + " LOGIN");
          progress.accept("serving: created the read-only role " + target.readerRole() + " (set its password:"
              + " ALTER ROLE " + target.readerRole() + " PASSWORD '…')");
        } catch (SQLException e) {
          throw new ServingRefused("The read-only role '" + target.readerRole() + "' (serving.reader-user) does not exist and user '"
              + target.user() + "' (serving.user) may not create it: " + e.getMessage() + ". Create the role (CREATE ROLE "
              + target.readerRole() + " LOGIN PASSWORD '…') or grant the writer CREATEROLE.", e);
        }
      }
    }
    if (target.readerPassword() != null && !target.readerPassword().isEmpty()) {
      try {
        s.execute("ALTER ROLE " + reader + " LOGIN PASSWORD " + Sql.text(target.readerPassword()));
      } catch (SQLException e) {
        throw new ServingRefused("User '" + target.user() + "' (serving.user) may not set the password of the read-only role '"
            + target.readerRole() + "' (serving.reader-password / KAOPING_SERVING_READER_PASSWORD): " + e.getMessage()
            + ". Unset serving.reader-password and let the DBA set it, or grant the writer CREATEROLE.", e);
      }
    }
    s.execute("GRANT USAGE ON SCHEMA " + ServingPublisher.SCHEMA + " TO " + reader);
    s.execute("REVOKE CREATE ON SCHEMA " + ServingPublisher.SCHEMA + " FROM PUBLIC");
  }

  /** Lets the reader SELECT {@code relation} (a view of schema {@code kaoping} or its publication record). */
  void grantSelect(Statement s, String relation) throws SQLException {
    s.execute("GRANT SELECT ON " + relation + " TO " + Sql.q(target.readerRole()));
  }
}
