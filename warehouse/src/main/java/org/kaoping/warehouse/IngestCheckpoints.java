package org.kaoping.warehouse;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * {@code ops.ingest_checkpoint}: one row per committed ingest batch. A batch counts as ingested
 * once its row is here; the source offset the next run resumes from is the latest row's.
 *
 * <p>A table scan (not a snapshot summary) so checkpoints survive snapshot expiry and compaction.
 */
public final class IngestCheckpoints {
  public static final TableIdentifier TABLE = WarehouseCatalog.Layer.OPS.table("ingest_checkpoint");

  static final Schema SCHEMA = new Schema(
      required(1, "source", Types.StringType.get()),
      required(2, "batch_seq", Types.LongType.get()),
      required(3, "last_event_seq", Types.LongType.get()),
      required(4, "offset_key_json", Types.StringType.get(), "Kafka Connect offset key as the engine stores it"),
      required(5, "offset_value_json", Types.StringType.get(), "Kafka Connect offset value as the engine stores it"),
      required(6, "events", Types.LongType.get()),
      optional(7, "tables", Types.StringType.get(), "Raw tables written by the batch, comma-separated"),
      required(8, "committed_at", Types.TimestampType.withZone()));

  /** A committed batch. */
  public record Checkpoint(String source, long batchSeq, long lastEventSeq, String offsetKeyJson,
      String offsetValueJson, long events, List<String> tables, OffsetDateTime committedAt) {}

  /**
   * One checkpoint commit at a time in this JVM: the captures of several sources would otherwise
   * contend for the table's commit lock and back off for seconds.
   */
  private static final Object COMMITS = new Object();

  private final Table table;

  private IngestCheckpoints(Table table) {
    this.table = table;
  }

  public static IngestCheckpoints open(WarehouseCatalog warehouse) {
    synchronized (COMMITS) {
      return new IngestCheckpoints(warehouse.loadOrCreate(TABLE, SCHEMA, Map.of(TableProperties.FORMAT_VERSION, "2")));
    }
  }

  /** The latest committed batch of {@code source}, if any. */
  public Optional<Checkpoint> latest(String source) {
    table.refresh();
    Checkpoint best = null;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).where(Expressions.equal("source", source)).build()) {
      for (Record r : rows) {
        if (best == null || (Long) r.getField("batch_seq") > best.batchSeq()) {
          String tables = (String) r.getField("tables");
          best = new Checkpoint(source, (Long) r.getField("batch_seq"), (Long) r.getField("last_event_seq"),
              (String) r.getField("offset_key_json"), (String) r.getField("offset_value_json"),
              (Long) r.getField("events"), tables == null || tables.isEmpty() ? List.of() : List.of(tables.split(",")),
              (OffsetDateTime) r.getField("committed_at"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.ofNullable(best);
  }

  /** Appends a checkpoint row in its own Iceberg commit. */
  public void append(Checkpoint c) {
    GenericRecord r = GenericRecord.create(SCHEMA);
    r.setField("source", c.source());
    r.setField("batch_seq", c.batchSeq());
    r.setField("last_event_seq", c.lastEventSeq());
    r.setField("offset_key_json", c.offsetKeyJson());
    r.setField("offset_value_json", c.offsetValueJson());
    r.setField("events", c.events());
    r.setField("tables", String.join(",", c.tables()));
    r.setField("committed_at", c.committedAt());
    TableFiles.Writer writer = TableFiles.writer(table);
    writer.write(r);
    synchronized (COMMITS) {
      table.refresh(); // another source's capture may have committed since
      table.newAppend().appendFile(writer.finish()).set("kaoping.source", c.source())
          .set(RawChangeTable.BATCH_SEQ_SUMMARY, Long.toString(c.batchSeq())).commit();
    }
  }
}
