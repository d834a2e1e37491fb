package org.kaoping.ingestion;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL source system to capture.
 *
 * @param name      short name of the source system; prefixes its raw tables ({@code raw.<name>_<table>})
 * @param schemas   comma-separated schemas to capture
 * @param debezium  extra Debezium connector properties, applied last
 */
public record SourceConnection(String name, String host, int port, String database, String user, String password,
    String schemas, Map<String, String> debezium) {

  /** The table Kaoping writes a heartbeat to, in the first captured schema: it moves a quiet source's WAL position. */
  public static final String HEARTBEAT_TABLE = "kaoping_heartbeat";
  /** Default interval of Debezium's heartbeat (with the action query writing {@link #HEARTBEAT_TABLE}). */
  static final String HEARTBEAT_INTERVAL_MS_DEFAULT = "60000";

  public SourceConnection {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("Source name '" + name + "' must be lower-case letters, digits and _ (it names tables)");
    }
    debezium = Map.copyOf(debezium);
  }

  /** The JDBC URL of the source database (for readers other than Debezium, e.g. {@code kaoping reconcile}). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  String slotName() {
    return "kaoping_" + name;
  }

  String publicationName() {
    return "kaoping_" + name;
  }

  /** {@code schema.kaoping_heartbeat} in the first captured schema. */
  String heartbeatTable() {
    return schemas.split(",")[0].strip() + "." + HEARTBEAT_TABLE;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), connectionProperties());
  }

  /** User, password and timeout for a JDBC connection to the source. */
  Properties connectionProperties() {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", "10");
    return props;
  }

  /**
   * Checks, before the engine starts, everything that would otherwise fail inside it: the server is
   * reachable, has logical decoding, the user may replicate and read every captured table, and the
   * heartbeat table exists (created here when the user may). Fails with a sentence naming the fix.
   */
  void verify() {
    try (Connection c = connect()) {
      String walLevel = single(c, "SHOW wal_level");
      if (!"logical".equals(walLevel)) {
        throw new IllegalStateException("Source '" + name + "' (" + jdbcUrl() + ") has wal_level=" + walLevel
            + "; change capture needs wal_level=logical in postgresql.conf (then restart PostgreSQL).");
      }
      if (!"yes".equals(single(c, "SELECT CASE WHEN rolreplication OR rolsuper THEN 'yes' END FROM pg_roles WHERE rolname = current_user"))) {
        throw new IllegalStateException("Source '" + name + "': user '" + user + "' may not use logical replication."
            + " Grant it as an administrator: ALTER ROLE " + user + " WITH REPLICATION;");
      }
      List<String> unreadable = unreadableTables(c);
      if (!unreadable.isEmpty()) {
        throw new IllegalStateException("Source '" + name + "': user '" + user + "' cannot read " + String.join(", ", unreadable)
            + ", so the snapshot would fail. Grant it: GRANT SELECT ON ALL TABLES IN SCHEMA "
            + String.join(", ", schemaList()) + " TO " + user + ";");
      }
      ensureHeartbeatTable(c);
      String holder = slotHolder(c);
      // a capture that has just closed leaves its walsender exiting for a moment: give it time before refusing
      for (long deadline = System.currentTimeMillis() + 30_000; holder != null && System.currentTimeMillis() < deadline; ) {
        Thread.sleep(250);
        holder = slotHolder(c);
      }
      if (holder != null) {
        throw new IllegalStateException("Source '" + name + "': another capture of this source is running (its replication slot "
            + slotName() + " is in use by " + holder + "). Let it finish or stop it; if it belongs to another Kaoping"
            + " warehouse, give this one a different source name.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking source '" + name + "'", e);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot connect to source '" + name + "' at " + jdbcUrl() + " as '" + user + "': "
          + e.getMessage() + ". Check the source." + name + ".* settings and that the server is running.", e);
    }
  }

  /** Who holds this source's replication slot ("client, PID n"), or null when nobody does. */
  private String slotHolder(Connection c) throws SQLException {
    return single(c, "SELECT coalesce(client_addr::text, 'local') || ', PID ' || active_pid"
        + " FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid"
        + " WHERE s.slot_name = '" + slotName() + "' AND s.active");
  }

  private List<String> schemaList() {
    List<String> list = new ArrayList<>();
    for (String s : schemas.split(",")) {
      list.add(s.strip());
    }
    return list;
  }

  private List<String> unreadableTables(Connection c) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT n.nspname || '.' || t.relname FROM pg_class t"
        + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE t.relkind IN ('r', 'p') AND n.nspname = ANY (?)"
        + " AND NOT has_table_privilege(t.oid, 'SELECT') ORDER BY 1")) {
      s.setArray(1, c.createArrayOf("text", schemaList().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    }
    return tables;
  }

  private void ensureHeartbeatTable(Connection c) throws SQLException {
    if (single(c, "SELECT to_regclass('" + heartbeatTable() + "')") != null) {
      return; // created before, perhaps by the schema owner: creating again would need rights the user may lack
    }
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + heartbeatTable()
          + " (source text PRIMARY KEY, beat_at timestamptz NOT NULL)");
    } catch (SQLException e) {
      throw new IllegalStateException("Source '" + name + "': Kaoping needs a heartbeat table to tell when it has caught up"
          + " and to let PostgreSQL free the WAL of quiet tables, and user '" + user + "' cannot create it ("
          + e.getMessage() + "). Create it as the schema owner: CREATE TABLE " + heartbeatTable()
          + " (source text PRIMARY KEY, beat_at timestamptz NOT NULL); GRANT SELECT, INSERT, UPDATE ON "
          + heartbeatTable() + " TO " + user + ";", e);
    }
  }

  /** The heartbeat statement: an upsert of this source's row (also Debezium's heartbeat action query). */
  private String heartbeatSql() {
    return "INSERT INTO " + heartbeatTable() + " (source, beat_at) VALUES ('" + name + "', now())"
        + " ON CONFLICT (source) DO UPDATE SET beat_at = EXCLUDED.beat_at";
  }

  /**
   * The position a catch-up run must reach: the server's WAL insert position now, past every transaction
   * committed so far (the write position can lag behind an asynchronous commit). A heartbeat is written
   * right after, so a change at a later position reaches the stream even when the source is quiet.
   */
  public long catchUpTarget() {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      long target = Lsn.parse(single(c, "SELECT pg_current_wal_insert_lsn()"));
      s.executeUpdate(heartbeatSql());
      return target;
    } catch (SQLException e) {
      throw new IllegalStateException("Source '" + name + "': cannot read the WAL position or write the heartbeat to "
          + heartbeatTable() + ": " + e.getMessage() + ". Grant user '" + user + "' INSERT and UPDATE on it.", e);
    }
  }

  /** Bytes of WAL the replication slot holds back (what PostgreSQL cannot recycle yet); -1 when there is no slot. */
  public long retainedWalBytes() {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM pg_replication_slots WHERE slot_name = ?")) {
      s.setString(1, slotName());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : -1;
      }
    } catch (SQLException e) {
      return -1; // a figure for the summary only: never fail a finished run over it
    }
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Debezium PostgreSQL connector properties for this source. */
  public Properties connectorProperties() {
    Properties p = new Properties();
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("database.hostname", host);
    p.setProperty("database.port", Integer.toString(port));
    p.setProperty("database.user", user);
    p.setProperty("database.password", password == null ? "" : password);
    p.setProperty("database.dbname", database);
    p.setProperty("topic.prefix", name);
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", slotName());
    p.setProperty("publication.name", publicationName());
    p.setProperty("publication.autocreate.mode", "filtered");
    p.setProperty("schema.include.list", schemas);
    p.setProperty("snapshot.mode", "initial");
    p.setProperty("decimal.handling.mode", "string");
    p.setProperty("tombstones.on.delete", "false");
    p.setProperty("max.batch.size", "8192");
    p.setProperty("max.queue.size", "32768");
    // bounded by bytes too: a queue of large row images (long log texts) stays within the heap whatever the row count
    p.setProperty("max.queue.size.in.bytes", Long.toString(128L << 20));
    // Heartbeats write to the source, so a quiet source's slot still advances and PostgreSQL frees its WAL.
    p.setProperty("heartbeat.interval.ms", HEARTBEAT_INTERVAL_MS_DEFAULT);
    p.setProperty("heartbeat.action.query", heartbeatSql());
    // A failure the connector deems retriable (e.g. the slot in use by another run) ends the run after a few tries.
    p.setProperty("errors.max.retries", "3");
    debezium.forEach(p::setProperty);
    return p;
  }
}
