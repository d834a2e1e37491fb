package org.kaoping.warehouse;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.Map;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * The raw layer: one append-only table of change events per source table, named
 * {@code raw.<source>_<table>}. Row images are kept as JSON so a source schema change never
 * blocks capture; staging types them.
 */
public final class RawChangeTable {
  /** Table property naming the source system a raw table belongs to. */
  public static final String SOURCE_PROPERTY = "kaoping.source";
  /** Table property naming the captured source table ({@code schema.table}). */
  public static final String SOURCE_TABLE_PROPERTY = "kaoping.source-table";
  /**
   * Table property set while a snapshot of a table added to the capture is asked for but not yet
   * committed: such a table still counts as never captured, even if streamed events reached it.
   */
  public static final String SNAPSHOT_PENDING_PROPERTY = "kaoping.snapshot-pending";
  /** Snapshot summary key: the ingest batch a snapshot's files belong to. */
  public static final String BATCH_SEQ_SUMMARY = "kaoping.batch-seq";
  /** Column holding each event's row-image schema, so a renamed or retyped source column is visible in raw. */
  public static final String ROW_SCHEMA = "row_schema";

  public static final Schema SCHEMA = new Schema(
      required(1, "event_seq", Types.LongType.get(), "Position in the source's change stream as ingested; strictly increasing"),
      required(2, "op", Types.StringType.get(), "c insert, u update, d delete, r snapshot read"),
      optional(3, "source_lsn", Types.LongType.get(), "PostgreSQL WAL position of the change"),
      optional(4, "source_commit_lsn", Types.LongType.get(), "WAL position of the last commit before the change, as Debezium reports it"),
      optional(5, "source_tx_id", Types.LongType.get(), "Source transaction id"),
      optional(6, "source_committed_at", Types.TimestampType.withZone(), "When the source transaction committed"),
      required(7, "is_snapshot", Types.BooleanType.get(), "Read by the initial snapshot rather than streamed"),
      optional(8, "key_json", Types.StringType.get(), "Primary key of the row, JSON"),
      optional(9, "before_json", Types.StringType.get(), "Row image before the change (key only unless REPLICA IDENTITY FULL)"),
      optional(10, "after_json", Types.StringType.get(), "Row image after the change; null for deletes"),
      required(11, "batch_seq", Types.LongType.get(), "Ingest batch (see ops.ingest_checkpoint)"),
      required(12, "ingested_at", Types.TimestampType.withZone(), "When Kaoping committed the event"),
      optional(13, ROW_SCHEMA, Types.StringType.get(), "Columns of the row image as the source sent them:"
          + " name:type[/logical type], comma-separated (see RowSchema); null in events captured before it was recorded"));

  private RawChangeTable() {}

  public static TableIdentifier identifier(String source, String sourceTable) {
    String table = sourceTable.contains(".") ? sourceTable.substring(sourceTable.indexOf('.') + 1) : sourceTable;
    return WarehouseCatalog.Layer.RAW.table(source + "_" + table);
  }

  /**
   * Loads (creating if needed) the raw table of {@code sourceTable}, adding by schema evolution the
   * columns that raw tables written by an earlier version lack; their old rows read those as null.
   */
  public static Table open(WarehouseCatalog warehouse, String source, String sourceTable) {
    Table table = warehouse.loadOrCreate(identifier(source, sourceTable), SCHEMA, properties(source, sourceTable));
    if (table.schema().findField(ROW_SCHEMA) == null) {
      Types.NestedField f = SCHEMA.findField(ROW_SCHEMA);
      try {
        table.updateSchema().addColumn(f.name(), f.type(), f.doc()).commit();
      } catch (org.apache.iceberg.exceptions.CommitFailedException | IllegalArgumentException e) {
        table.refresh(); // another writer added it first
      }
      table.refresh();
    }
    return table;
  }

  public static Map<String, String> properties(String source, String sourceTable) {
    return Map.of(
        SOURCE_PROPERTY, source,
        SOURCE_TABLE_PROPERTY, sourceTable,
        TableProperties.FORMAT_VERSION, "2",
        TableProperties.PARQUET_COMPRESSION, "zstd");
  }
}
