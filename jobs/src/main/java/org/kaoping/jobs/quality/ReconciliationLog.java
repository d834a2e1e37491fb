package org.kaoping.jobs.quality;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Types;
import org.kaoping.warehouse.TableFiles;
import org.kaoping.warehouse.WarehouseCatalog;

/** {@code ops.reconciliation}: each {@code kaoping reconcile} run's result per source table, one commit per run. */
public final class ReconciliationLog {
  public static final TableIdentifier TABLE = WarehouseCatalog.Layer.OPS.table("reconciliation");

  public static final Schema SCHEMA = new Schema(
      required(1, "reconciled_at", Types.TimestampType.withZone(), "When the run compared the tables"),
      required(2, "source_table", Types.StringType.get(), "source.table compared"),
      required(3, "source_rows", Types.LongType.get(), "Rows in the source table"),
      required(4, "staging_rows", Types.LongType.get(), "Rows of it in staging"),
      required(5, "excluded_rows", Types.LongType.get(), "Rows of it set aside as EXCLUDED (ops.rejected_rows)"),
      required(6, "checksums_match", Types.BooleanType.get(), "Source checksum = staging + excluded checksum"),
      required(7, "is_ok", Types.BooleanType.get(), "Checksums match and source rows = staging + excluded rows"),
      optional(8, "differing_keys", Types.StringType.get(), "Up to five keys that differ, each with what is wrong"));

  /** One table's result. */
  public record Entry(String sourceTable, long sourceRows, long stagingRows, long excludedRows, boolean checksumsMatch,
      boolean ok, List<String> differingKeys) {}

  private final Table table;

  private ReconciliationLog(Table table) {
    this.table = table;
  }

  public static ReconciliationLog open(WarehouseCatalog warehouse) {
    return new ReconciliationLog(warehouse.loadOrCreate(TABLE, SCHEMA, Map.of(TableProperties.FORMAT_VERSION, "2")));
  }

  /** Records one run: every table's result in a single Iceberg commit. */
  public void append(OffsetDateTime reconciledAt, List<Entry> entries) {
    TableFiles.Writer writer = TableFiles.writer(table);
    for (Entry e : entries) {
      GenericRecord r = GenericRecord.create(SCHEMA);
      r.setField("reconciled_at", reconciledAt);
      r.setField("source_table", e.sourceTable());
      r.setField("source_rows", e.sourceRows());
      r.setField("staging_rows", e.stagingRows());
      r.setField("excluded_rows", e.excludedRows());
      r.setField("checksums_match", e.checksumsMatch());
      r.setField("is_ok", e.ok());
      r.setField("differing_keys", e.differingKeys().isEmpty() ? null : String.join(", ", e.differingKeys()));
      writer.write(r);
    }
    table.newAppend().appendFile(writer.finish()).commit();
  }
}
