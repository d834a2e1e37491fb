package org.kaoping.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (binaries from Maven) holding the demo's two operational databases,
 * {@code worklog} and {@code approval}, with logical decoding on for Debezium.
 *
 * <p>The data directory survives restarts, so a second demo run continues the same databases
 * and replication slots.
 */
public final class EmbeddedSourceServer implements AutoCloseable {
  /** The demo's operational databases, each with its DDL resource. */
  public enum SourceDatabase {
    WORKLOG("worklog"), APPROVAL("approval");

    private final String database;

    SourceDatabase(String database) {
      this.database = database;
    }

    public String database() {
      return database;
    }
  }

  public static final String USER = "postgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedSourceServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts (creating if needed) the server whose data lives in {@code dataDirectory}. */
  public static EmbeddedSourceServer start(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setServerConfig("wal_level", "logical")
          .setServerConfig("max_wal_senders", "10")
          .setServerConfig("max_replication_slots", "10")
          .setServerConfig("fsync", "on") // zonky turns fsync off by default; the demo's data must survive a crash
          .setServerConfig("max_connections", "60")
          .setPGStartupWait(java.time.Duration.ofSeconds(60))
          .start();
      return new EmbeddedSourceServer(pg);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage()
          + ". If another Kaoping run uses that directory, stop it first.", e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl(SourceDatabase db) {
    return jdbcUrl(db.database());
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=" + USER;
  }

  public Connection connect(SourceDatabase db) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(db));
  }

  /** Creates a database if it does not exist. */
  public void createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres")); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("CREATE DATABASE " + name);
    }
  }

  /** Drops a database if it exists (its connections closed); returns whether it existed. */
  public boolean dropDatabaseIfPresent(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres")); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'")) {
        if (!rs.next()) {
          return false;
        }
      }
      s.execute("DROP DATABASE \"" + name.replace("\"", "\"\"") + "\" WITH (FORCE)");
      return true;
    }
  }

  /** The demo's target database of the cadre-management feed (kaoping feed deliver). */
  public static final String FEED_DATABASE = "cadre";

  /** Creates the feed's demo target database if missing and returns its JDBC URL (user {@value #USER}). */
  public String ensureFeedDatabase() throws SQLException {
    createDatabase(FEED_DATABASE);
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + FEED_DATABASE;
  }

  /** Creates both databases and their tables if missing; returns true when it created them. */
  public boolean ensureSourceSchemas() throws SQLException {
    boolean created = false;
    for (SourceDatabase db : SourceDatabase.values()) {
      createDatabase(db.database());
      try (Connection c = connect(db); Statement s = c.createStatement()) {
        boolean exists;
        try (ResultSet rs = s.executeQuery("SELECT to_regclass('public." + firstTable(db) + "') IS NOT NULL")) {
          rs.next();
          exists = rs.getBoolean(1);
        }
        if (!exists) {
          s.execute(ddl(db));
          created = true;
        }
        // Demo bookkeeping lives outside the captured 'public' schema.
        s.execute("CREATE SCHEMA IF NOT EXISTS demo");
        s.execute("CREATE TABLE IF NOT EXISTS demo.state (id int PRIMARY KEY, as_of timestamp NOT NULL,"
            + " seed bigint NOT NULL, units int NOT NULL, year int NOT NULL)");
      }
    }
    return created;
  }

  /** What the demo databases hold: the world's scale and the instant they were loaded to. */
  public record LoadedState(LocalDateTime asOf, DemoScale scale) {}

  /** The demo's loaded state, or null when the databases are empty. */
  public LoadedState loadedState() throws SQLException {
    try (Connection c = connect(SourceDatabase.WORKLOG); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT as_of, seed, units, year FROM demo.state WHERE id = 1")) {
      return rs.next() ? new LoadedState(rs.getTimestamp(1).toLocalDateTime(),
          new DemoScale(rs.getLong(2), rs.getInt(3), rs.getInt(4))) : null;
    }
  }

  public void recordLoadedState(LoadedState state) throws SQLException {
    try (Connection c = connect(SourceDatabase.WORKLOG);
         var ps = c.prepareStatement("INSERT INTO demo.state VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
             + " SET as_of = excluded.as_of, seed = excluded.seed, units = excluded.units, year = excluded.year")) {
      ps.setTimestamp(1, Timestamp.valueOf(state.asOf()));
      ps.setLong(2, state.scale().seed());
      ps.setInt(3, state.scale().units());
      ps.setInt(4, state.scale().year());
      ps.executeUpdate();
    }
  }

  private static String firstTable(SourceDatabase db) {
    return db == SourceDatabase.WORKLOG ? "unit" : "service_item";
  }

  /** The DDL of a source database (a classpath resource beside this class). */
  public static String ddl(SourceDatabase db) {
    try (InputStream in = EmbeddedSourceServer.class.getResourceAsStream(db.database() + ".sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
