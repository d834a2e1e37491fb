package org.kaoping.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.demo.EmbeddedSourceServer;

/** Where {@code kaoping publish} writes: the configured serving database, or database {@code serving} of the embedded serving server. */
public final class Serving {
  static final String EMBEDDED_DATABASE = "serving";

  private Serving() {}

  /** The configured serving database ({@code serving.jdbc-url} set). */
  public static ServingPublisher.Target configured(KaopingConfig config) {
    return config.serving().target();
  }

  /**
   * Database {@code serving} of an embedded server on {@code port} (created if missing), with the writer role owning it
   * and the reader role (the embedded servers trust local connections, so neither needs a password).
   */
  public static ServingPublisher.Target embedded(KaopingConfig config, int port) throws SQLException {
    String writer = config.servingUser();
    String reader = config.servingReader();
    String admin = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + EmbeddedSourceServer.USER;
    try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
      for (String role : new String[] {writer, reader}) {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role.replace("'", "''") + "'")) {
          if (!rs.next()) {
            s.execute("CREATE ROLE \"" + role.replace("\"", "\"\"") + "\" LOGIN" + (role.equals(writer) ? " CREATEROLE" : ""));
          }
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + EMBEDDED_DATABASE + "'")) {
        if (!rs.next()) {
          s.execute("CREATE DATABASE " + EMBEDDED_DATABASE + " OWNER \"" + writer.replace("\"", "\"\"") + "\"");
        }
      }
    }
    return new ServingPublisher.Target("jdbc:postgresql://127.0.0.1:" + port + "/" + EMBEDDED_DATABASE, writer, null, reader,
        config.servingReaderPassword());
  }

  /** How an analyst connects read-only. */
  public static String howToConnect(ServingPublisher.Target target) {
    return "Serving database: " + target.jdbcUrl() + " — read-only user " + target.readerRole()
        + ", views in schema " + ServingPublisher.SCHEMA + " (e.g. SELECT * FROM kaoping.metrics_by_period)";
  }

  /** The serving database as its read-only role sees it: reports never write. */
  public static org.kaoping.dashboards.report.ReportGenerator.ServingConnection reportReader(ServingPublisher.Target serving) {
    return new org.kaoping.dashboards.report.ReportGenerator.ServingConnection(serving.jdbcUrl(), serving.readerRole(),
        serving.readerPassword());
  }
}
