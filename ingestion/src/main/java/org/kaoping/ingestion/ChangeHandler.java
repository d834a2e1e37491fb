package org.kaoping.ingestion;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;

/**
 * Receives the engine's batches and commits them to the warehouse before acknowledging them.
 *
 * <p>The initial snapshot is committed as one batch when its last record arrives, so a crash
 * mid-snapshot leaves nothing behind and the next run snapshots afresh.
 */
final class ChangeHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
  private final RawBatch batch;
  private final OffsetCodec offsets;
  final AtomicLong eventsCommitted = new AtomicLong();
  /** Snapshots (initial or asked for by {@link NewTableSnapshots}) committed whole by this run. */
  final AtomicLong snapshotsCommitted = new AtomicLong();
  /** Called right after a snapshot's batch is committed (before it is acknowledged). */
  volatile Runnable onSnapshotCommitted = () -> { };
  final AtomicLong lastActivityMillis = new AtomicLong(System.currentTimeMillis());
  volatile boolean snapshotInProgress;
  /** True while a batch is being written or committed: never a moment to stop for idleness. */
  volatile boolean busy;
  volatile Checkpoint lastCheckpoint;

  ChangeHandler(RawBatch batch, OffsetCodec offsets, Checkpoint start) {
    this.batch = batch;
    this.offsets = offsets;
    this.lastCheckpoint = start;
  }

  @Override
  public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
    busy = true;
    try {
      handle(records, committer);
    } finally {
      lastActivityMillis.set(System.currentTimeMillis());
      busy = false;
    }
  }

  private void handle(List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
    if (records.isEmpty()) {
      return;
    }
    boolean snapshotEnded = false;
    for (RecordChangeEvent<SourceRecord> event : records) {
      SourceRecord record = event.record();
      if (record.value() instanceof Struct value && value.schema().field("op") != null) {
        Struct source = value.getStruct("source");
        String snapshotFlag = source.schema().field("snapshot") == null ? null : source.getString("snapshot");
        boolean snapshot = snapshotFlag != null && !snapshotFlag.equals("false");
        snapshotInProgress = snapshot && !snapshotFlag.equals("last");
        snapshotEnded |= "last".equals(snapshotFlag);
        batch.add(toEvent(record, value, source, snapshot));
      }
    }
    if (snapshotInProgress && !snapshotEnded) {
      return; // keep buffering: the snapshot lands in one commit
    }
    RecordChangeEvent<SourceRecord> last = records.get(records.size() - 1);
    long n = batch.pendingEvents();
    lastCheckpoint = batch.commit(offsets.keyJson(last.record().sourcePartition()),
        offsets.valueJson(last.record().sourceOffset()));
    eventsCommitted.addAndGet(n);
    if (snapshotEnded) {
      snapshotsCommitted.incrementAndGet();
      onSnapshotCommitted.run();
    }
    // Only now may the engine acknowledge: its offsets (and the replication slot) follow Iceberg.
    committer.markProcessed(last);
    committer.markBatchFinished();
  }

  /** Row schemas already rendered: Debezium reuses one Schema object per table version. */
  private final java.util.Map<org.apache.kafka.connect.data.Schema, String> rowSchemas = new java.util.IdentityHashMap<>();

  private RawBatch.Event toEvent(SourceRecord record, Struct value, Struct source, boolean snapshot) {
    String table = source.getString("schema") + "." + source.getString("table");
    Long lsn = optionalLong(source, "lsn");
    Long txId = optionalLong(source, "txId");
    Long commitLsn = commitLsn(source);
    Long tsMs = optionalLong(source, "ts_ms");
    OffsetDateTime committedAt = tsMs == null ? null : OffsetDateTime.ofInstant(Instant.ofEpochMilli(tsMs), ZoneOffset.UTC);
    String key = record.key() instanceof Struct k ? RowImageJson.toJson(k) : null;
    if (rowSchemas.size() > 1000) {
      rowSchemas.clear(); // a bound, in case a connector ever hands out a new Schema object per record
    }
    return new RawBatch.Event(table, value.getString("op"), lsn, commitLsn, txId, committedAt, snapshot, key,
        RowImageJson.toJson(value.getStruct("before")), RowImageJson.toJson(value.getStruct("after")),
        rowSchemas.computeIfAbsent(value.schema().field("after").schema(), RowImageJson::schemaOf));
  }

  private static Long optionalLong(Struct s, String field) {
    return s.schema().field(field) == null ? null : (Long) s.get(field);
  }

  /** Debezium's {@code sequence} is a JSON array of two LSN strings: last commit, current. */
  private static Long commitLsn(Struct source) {
    if (source.schema().field("sequence") == null || source.getString("sequence") == null) {
      return null;
    }
    String seq = source.getString("sequence").replaceAll("[\\[\\]\" ]", "");
    String first = seq.split(",")[0];
    return first.isEmpty() || first.equals("null") ? null : Long.parseLong(first);
  }
}
