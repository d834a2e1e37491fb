package org.kaoping.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseCatalog.Layer;

/**
 * The current state of each raw table, {@code current.<source>_<table>}: the latest raw event per key (stream
 * order = event_seq), its row image with the configured column map applied, a delete kept as a tombstone, and the
 * image parsed once into the typed columns the models read ({@link RowImages}; a struct, null for a delete).
 *
 * <p>Raw stays the append-only audit log. A build brings each current table from the raw snapshot it last
 * reflected to the raw snapshot the build pinned by reading only the events appended in between (an Iceberg
 * incremental read) and merging the latest of them per key, so the cost follows the changes, not the history.
 * Compaction ({@code kaoping maintain}) commits {@code replace} snapshots, which rewrite files without adding
 * events: the incremental read skips them. It rebuilds from every raw event instead when asked ({@code --full}),
 * when the table is new, when the raw snapshot it reflected is no longer an ancestor of the pinned one (expired,
 * or rolled back by ingest recovery), when anything but appends and compactions happened in between, when the
 * raw table's columns changed, or when its column map or the typed columns the models read changed.
 *
 * <p>A rebuild finds the latest events without sorting every event: only the events of keys seen more than once are
 * ranked (after an initial load nearly every key has one event, and those keys are few enough to broadcast).
 *
 * <p>The merge writes delete files ({@link MergeOnRead}): a day's changes touch keys in files of every age.
 *
 * <p>Tombstones keep a merge exact whatever the order of events: an event older than a key's delete can never
 * bring the row back, as in a rebuild from all events. {@code latest_<raw table>} views read the live rows.
 */
final class CurrentState {
  /** Table property: the raw snapshot id this table reflects. */
  static final String RAW_SNAPSHOT_PROPERTY = "kaoping.raw-snapshot-id";
  /** Table property: the column map applied to its row images. */
  static final String COLUMN_MAP_PROPERTY = "kaoping.column-map";
  /** Table property: the typed image columns ({@link RowImages}) it holds, as DDL. */
  static final String IMAGE_PROPERTY = "kaoping.image-columns";
  /** Table property: every row schema the raw events it reflects carry, one per line ({@link SchemaDrift}). */
  static final String ROW_SCHEMAS_PROPERTY = "kaoping.row-schemas";

  /**
   * How one current table was brought up to date: {@code events} read from raw, why a rebuild if it was one, and
   * the row schemas of every raw event it reflects (null: not recorded, a table of an earlier version).
   */
  record Refresh(String table, long snapshotId, long events, String rebuildReason, Set<String> rowSchemas) {
    String describe() {
      return table + ": " + (rebuildReason != null ? "rebuilt from all " + events + " raw events (" + rebuildReason + ")"
          : events == 0 ? "up to date" : "merged " + events + " new raw events");
    }
  }

  private final SparkSession spark;
  private final WarehouseCatalog warehouse;

  CurrentState(SparkSession spark, WarehouseCatalog warehouse) {
    this.spark = spark;
    this.warehouse = warehouse;
  }

