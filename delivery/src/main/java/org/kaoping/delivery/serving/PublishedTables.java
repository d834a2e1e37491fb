package org.kaoping.delivery.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.kaoping.jobs.BuildRuns;
import org.kaoping.jobs.PublishedModels;
import org.kaoping.jobs.SqlModel;
import org.kaoping.jobs.quality.ReconciliationLog;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseCatalog.Layer;

/** What is published: the marts at a build's snapshots, and the operational tables (models in {@link PublishedModels}). */
final class PublishedTables {
  /** Tables whose snapshots every publication records (the scores' inputs, for {@code kaoping reproduce}). */
  static final List<String> SCORE_TABLES = List.of("mart.unit_score_inputs", "mart.person_score_inputs",
      "mart.unit_score_by_period", "mart.person_score_by_period", "mart.score_indicator_points");

  private final SparkSession spark;
  private final WarehouseCatalog warehouse;

  PublishedTables(SparkSession spark, WarehouseCatalog warehouse) {
    this.spark = spark;
    this.warehouse = warehouse;
  }

  /** Every published table, the marts read at the snapshots the build recorded in {@code outputs}. */
  List<PublishedTable> read(Map<String, Long> outputs) {
    List<PublishedTable> out = new ArrayList<>();
    for (SqlModel m : PublishedModels.marts()) {
      Long snapshot = outputs.get(m.table());
      if (snapshot == null) {
        throw new IllegalStateException("The latest build recorded no snapshot of " + m.table() + ": run 'kaoping build' again.");
      }
      Dataset<Row> data = spark.read().option("versionAsOf", snapshot).table(m.table());
      out.add(new PublishedTable(m.table(), m.table().substring(m.table().indexOf('.') + 1), m, data, snapshot));
    }
    out.add(new PublishedTable(BuildRuns.TABLE, "ops_build_run", PublishedModels.BUILD_RUN, BuildRuns.forReaders(spark),
        null));
    out.add(new PublishedTable("ops.ingest_checkpoint", "ops_ingestion_lag", PublishedModels.INGESTION_LAG,
        ingestionLag().localCheckpoint(), null)); // read once: checksum and copy see the same rows
    out.add(new PublishedTable(ReconciliationLog.TABLE.toString(), "ops_reconciliation", PublishedModels.RECONCILIATION,
        latestReconciliation(), null));
    return out;
  }

  /** Snapshot of every table read (and the score tables, always), to record and tag. */
  Map<String, Long> snapshots(List<PublishedTable> tables, Map<String, Long> outputs) {
    Map<String, Long> out = new TreeMap<>();
    for (PublishedTable t : tables) {
      Long s = outputs.get(t.source());
      out.put(t.source(), s != null ? s : warehouse.currentSnapshotId(t.source()));
    }
    for (String t : SCORE_TABLES) {
      out.putIfAbsent(t, outputs.get(t));
    }
    out.entrySet().removeIf(e -> e.getValue() == null);
    return out;
  }

  /** Each table's latest reconcile result; no rows before the first {@code kaoping reconcile}. */
  private Dataset<Row> latestReconciliation() {
    if (!warehouse.catalog().tableExists(ReconciliationLog.TABLE)) {
      return spark.createDataFrame(List.of(), SparkSchemaUtil.convert(ReconciliationLog.SCHEMA));
    }
    return spark.sql("SELECT *, row_number() OVER (PARTITION BY source_table ORDER BY reconciled_at DESC) AS run_rank FROM "
        + ReconciliationLog.TABLE).where("run_rank = 1").drop("run_rank");
  }

  private Dataset<Row> ingestionLag() {
    List<String> selects = new ArrayList<>();
    for (TableIdentifier raw : warehouse.tables(Layer.RAW)) {
      Optional<RawTableStats.Stats> stats = RawTableStats.of(warehouse.load(raw));
      selects.add(stats.map(s -> "SELECT '" + raw.name() + "' AS raw_table, " + (s.committedAtMicros() == null
          ? "CAST(NULL AS TIMESTAMP)" : "timestamp_micros(" + s.committedAtMicros() + "L)") + " AS committed_at, CAST("
          + s.events() + " AS BIGINT) AS events").orElse("SELECT '" + raw.name() + "' AS raw_table, max(source_committed_at)"
          + " AS committed_at, count(*) AS events FROM raw." + raw.name()));
    }
    String rawStats = selects.isEmpty() ? "SELECT CAST(NULL AS STRING) AS raw_table, CAST(NULL AS TIMESTAMP) AS committed_at,"
        + " CAST(0 AS BIGINT) AS events WHERE false" : String.join(" UNION ALL ", selects);
    if (!warehouse.catalog().tableExists(Layer.OPS.table("ingest_checkpoint"))) {
      return spark.sql("SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS TIMESTAMP) AS last_checkpoint_at,"
          + " CAST(0 AS BIGINT) AS batches, CAST(NULL AS TIMESTAMP) AS latest_source_commit_at,"
          + " CAST(0 AS BIGINT) AS events_captured, CAST(NULL AS BIGINT) AS capture_lag_seconds WHERE false");
    }
    return spark.sql("WITH cp AS (SELECT source, max(committed_at) AS last_checkpoint_at, count(*) AS batches"
        + " FROM ops.ingest_checkpoint GROUP BY source), raw AS (" + rawStats + ")"
        + " SELECT cp.source, cp.last_checkpoint_at, cp.batches, max(raw.committed_at) AS latest_source_commit_at,"
        + " coalesce(sum(raw.events), 0) AS events_captured,"
        + " CAST(unix_timestamp(cp.last_checkpoint_at) - unix_timestamp(max(raw.committed_at)) AS BIGINT) AS capture_lag_seconds"
        + " FROM cp LEFT JOIN raw ON raw.raw_table LIKE concat(cp.source, '\\_%')"
        + " GROUP BY cp.source, cp.last_checkpoint_at, cp.batches");
  }
}
