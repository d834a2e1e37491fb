package org.kaoping.delivery.feed;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kaoping.delivery.DatabaseFailure;
import org.kaoping.delivery.JdbcTarget;

/**
 * The JDBC target of the feed. Tables (created when missing; see docs/feed.md):
 * <ul>
 *   <li>{@code cadre_feed_schema}: the feed schema version the tables follow (one row);</li>
 *   <li>{@code cadre_feed_version}: one row per period and version, with its reason and checksums;</li>
 *   <li>{@code cadre_score_feed}: every row of every version, keyed by period, version, level, entity, period type;</li>
 *   <li>{@code cadre_score_current}: the latest version of each period, replaced (upserted) by each delivery.</li>
 * </ul>
 * A delivery is one transaction: a reader sees all of it or none. Tables of another schema version are
 * refused with a sentence, never written.
 */
public final class FeedTarget implements AutoCloseable {
  static final String SCHEMA_TABLE = "cadre_feed_schema";
  static final String VERSION_TABLE = "cadre_feed_version";
  static final String ROWS_TABLE = "cadre_score_feed";
  static final String CURRENT_TABLE = "cadre_score_current";

  private final Connection connection;
  private final String url;

  private final String user;

  private FeedTarget(Connection connection, String url, String user) {
    this.connection = connection;
    this.url = url;
    this.user = user;
  }