  /**
   * Brings {@code current.<rawTable>} up to raw snapshot {@code pinned}.
   *
   * @param columnMap model column → source column, applied to the row images (see {@link ColumnMaps})
   * @param image     the typed columns the models read from its live rows ({@link RowImages}); empty: none
   * @param full      rebuild from every raw event whatever the table reflects
   */
  Refresh refresh(String rawTable, long pinned, Map<String, String> columnMap, StructType image, boolean full) {
    TableIdentifier id = Layer.CURRENT.table(rawTable);
    String name = id.toString();
    String mapText = new TreeMap<>(columnMap).toString();
    String imageText = image.toDDL();
    String reason = full ? "requested" : rebuildReason(rawTable, id, pinned, mapText, imageText);
    if (reason != null) {
      Dataset<Row> all = typed(ColumnMaps.apply(spark.read().option("versionAsOf", pinned).table("raw." + rawTable),
          columnMap), image);
      Set<String> schemas = rowSchemas(all, Set.of());
      latestOf(all).writeTo(name).tableProperty("format-version", "2")
          .tableProperty(RAW_SNAPSHOT_PROPERTY, Long.toString(pinned)).tableProperty(COLUMN_MAP_PROPERTY, mapText)
          .tableProperty(IMAGE_PROPERTY, imageText).tableProperty(ROW_SCHEMAS_PROPERTY, String.join("\n", schemas))
          .createOrReplace();
      // the events read, from the raw snapshot's own count rather than a second scan of the whole history
      long events = Long.parseLong(warehouse.load(Layer.RAW.table(rawTable)).snapshot(pinned).summary()
          .getOrDefault("total-records", "0"));
      return new Refresh(name, warehouse.currentSnapshotId(name), events, reason, schemas);
    }
    Table table = warehouse.load(id);
    long from = Long.parseLong(table.properties().get(RAW_SNAPSHOT_PROPERTY));
    String recorded = table.properties().get(ROW_SCHEMAS_PROPERTY);
    Set<String> known = recorded == null ? null
        : recorded.isEmpty() ? Set.of() : new TreeSet<>(List.of(recorded.split("\n")));
    if (from == pinned) {
      return new Refresh(name, warehouse.currentSnapshotId(name), 0, null, known);
    }
    Dataset<Row> appended = typed(ColumnMaps.apply(spark.read().option("start-snapshot-id", from)
        .option("end-snapshot-id", pinned).table("raw." + rawTable), columnMap), image).localCheckpoint();
    long events = appended.count();
    if (events > 0) {
      MergeOnRead.ensure(spark, table, name);
      Dataset<Row> latest = latestOf(appended);
      latest.createOrReplaceTempView("current_refresh_latest");
      String mayMatch = KeyFilter.register(spark, "current_refresh_may_match", latest, List.of("key_json"), "t");
      // a key's event replaces its row only when later in the stream; a delete stays as a tombstone
      spark.sql("MERGE INTO " + name + " t USING current_refresh_latest s ON t.key_json <=> s.key_json AND " + mayMatch
          + " WHEN MATCHED AND s.event_seq > t.event_seq THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
    }
    // after the merge: a crash in between leaves the older id, and merging the same events again changes nothing
    // a table of an earlier version records none: read them once from every event, then keep them up to date
    Set<String> schemas = known == null ? rowSchemas(ColumnMaps.apply(spark.read().option("versionAsOf", pinned)
        .table("raw." + rawTable), columnMap), Set.of()) : events == 0 ? known : rowSchemas(appended, known);
    warehouse.load(id).updateProperties().set(RAW_SNAPSHOT_PROPERTY, Long.toString(pinned))
        .set(ROW_SCHEMAS_PROPERTY, String.join("\n", schemas)).commit();
    return new Refresh(name, warehouse.currentSnapshotId(name), events, null, schemas);
  }

  /** Why the current table cannot be brought up to {@code pinned} from the events appended since it was; null: it can. */
  private String rebuildReason(String rawTable, TableIdentifier id, long pinned, String mapText, String imageText) {
    if (!warehouse.catalog().tableExists(id)) {
      return "first build";
    }
    Table current = warehouse.load(id);
    String from = current.properties().get(RAW_SNAPSHOT_PROPERTY);
    if (from == null || current.currentSnapshot() == null) {
      return "it records no raw snapshot";
    }
    if (!mapText.equals(current.properties().get(COLUMN_MAP_PROPERTY))) {
      return "the column map changed";
    }
    if (!imageText.equals(current.properties().get(IMAGE_PROPERTY))) {
      return "the typed columns the models read changed";
    }
    Table raw = warehouse.load(Layer.RAW.table(rawTable));
    List<String> rawColumns = List.of(spark.table("raw." + rawTable).columns());
    List<String> currentColumns = new ArrayList<>(List.of(spark.table(id.toString()).columns()));
    currentColumns.remove(RowImages.COLUMN);
    if (!currentColumns.equals(rawColumns)) {
      return "the raw table's columns changed";
    }
    long fromId = Long.parseLong(from);
    if (fromId == pinned) {
      return null;
    }
    return appendsBetween(raw, fromId, pinned);
  }

  /**
   * Null when raw snapshot {@code to} follows {@code from} by appends and compactions only, so that an incremental
   * read between them holds every event added in between; otherwise why not.
   */
  static String appendsBetween(Table raw, long from, long to) {
    if (raw.snapshot(from) == null || !SnapshotUtil.isAncestorOf(raw, to, from)) {
      return "raw snapshot " + from + " is gone or no longer in " + raw.name() + "'s history";
    }
    for (Snapshot s : SnapshotUtil.ancestorsBetween(raw, to, from)) {
      if (!DataOperations.APPEND.equals(s.operation()) && !DataOperations.REPLACE.equals(s.operation())) {
        return "raw snapshot " + s.snapshotId() + " of " + raw.name() + " is a " + s.operation() + ", not an append";
      }
    }
    return null;
  }

  /** {@code known} and the row schemas {@code events} carry, sorted (one pass over a column of repeated values). */
  private static Set<String> rowSchemas(Dataset<Row> events, Set<String> known) {
    Set<String> schemas = new TreeSet<>(known);
    if (List.of(events.columns()).contains(RawChangeTable.ROW_SCHEMA)) {
      events.where(functions.col(RawChangeTable.ROW_SCHEMA).isNotNull()).select(RawChangeTable.ROW_SCHEMA).distinct()
          .collectAsList().forEach(r -> schemas.add(r.getString(0)));
    }
    return schemas;
  }

  /** The events with their row image parsed into {@code image} (no column when no model reads the table). */
  private static Dataset<Row> typed(Dataset<Row> events, StructType image) {
    return image.isEmpty() ? events
        : events.withColumn(RowImages.COLUMN, functions.from_json(functions.col("after_json"), image));
  }

  /**
   * The latest event per key, deletes included (stream order = event_seq; an event delivered twice counts once).
   * Only the events of keys seen more than once are ranked, found from the keys alone: after an initial load nearly
   * every key has one event, so the whole history is never sorted.
   */
  private Dataset<Row> latestOf(Dataset<Row> events) {
    events.createOrReplaceTempView("current_refresh_events");
    spark.sql("SELECT key_json FROM current_refresh_events GROUP BY key_json HAVING count(*) > 1")
        .createOrReplaceTempView("current_refresh_repeated");
    return spark.sql("SELECT e.* FROM current_refresh_events e LEFT ANTI JOIN current_refresh_repeated m"
        + " ON e.key_json <=> m.key_json").unionAll(spark.sql("SELECT * FROM (SELECT e.*, row_number() OVER (PARTITION BY"
        + " e.key_json ORDER BY e.event_seq DESC) AS event_rank FROM current_refresh_events e LEFT SEMI JOIN"
        + " current_refresh_repeated m ON e.key_json <=> m.key_json) WHERE event_rank = 1").drop("event_rank"));
  }

  /** The live rows of a current table at one of its snapshots: what {@code latest_<raw table>} shows. */
  Dataset<Row> live(String table, long snapshotId) {
    return spark.read().option("versionAsOf", snapshotId).table(table).where("op <> 'd'");
  }
}
