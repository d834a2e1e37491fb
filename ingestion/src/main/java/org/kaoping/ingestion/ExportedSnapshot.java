package org.kaoping.ingestion;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A snapshot of the source exported for the initial load's readers, alive until closed.
 *
 * <p>The first load creates the replication slot and exports the snapshot of its consistent point
 * (on a replication connection, which must stay idle while the snapshot is imported), so the rows read
 * and the changes streamed from the slot meet exactly. A resumed load finds the slot and exports a
 * fresh snapshot from an ordinary transaction; {@link LoadedChunks} reconciles the two.
 */
final class ExportedSnapshot implements AutoCloseable {
  private final Connection connection;
  private final String name;
  private final long slotLsn;
  private final boolean createdSlot;

  private ExportedSnapshot(Connection connection, String name, long slotLsn, boolean createdSlot) {
    this.connection = connection;
    this.name = name;
    this.slotLsn = slotLsn;
    this.createdSlot = createdSlot;
  }

  static ExportedSnapshot open(SourceConnection source) throws SQLException {
    Long confirmed = null;
    boolean exists;
    int version;
    try (Connection c = source.connect();
         PreparedStatement ps = c.prepareStatement("SELECT confirmed_flush_lsn::text, current_setting('server_version_num')::int"
             + " FROM (SELECT 1) one LEFT JOIN pg_replication_slots ON slot_name = ?")) {
      ps.setString(1, source.slotName());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        exists = rs.getString(1) != null;
        confirmed = exists ? Lsn.parse(rs.getString(1)) : null;
        version = rs.getInt(2);
      }
    }
    if (exists) {
      Connection c = source.connect();
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
        rs.next();
        return new ExportedSnapshot(c, rs.getString(1), confirmed, false);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    }
    Properties props = source.connectionProperties();
    props.setProperty("replication", "database");
    props.setProperty("preferQueryMode", "simple");
    props.setProperty("assumeMinServerVersion", "10");
    Connection c = DriverManager.getConnection(source.jdbcUrl(), props);
    String slot = "\"" + source.slotName() + "\"";
    String sql = version >= 150000 ? "CREATE_REPLICATION_SLOT " + slot + " LOGICAL pgoutput (SNAPSHOT 'export')"
        : "CREATE_REPLICATION_SLOT " + slot + " LOGICAL pgoutput EXPORT_SNAPSHOT";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return new ExportedSnapshot(c, rs.getString("snapshot_name"), Lsn.parse(rs.getString("consistent_point")), true);
    } catch (SQLException e) {
      c.close();
      throw new SQLException("cannot create replication slot " + source.slotName() + ": " + e.getMessage(), e);
    }
  }

  /** The name readers pass to {@code SET TRANSACTION SNAPSHOT}. */
  String name() {
    return name;
  }

  /** Where streaming from the slot starts: its consistent point, or where a resumed load found it. */
  long slotLsn() {
    return slotLsn;
  }

  /** True when this load created the slot (its snapshot is the slot's); false when a resumed load found it. */
  boolean createdSlot() {
    return createdSlot;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
