package org.kaoping.ingestion;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.TableFiles;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * The change events of one source waiting to be committed, and the commit protocol.
 *
 * <p>Commit: one append per raw table touched (each snapshot tagged with the batch number), then
 * the checkpoint row carrying the source offset. The batch counts only once the checkpoint is
 * committed; {@link IngestRecovery} removes a batch whose checkpoint never landed.
 */
final class RawBatch {
  /** One change event, already converted from Debezium's envelope. */
  record Event(String sourceTable, String op, Long lsn, Long commitLsn, Long txId, OffsetDateTime committedAt,
      boolean snapshot, String keyJson, String beforeJson, String afterJson, String rowSchema) {}

  private final WarehouseCatalog warehouse;
  private final IngestCheckpoints checkpoints;
  private final String source;
  private final Map<String, Table> tables = new HashMap<>();
  private final Map<String, TableFiles.Writer> writers = new LinkedHashMap<>();
  private long batchSeq;
  private long nextEventSeq;
  private long events;

  RawBatch(WarehouseCatalog warehouse, IngestCheckpoints checkpoints, String source, Checkpoint last) {
    this.warehouse = warehouse;
    this.checkpoints = checkpoints;
    this.source = source;
    this.batchSeq = last == null ? 1 : last.batchSeq() + 1;
    this.nextEventSeq = last == null ? 1 : last.lastEventSeq() + 1;
  }

  void add(Event e) {
    Table table = tables.computeIfAbsent(e.sourceTable(), t -> RawChangeTable.open(warehouse, source, t));
    TableFiles.Writer writer = writers.computeIfAbsent(e.sourceTable(), t -> TableFiles.writer(table));
    writer.write(record(e, nextEventSeq++, batchSeq));
    events++;
  }

  /** The raw table row of {@code e}, numbered {@code eventSeq}, in batch {@code batchSeq}. */
  static GenericRecord record(Event e, long eventSeq, long batchSeq) {
    GenericRecord r = GenericRecord.create(RawChangeTable.SCHEMA);
    r.setField("event_seq", eventSeq);
    r.setField("op", e.op());
    r.setField("source_lsn", e.lsn());
    r.setField("source_commit_lsn", e.commitLsn());
    r.setField("source_tx_id", e.txId());
    r.setField("source_committed_at", e.committedAt());
    r.setField("is_snapshot", e.snapshot());
    r.setField("key_json", e.keyJson());
    r.setField("before_json", e.beforeJson());
    r.setField("after_json", e.afterJson());
    r.setField(RawChangeTable.ROW_SCHEMA, e.rowSchema());
    r.setField("batch_seq", batchSeq);
    r.setField("ingested_at", OffsetDateTime.now(ZoneOffset.UTC));
    return r;
  }

  long pendingEvents() {
    return events;
  }

  long batchSeq() {
    return batchSeq;
  }

  /**
   * Commits the pending events with the offset they end at, and starts the next batch.
   * A batch with no events still commits its checkpoint (the offset moved, e.g. heartbeats).
   */
  Checkpoint commit(String offsetKeyJson, String offsetValueJson) {
    List<String> touched = new ArrayList<>();
    for (Map.Entry<String, TableFiles.Writer> w : writers.entrySet()) {
      Table table = tables.get(w.getKey());
      table.newAppend()
          .appendFile(w.getValue().finish())
          .set(RawChangeTable.SOURCE_PROPERTY, source)
          .set(RawChangeTable.BATCH_SEQ_SUMMARY, Long.toString(batchSeq))
          .commit();
      touched.add(table.name());
    }
    Checkpoint checkpoint = new Checkpoint(source, batchSeq, nextEventSeq - 1, offsetKeyJson, offsetValueJson,
        events, touched, OffsetDateTime.now(ZoneOffset.UTC));
    checkpoints.append(checkpoint);
    writers.clear();
    events = 0;
    batchSeq++;
    return checkpoint;
  }

  /** Drops pending events (their files stay unreferenced); the source re-sends them next run. */
  void abandon() {
    writers.values().forEach(TableFiles.Writer::abandon);
    writers.clear();
    events = 0;
  }
}
