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
  private final String heartbeatTable;
  private final LoadedChunks loaded;
  /** Streamed changes dropped because a resumed initial load's chunk already held them. */
  final AtomicLong skippedAsLoaded = new AtomicLong();
  final AtomicLong eventsCommitted = new AtomicLong();
  final AtomicLong transactionsCommitted = new AtomicLong();
  /**
   * The WAL position of the latest change committed in the warehouse; -1 before the first. Only change events
   * count: a heartbeat record's offset is the connector's position, not a change, and proves nothing about
   * what reached the warehouse.
   */
  final AtomicLong committedLsn = new AtomicLong(-1);
  /** Snapshots (initial or asked for by {@link NewTableSnapshots}) committed whole by this run. */
  final AtomicLong snapshotsCommitted = new AtomicLong();
  /** Called right after a snapshot's batch is committed (before it is acknowledged). */
  volatile Runnable onSnapshotCommitted = () -> { };
  /** Called right after a batch that held change events is committed; a heartbeat-only batch is no news. */
  volatile BatchListener onChangesCommitted = (checkpoint, lsn) -> { };
  final AtomicLong lastActivityMillis = new AtomicLong(System.currentTimeMillis());
  volatile boolean snapshotInProgress;
  private volatile boolean stopping;
  volatile Checkpoint lastCheckpoint;
  /** Transactions begun in the pending batch: the stream delivers each transaction's events together. */
  private long pendingTransactions;
  private Long lastTxId;
  private long pendingLsn = -1;

  ChangeHandler(RawBatch batch, OffsetCodec offsets, Checkpoint start, String heartbeatTable, LoadedChunks loaded) {
    this.batch = batch;
    this.loaded = loaded;
    this.offsets = offsets;
    this.lastCheckpoint = start;
    this.heartbeatTable = heartbeatTable;
  }

  /**
   * Lets the batch in hand finish its commit, and makes every later batch a no-op (not committed, not
   * acknowledged: the source sends it again next run). Closing the engine before that would interrupt
   * a commit halfway.
   */
  void stopAfterBatchInHand() {
    stopping = true;
    synchronized (this) {
      // entered only once handleBatch has returned
    }
  }

  @Override
  public synchronized void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
    if (records.isEmpty() || stopping) {
      return;
    }
    lastActivityMillis.set(System.currentTimeMillis());
    boolean snapshotEnded = false;
    for (RecordChangeEvent<SourceRecord> event : records) {
      SourceRecord record = event.record();
      if (record.value() instanceof Struct value && value.schema().field("op") != null) {
        Struct source = value.getStruct("source");
        String snapshotFlag = source.schema().field("snapshot") == null ? null : source.getString("snapshot");
        boolean snapshot = snapshotFlag != null && !snapshotFlag.equals("false");
        snapshotInProgress = snapshot && !snapshotFlag.equals("last");
        snapshotEnded |= "last".equals(snapshotFlag);
        RawBatch.Event e = toEvent(record, value, source, snapshot);
        if (e.lsn() != null) {
          pendingLsn = Math.max(pendingLsn, e.lsn());
        }
        if (e.sourceTable().equals(heartbeatTable)) {
          continue; // Kaoping's own position marker, not source data: it moves the offset only
        }
        if (!snapshot && loaded.alreadyLoaded(e.sourceTable(), record.key(), e.txId(), e.lsn())) {
          skippedAsLoaded.incrementAndGet();
          continue;
        }
        batch.add(e);
        if (e.txId() != null && !e.txId().equals(lastTxId)) {
          pendingTransactions++;
          lastTxId = e.txId();
        }
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
    transactionsCommitted.addAndGet(pendingTransactions);
    pendingTransactions = 0;
    committedLsn.accumulateAndGet(pendingLsn, Math::max);
    if (n > 0) {
      onChangesCommitted.committed(lastCheckpoint, committedLsn.get());
    }
    if (snapshotEnded) {
      snapshotsCommitted.incrementAndGet();
      onSnapshotCommitted.run();
    }
    // Only now may the engine acknowledge: its offsets (and the replication slot) follow Iceberg.
    committer.markProcessed(last);
    committer.markBatchFinished();
  }

  /** Hears of a committed batch: its checkpoint and the WAL position now committed. */
  interface BatchListener {
    void committed(Checkpoint checkpoint, long committedLsn);
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
