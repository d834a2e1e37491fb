package org.kaoping.delivery.serving;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.kaoping.delivery.serving.PublicationLog.Publication;
import org.kaoping.jobs.BuildRuns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code kaoping.publication} in the serving database: the readers' copy of each publication's record. */
final class PublicationTable {
  static final String TABLE = ServingPublisher.SCHEMA + ".publication";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PublicationTable() {}

  static String ddl() {
    return "CREATE TABLE IF NOT EXISTS " + TABLE + " (publication_id bigint PRIMARY KEY, build_id text NOT NULL,"
        + " published_at timestamptz NOT NULL, as_of_date date NOT NULL, scheme_name text NOT NULL, scheme_version text NOT NULL,"
        + " scheme_yaml text NOT NULL, table_snapshots jsonb NOT NULL, raw_snapshots jsonb NOT NULL, row_counts jsonb NOT NULL,"
        + " checksums jsonb NOT NULL, refreshed text)";
  }

  /** Inserts {@code p}, in the caller's transaction. */
  static void insert(Connection c, Publication p) throws SQLException {
    try (PreparedStatement rec = c.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?, ?, ?, ?, ?, ?,"
        + " ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?)")) {
      rec.setLong(1, p.publicationId());
      rec.setString(2, p.buildId());
      rec.setObject(3, p.publishedAt());
      rec.setObject(4, p.asOfDate());
      rec.setString(5, p.schemeName());
      rec.setString(6, p.schemeVersion());
      rec.setString(7, p.schemeYaml());
      rec.setString(8, JSON.writeValueAsString(p.tableSnapshots()));
      rec.setString(9, JSON.writeValueAsString(p.rawSnapshots()));
      rec.setString(10, JSON.writeValueAsString(p.rowCounts()));
      rec.setString(11, JSON.writeValueAsString(p.checksums()));
      rec.setString(12, p.refreshed());
      rec.executeUpdate();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Publication {@code id} as the serving database recorded it. */
  static Optional<Publication> read(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT build_id, published_at, as_of_date, scheme_name, scheme_version,"
        + " scheme_yaml, table_snapshots::text, raw_snapshots::text, row_counts::text, checksums::text, refreshed FROM "
        + TABLE + " WHERE publication_id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Publication(id, rs.getString(1), rs.getObject(2, OffsetDateTime.class),
            rs.getObject(3, LocalDate.class), rs.getString(4), rs.getString(5), rs.getString(6),
            BuildRuns.snapshotIds(rs.getString(7)), BuildRuns.snapshotIds(rs.getString(8)), BuildRuns.snapshotIds(rs.getString(9)),
            strings(rs.getString(10)), rs.getString(11)));
      }
    }
  }

  /** The build publication {@code id} published, or null. */
  static String buildOf(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT build_id FROM " + TABLE + " WHERE publication_id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static Map<String, String> strings(String json) {
    Map<String, String> out = new TreeMap<>();
    try {
      JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    } catch (IOException e) {
      throw new IllegalStateException("Unreadable checksum JSON: " + json, e);
    }
    return out;
  }
}
