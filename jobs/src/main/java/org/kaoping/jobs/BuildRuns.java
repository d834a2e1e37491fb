package org.kaoping.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseCatalog.Layer;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The builds recorded in {@code ops.build_run}, as readers of the warehouse (publish, bench) need them. */
public final class BuildRuns {
  /** The table every build records itself in. */
  public static final String TABLE = WarehouseBuild.BUILD_RUNS_TABLE;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One recorded build: its id, the as-of date it computed, and the Iceberg snapshots it wrote and read. */
  public record Build(String buildId, LocalDate asOf, Map<String, Long> outputSnapshots, Map<String, Long> rawSnapshots) {}

  /** A build as its record says when it ran: for status pages, which have no Spark session. */
  public record Recorded(String buildId, OffsetDateTime startedAt, OffsetDateTime finishedAt, LocalDate asOf,
      String refreshScope) {}

  private BuildRuns() {}

  /** The build that finished last, read without Spark; empty before the first build. */
  public static Optional<Recorded> lastRecorded(WarehouseCatalog warehouse) {
    if (!warehouse.catalog().tableExists(Layer.OPS.table("build_run"))) {
      return Optional.empty();
    }
    Table table = warehouse.load(Layer.OPS.table("build_run"));
    Recorded last = null;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        OffsetDateTime finished = (OffsetDateTime) r.getField("finished_at");
        if (last == null || finished.isAfter(last.finishedAt())) {
          last = new Recorded((String) r.getField("build_id"), (OffsetDateTime) r.getField("started_at"), finished,
              (LocalDate) r.getField("as_of_date"), (String) r.getField("refresh_scope"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.ofNullable(last);
  }

  /** The build that finished last; empty before the first build. */
  public static Optional<Build> latest(SparkSession spark, WarehouseCatalog warehouse) {
    if (!warehouse.catalog().tableExists(Layer.OPS.table("build_run"))) {
      return Optional.empty();
    }
    Row r = spark.sql("SELECT build_id, as_of_date, output_snapshots, raw_snapshots FROM " + TABLE
        + " ORDER BY finished_at DESC LIMIT 1").first();
    return Optional.of(new Build(r.getString(0), r.getDate(1).toLocalDate(), snapshotIds(r.getString(2)),
        snapshotIds(r.getString(3))));
  }

  /** Every build as readers see it: without the build's own bookkeeping (fingerprints of settings and models). */
  public static Dataset<Row> forReaders(SparkSession spark) {
    return spark.table(TABLE).drop("settings_fingerprint", "model_fingerprints");
  }

  /** Table → snapshot id from the JSON the build recorded (nulls left out). */
  public static Map<String, Long> snapshotIds(String json) {
    Map<String, Long> out = new TreeMap<>();
    try {
      JSON.readTree(json).fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          out.put(e.getKey(), e.getValue().asLong());
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException("Unreadable snapshot JSON: " + json, e);
    }
    return out;
  }
}