  /**
   * Connects and makes sure the tables exist in the current schema version, before anything is written.
   *
   * @throws FeedException a sentence naming the configuration key and what to do
   */
  public static FeedTarget open(FeedSettings settings) {
    Connection c;
    try {
      c = JdbcTarget.connect(settings.targetUrl(), settings.targetUser(), settings.targetPassword());
    } catch (SQLException e) {
      throw connectFailure(settings, e);
    }
    FeedTarget t = new FeedTarget(c, settings.targetDisplay(), settings.targetUser());
    try {
      t.ensureTables(settings);
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private static FeedException connectFailure(FeedSettings s, SQLException e) {
    return new FeedException(DatabaseFailure.feedConnectSentence(e, s.targetDisplay(), s.targetUser()));
  }

  private void ensureTables(FeedSettings s) {
    try {
      Set<String> present = tables();
      if (!present.contains(SCHEMA_TABLE)) {
        for (String t : List.of(VERSION_TABLE, ROWS_TABLE, CURRENT_TABLE)) {
          if (present.contains(t)) {
            throw new FeedException("Table " + t + " in the feed target " + url + " records no feed schema version (table "
                + SCHEMA_TABLE + " is missing), so Kaoping cannot tell what it holds and will not write to it: rename or"
                + " drop it, or point feed.target-url at another database.");
          }
        }
        create();
        return;
      }
      int version;
      try (Statement st = connection.createStatement();
           ResultSet rs = st.executeQuery("SELECT max(feed_schema_version) FROM " + SCHEMA_TABLE)) {
        rs.next();
        version = rs.getInt(1);
      }
      if (version < 1 || version > FeedSchema.VERSION) {
        throw new FeedException("The feed target " + url + " holds feed schema version " + version + " (table "
            + SCHEMA_TABLE + "), this Kaoping writes version " + FeedSchema.VERSION + " and knows no migration from it:"
            + " deliver to a new database (feed.target-url) or move the old tables aside; nothing was delivered.");
      }
      if (version < FeedSchema.VERSION) {
        migrate(version);
      }
      checkColumns(ROWS_TABLE, FeedSchema.COLUMNS);
      checkColumns(CURRENT_TABLE, FeedSchema.COLUMNS);
      checkColumns(VERSION_TABLE, FeedSchema.VERSION_COLUMNS);
    } catch (SQLException e) {
      throw sqlFailure("prepare the feed tables", e);
    }
  }

  /**
   * Brings tables of an older feed schema version to this one in one transaction: the columns each later version added
   * (null in the rows delivered before), then the new version recorded; the rows delivered stay as they were.
   */
  private void migrate(int from) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      for (int v = from + 1; v <= FeedSchema.VERSION; v++) {
        for (String column : FeedSchema.ADDED_IN.getOrDefault(v, List.of())) {
          for (String table : List.of(ROWS_TABLE, CURRENT_TABLE)) {
            st.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + FeedSchema.COLUMNS.get(column));
          }
        }
        st.execute("INSERT INTO " + SCHEMA_TABLE + " VALUES (" + v + ", CURRENT_TIMESTAMP)");
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw new FeedException("Cannot migrate the feed target " + url + " from feed schema version " + from + " to "
          + FeedSchema.VERSION + " (" + e.getMessage().lines().findFirst().orElse("") + "): the user of feed.target-user"
          + " must own the cadre_* tables to add columns; nothing was changed or delivered.");
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private Set<String> tables() throws SQLException {
    Set<String> out = new HashSet<>();
    DatabaseMetaData md = connection.getMetaData();
    try (ResultSet rs = md.getTables(null, null, "cadre_%", new String[] {"TABLE"})) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private void checkColumns(String table, Map<String, String> expected) throws SQLException {
    Set<String> have = new HashSet<>();
    try (ResultSet rs = connection.getMetaData().getColumns(null, null, table, null)) {
      while (rs.next()) {
        have.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
      }
    }
    List<String> missing = expected.keySet().stream().filter(c -> !have.contains(c)).toList();
    if (have.isEmpty() || !missing.isEmpty()) {
      throw new FeedException("Table " + table + " in the feed target " + url + " does not have the columns of feed schema "
          + FeedSchema.VERSION + " (missing: " + (have.isEmpty() ? "the table" : String.join(", ", missing))
          + "): it was changed by hand; restore it or deliver to another database (feed.target-url). Nothing was delivered.");
    }
  }

  private void create() throws SQLException {
    JdbcTarget.inTransaction(connection, () -> {
      try (Statement st = connection.createStatement()) {
        st.execute("CREATE TABLE " + SCHEMA_TABLE + " (feed_schema_version INTEGER NOT NULL PRIMARY KEY,"
            + " created_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        st.execute("CREATE TABLE " + VERSION_TABLE + " (" + ddl(FeedSchema.VERSION_COLUMNS)
            + ", PRIMARY KEY (period, feed_version))");
        String key = ", PRIMARY KEY (period, feed_version, level, entity_id, period_type))";
        st.execute("CREATE TABLE " + ROWS_TABLE + " (" + ddl(FeedSchema.COLUMNS) + key);
        st.execute("CREATE TABLE " + CURRENT_TABLE + " (" + ddl(FeedSchema.COLUMNS) + key);
        st.execute("INSERT INTO " + SCHEMA_TABLE + " VALUES (" + FeedSchema.VERSION + ", CURRENT_TIMESTAMP)");
      }
      return null;
    });
  }

  private static String ddl(Map<String, String> columns) {
    List<String> parts = new ArrayList<>();
    columns.forEach((name, type) -> parts.add(name + " " + type));
    return String.join(", ", parts);
  }

  /** The latest version the target holds of {@code period}, with its rows' checksums. */
  Optional<FeedVersion.Held> latest(String period) {
    try (PreparedStatement ps = connection.prepareStatement("SELECT feed_version, content_sha256, scheme_name,"
        + " scheme_version, build_id, publication_id, is_provisional, feed_schema_version FROM " + VERSION_TABLE + " WHERE period = ? AND"
        + " feed_version = (SELECT max(feed_version) FROM " + VERSION_TABLE + " WHERE period = ?)")) {
      ps.setString(1, period);
      ps.setString(2, period);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int v = rs.getInt(1);
        Map<String, String> shas = new LinkedHashMap<>();
        try (PreparedStatement rows = connection.prepareStatement("SELECT level, entity_id, period_type, period, row_sha256"
            + " FROM " + ROWS_TABLE + " WHERE period = ? AND feed_version = ?")) {
          rows.setString(1, period);
          rows.setInt(2, v);
          try (ResultSet r = rows.executeQuery()) {
            while (r.next()) {
              shas.put(r.getString(1) + "|" + r.getLong(2) + "|" + r.getString(3) + "|" + r.getString(4), r.getString(5));
            }
          }
        }
        return Optional.of(new FeedVersion.Held(v, rs.getString(2), shas, rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getLong(6), rs.getBoolean(7), rs.getInt(8)));
      }
    } catch (SQLException e) {
      throw sqlFailure("read the feed versions", e);
    }
  }

  /** Every version the target holds of {@code period}, oldest first: version → reason line. */
  public List<Map<String, Object>> history(String period) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM " + VERSION_TABLE
        + " WHERE period = ? ORDER BY feed_version")) {
      ps.setString(1, period);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> m = new LinkedHashMap<>();
          for (String c : FeedSchema.VERSION_COLUMNS.keySet()) {
            m.put(c, rs.getObject(c));
          }
          out.add(m);
        }
      }
    } catch (SQLException e) {
      throw sqlFailure("read the feed versions", e);
    }
    return out;
  }

  /** Writes the new versions in one transaction: their rows, their version records, and the current table. */
  void write(List<FeedVersion> versions) {
    if (versions.isEmpty()) {
      return;
    }
    String cols = String.join(", ", FeedSchema.COLUMNS.keySet());
    String marks = String.join(", ", FeedSchema.COLUMNS.keySet().stream().map(c -> "?").toList());
    try {
      JdbcTarget.inTransaction(connection, () -> {
        for (FeedVersion v : versions) {
          insertRows("INSERT INTO " + ROWS_TABLE + " (" + cols + ") VALUES (" + marks + ")", v);
          try (PreparedStatement del = connection.prepareStatement("DELETE FROM " + CURRENT_TABLE + " WHERE period = ?")) {
            del.setString(1, v.period());
            del.executeUpdate();
          }
          insertRows("INSERT INTO " + CURRENT_TABLE + " (" + cols + ") VALUES (" + marks + ")", v);
          insertVersion(v);
        }
        return null;
      });
    } catch (SQLException e) {
      throw sqlFailure("write the feed", e);
    }
  }

  private void insertRows(String sql, FeedVersion v) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (Map<String, Object> row : v.rows()) {
        int i = 1;
        for (Object value : row.values()) {
          JdbcTarget.bind(ps, i++, value);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertVersion(FeedVersion v) throws SQLException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("period", v.period());
    m.put("feed_version", v.version());
    m.put("feed_schema_version", FeedSchema.VERSION);
    m.put("previous_version", v.previousVersion());
    m.put("reason", v.reason());
    m.put("rows_added", v.rowsAdded());
    m.put("rows_changed", v.rowsChanged());
    m.put("rows_removed", v.rowsRemoved());
    m.put("is_provisional", v.provisional());
    m.put("publication_id", v.publicationId());
    m.put("build_id", v.buildId());
    m.put("as_of_date", java.sql.Date.valueOf(v.asOfDate()));
    m.put("scheme_name", v.schemeName());
    m.put("scheme_version", v.schemeVersion());
    m.put("row_count", v.rows().size());
    m.put("unit_rows", v.unitRows());
    m.put("person_rows", v.personRows());
    m.put("content_sha256", v.contentSha256());
    m.put("delivered_at", v.deliveredAt());
    try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + VERSION_TABLE + " ("
        + String.join(", ", m.keySet()) + ") VALUES (" + String.join(", ", m.keySet().stream().map(c -> "?").toList()) + ")")) {
      int i = 1;
      for (Object value : m.values()) {
        JdbcTarget.bind(ps, i++, value);
      }
      ps.executeUpdate();
    }
  }

  private FeedException sqlFailure(String what, SQLException e) {
    return new FeedException(DatabaseFailure.feedStatementSentence(e, what, url, user, "the cadre_* tables"));
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // closing a broken connection: nothing left to do
    }
  }

  /** A feed failure whose message is the whole story. */
  public static final class FeedException extends RuntimeException {
    public FeedException(String message) {
      super(message);
    }
  }
}
