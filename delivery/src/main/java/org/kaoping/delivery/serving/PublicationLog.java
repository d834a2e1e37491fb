package org.kaoping.delivery.serving;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.kaoping.warehouse.TableFiles;
import org.kaoping.warehouse.WarehouseCatalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ops.publication}: every publication of the marts to their readers (serving database, score
 * feed), with everything a published number was computed from, so it can be reproduced years later.
 *
 * <p>A publication counts once its row is here; the serving database keeps its own copy of the record.
 */
public final class PublicationLog {
  public static final TableIdentifier TABLE = WarehouseCatalog.Layer.OPS.table("publication");

  static final Schema SCHEMA = new Schema(
      required(1, "publication_id", Types.LongType.get(), "Increasing number of the publication"),
      required(2, "build_id", Types.StringType.get(), "The build (ops.build_run) whose marts were published"),
      required(3, "published_at", Types.TimestampType.withZone()),
      required(4, "as_of_date", Types.DateType.get(), "The date the published data stands at"),
      required(5, "scheme_name", Types.StringType.get(), "Scoring scheme the scores were computed with"),
      required(6, "scheme_version", Types.StringType.get(), "SHA-256 of the scheme's text"),
      required(7, "scheme_yaml", Types.StringType.get(), "The scheme's text, to recompute the scores"),
      required(8, "table_snapshots", Types.StringType.get(), "JSON: published warehouse table → Iceberg snapshot id"),
      required(9, "raw_snapshots", Types.StringType.get(), "JSON: raw table → snapshot id the build read"),
      required(10, "row_counts", Types.StringType.get(), "JSON: published table → rows"),
      required(11, "checksums", Types.StringType.get(), "JSON: published table → content checksum"),
      optional(12, "refreshed", Types.StringType.get(), "What this publication rewrote (tables and periods)"));

  /** One publication. Maps are ordered by table name. */
  public record Publication(long publicationId, String buildId, OffsetDateTime publishedAt, LocalDate asOfDate,
      String schemeName, String schemeVersion, String schemeYaml, Map<String, Long> tableSnapshots,
      Map<String, Long> rawSnapshots, Map<String, Long> rowCounts, Map<String, String> checksums, String refreshed) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Object COMMITS = new Object();

  private final Table table;

  private PublicationLog(Table table) {
    this.table = table;
  }

  public static PublicationLog open(WarehouseCatalog warehouse) {
    synchronized (COMMITS) {
      return new PublicationLog(warehouse.loadOrCreate(TABLE, SCHEMA, Map.of(TableProperties.FORMAT_VERSION, "2")));
    }
  }

  /** Every publication, oldest first. */
  public List<Publication> all() {
    table.refresh();
    List<Publication> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        out.add(new Publication((Long) r.getField("publication_id"), (String) r.getField("build_id"),
            (OffsetDateTime) r.getField("published_at"), (LocalDate) r.getField("as_of_date"),
            (String) r.getField("scheme_name"), (String) r.getField("scheme_version"), (String) r.getField("scheme_yaml"),
            longs((String) r.getField("table_snapshots")), longs((String) r.getField("raw_snapshots")),
            longs((String) r.getField("row_counts")), strings((String) r.getField("checksums")),
            (String) r.getField("refreshed")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparingLong(Publication::publicationId));
    return out;
  }

  public Optional<Publication> latest() {
    List<Publication> all = all();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  public Optional<Publication> byId(long publicationId) {
    return all().stream().filter(p -> p.publicationId() == publicationId).findFirst();
  }

  /** The next publication id: one more than the latest recorded. */
  public long nextId() {
    return latest().map(p -> p.publicationId() + 1).orElse(1L);
  }

  /** Appends a publication in its own Iceberg commit; refuses an id already recorded. */
  public void append(Publication p) {
    GenericRecord r = GenericRecord.create(SCHEMA);
    r.setField("publication_id", p.publicationId());
    r.setField("build_id", p.buildId());
    r.setField("published_at", p.publishedAt());
    r.setField("as_of_date", p.asOfDate());
    r.setField("scheme_name", p.schemeName());
    r.setField("scheme_version", p.schemeVersion());
    r.setField("scheme_yaml", p.schemeYaml());
    r.setField("table_snapshots", json(p.tableSnapshots()));
    r.setField("raw_snapshots", json(p.rawSnapshots()));
    r.setField("row_counts", json(p.rowCounts()));
    r.setField("checksums", json(p.checksums()));
    r.setField("refreshed", p.refreshed());
    TableFiles.Writer writer = TableFiles.writer(table);
    writer.write(r);
    synchronized (COMMITS) {
      if (byId(p.publicationId()).isPresent()) {
        writer.abandon();
        throw new IllegalStateException("Publication " + p.publicationId() + " is already recorded in " + TABLE);
      }
      table.newAppend().appendFile(writer.finish()).set("kaoping.publication-id", Long.toString(p.publicationId())).commit();
    }
  }

  private static String json(Map<String, ?> m) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Long> longs(String json) {
    try {
      return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Long>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Unreadable " + TABLE + " row: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> strings(String json) {
    try {
      return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Unreadable " + TABLE + " row: " + e.getMessage(), e);
    }
  }
}
