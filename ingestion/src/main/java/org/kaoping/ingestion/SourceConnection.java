package org.kaoping.ingestion;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

  /**
   * Connects once to fail early with a sentence: unreachable server, wrong credentials, or a
   * server without logical decoding.
   */
  void verify() {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", "10");
    try (Connection c = DriverManager.getConnection(jdbcUrl(), props); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW wal_level")) {
      rs.next();
      if (!"logical".equals(rs.getString(1))) {
        throw new IllegalStateException("Source '" + name + "' (" + jdbcUrl() + ") has wal_level=" + rs.getString(1)
            + "; change capture needs wal_level=logical in postgresql.conf (then restart PostgreSQL).");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot connect to source '" + name + "' at " + jdbcUrl() + " as '" + user + "': "
          + e.getMessage() + ". Check the source." + name + ".* settings and that the server is running.", e);
    }
  }

  /** Debezium PostgreSQL connector properties for this source. */
  Properties connectorProperties() {
    Properties p = new Properties();
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("database.hostname", host);
    p.setProperty("database.port", Integer.toString(port));
    p.setProperty("database.user", user);
    p.setProperty("database.password", password == null ? "" : password);
    p.setProperty("database.dbname", database);
    p.setProperty("topic.prefix", name);
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", "kaoping_" + name);
    p.setProperty("publication.name", "kaoping_" + name);
    p.setProperty("publication.autocreate.mode", "filtered");
    p.setProperty("schema.include.list", schemas);
    p.setProperty("snapshot.mode", "initial");
    p.setProperty("decimal.handling.mode", "string");
    p.setProperty("tombstones.on.delete", "false");
    p.setProperty("max.batch.size", "8192");
    p.setProperty("max.queue.size", "32768");
    debezium.forEach(p::setProperty);
    return p;
  }
}
