package org.kaoping.delivery.serving;

import static org.kaoping.delivery.serving.Sql.q;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.kaoping.delivery.serving.PublicationLog.Publication;

/** The switch: the pointer, the publication's record and any re-pointed view, in one transaction. */
final class PublicationSwitch {
  private static final String SCHEMA = ServingPublisher.SCHEMA;
  private static final String STORE = ServingPublisher.STORE;

  private PublicationSwitch() {}

  /**
   * Makes {@code p} the publication readers see: views whose store table changed are re-created, views of tables no
   * longer published dropped. On failure the transaction is rolled back and readers keep the previous publication.
   */
  static void switchTo(Connection c, ServingRoles roles, Publication p, List<PublishedTable> tables, Map<String, String> newStore,
      Map<String, String> currentStore) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL lock_timeout = '60s'");
      for (String retired : currentStore.keySet()) {
        if (!newStore.containsKey(retired)) { // a table no longer published: its view goes with the switch
          s.execute("DROP VIEW IF EXISTS " + SCHEMA + "." + q(retired));
        }
      }
      for (PublishedTable t : tables) {
        if (!newStore.get(t.name()).equals(currentStore.get(t.name()))) {
          createView(s, roles, t, newStore.get(t.name()));
        }
      }
      PublicationTable.insert(c, p);
      s.execute("DELETE FROM " + STORE + ".unfinished"); // switched: nothing of this publish is a leftover any more
      s.execute("INSERT INTO " + STORE + ".current_publication VALUES (true, " + p.publicationId()
          + ") ON CONFLICT (one) DO UPDATE SET publication_id = excluded.publication_id");
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** The view of {@code t}: the rows of {@code store} the current publication shows, readable by the reader. */
  private static void createView(Statement s, ServingRoles roles, PublishedTable t, String store) throws SQLException {
    String cols = Arrays.stream(t.data().columns()).map(x -> "t." + q(x)).collect(Collectors.joining(", "));
    String view = SCHEMA + "." + q(t.name());
    s.execute("DROP VIEW IF EXISTS " + view);
    s.execute("CREATE VIEW " + view + " AS SELECT " + cols + ", c.publication_id FROM " + STORE + "." + q(store) + " t CROSS JOIN "
        + STORE + ".current_publication c WHERE t.pub_from <= c.publication_id AND (t.pub_to IS NULL OR t.pub_to > c.publication_id)");
    roles.grantSelect(s, view);
    ViewComments.apply(s, view, t);
  }
}
