package org.kaoping.delivery.serving;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.kaoping.delivery.serving.PublicationLog.Publication;

/** The publication the serving database's views show now: its pointer and its record there. */
public final class ServedPublication {
  /** SQLSTATEs of a serving database that has no publication yet: no database, no schema or table. */
  private static final Set<String> NOT_YET_PUBLISHED = Set.of("3D000", "3F000", "42P01");

  private ServedPublication() {}

  /**
   * The publication served now; empty before the first publication.
   *
   * @throws ServingPublisher.ServingRefused when the serving database cannot be reached or refuses the writer
   */
  public static Optional<Publication> read(ServingPublisher.Target target) {
    Properties properties = target.properties();
    properties.setProperty("loginTimeout", "10"); // a status page must not hang on an unreachable database
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), properties);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT publication_id FROM " + ServingPublisher.STORE + ".current_publication")) {
      return rs.next() ? PublicationTable.read(c, rs.getLong(1)) : Optional.empty();
    } catch (SQLException e) {
      if (NOT_YET_PUBLISHED.contains(e.getSQLState())) {
        return Optional.empty();
      }
      throw ServingPublisher.refused(target, e);
    }
  }
}
