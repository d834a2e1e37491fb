package org.kaoping.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.ServingPublisher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The serving database's embedded PostgreSQL when {@code serving.jdbc-url} is not set: a server of its own in
 * {@code <home>/serving-db}, apart from the demo's sources.
 *
 * <p>Apart because the sources' capture slots retain every byte of WAL written on their server until the capture
 * confirms it, a publish's included (a Linyi-scale publish filled the disk that way). The serving store has no
 * replication, so {@code wal_level = minimal}: its WAL carries no logical-decoding detail and checkpoints recycle it.
 */
public final class EmbeddedServing implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final ServingPublisher.Target target;

  private EmbeddedServing(EmbeddedPostgres postgres, ServingPublisher.Target target) {
    this.postgres = postgres;
    this.target = target;
  }

  /** Where the serving database's files live in a home. */
  public static Path dataDirectory(KaopingConfig config) {
    return config.home().resolve("serving-db");
  }

  /** Starts (creating on first use) the embedded serving server of the configured home, with its roles and database. */
  public static EmbeddedServing start(KaopingConfig config) throws SQLException {
    Path dir = dataDirectory(config);
    EmbeddedPostgres pg;
    try {
      Files.createDirectories(dir);
      pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setServerConfig("wal_level", "minimal")
          .setServerConfig("max_wal_senders", "0") // required by wal_level = minimal
          .setServerConfig("fsync", "on") // zonky turns fsync off by default; a published store must survive a crash
          .setServerConfig("max_connections", "60")
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded serving PostgreSQL in " + dir + ": " + e.getMessage()
          + ". If another Kaoping command uses this home, stop it first, or set serving.jdbc-url.", e);
    }
    try {
      return new EmbeddedServing(pg, Serving.embedded(config, pg.getPort()));
    } catch (SQLException | RuntimeException e) {
      closeQuietly(pg);
      throw e;
    }
  }

  /** The serving database on this server, with the configured writer and reader roles. */
  public ServingPublisher.Target target() {
    return target;
  }

  public int port() {
    return postgres.getPort();
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException | RuntimeException e) {
      // already failing; the caller reports the first error
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
