package org.kaoping.ingestion;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.connect.data.Struct;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * The chunks the initial load has committed, read back from the raw tables' snapshot summaries (each
 * chunk is in exactly one append, so it is either wholly there or not at all), and the rule that keeps a
 * streamed change from entering twice.
 *
 * <p>Why a rule is needed: the replication slot was created with the first exported snapshot, and
 * streaming starts at its consistent point. A load resumed after a kill reads its remaining chunks
 * from a later snapshot, which already holds the transactions committed in between; the stream
 * delivers those too. A streamed change is therefore dropped when the chunk holding its key was read
 * from a snapshot in which its transaction is visible. Transactions visible in a snapshot committed
 * before the WAL position recorded with it, so the rule only ever looks at changes before that position.
 */
final class LoadedChunks {
  static final String CHUNK_SUMMARY = "kaoping.initial-load.chunk";
  static final String SNAPSHOT_SUMMARY = "kaoping.initial-load.snapshot";
  static final String WAL_SUMMARY = "kaoping.initial-load.wal";

  /** What PostgreSQL's {@code pg_current_snapshot()} reports: {@code xmin:xmax:xip,...} as full (64-bit) transaction ids. */
  record TransactionSnapshot(long xmin, long xmax, Set<Long> inProgress) {
    static TransactionSnapshot parse(String text) {
      String[] parts = text.split(":", -1);
      Set<Long> xip = new HashSet<>();
      for (String x : parts[2].isEmpty() ? new String[0] : parts[2].split(",")) {
        xip.add(Long.parseLong(x));
      }
      return new TransactionSnapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), xip);
    }

    /** Whether the (32-bit, as streamed) transaction id {@code xid} had committed for this snapshot. */
    boolean sees(long xid) {
      long full = xmax + (int) (xid - (xmax & 0xFFFF_FFFFL)); // the id within 2^31 of xmax, as PostgreSQL widens it
      return full < xmin || (full < xmax && !inProgress.contains(full));
    }
  }

  private record Chunk(TransactionSnapshot snapshot, long wal) {}

  private record TableChunks(LoadPlan plan, Map<Integer, Chunk> chunks) {}

  private final Map<String, TableChunks> bySourceTable;
  private final long lastWal;

  private LoadedChunks(Map<String, TableChunks> bySourceTable) {
    this.bySourceTable = bySourceTable;
    this.lastWal = bySourceTable.values().stream().flatMap(t -> t.chunks().values().stream())
        .mapToLong(Chunk::wal).max().orElse(-1);
  }

  /** The chunks committed to the raw tables of {@code source}; none when it was never loaded this way. */
  static LoadedChunks read(WarehouseCatalog warehouse, String source) {
    Map<String, TableChunks> tables = new HashMap<>();
    for (TableIdentifier id : warehouse.tables(WarehouseCatalog.Layer.RAW)) {
      Table table = warehouse.load(id);
      String plan = table.properties().get(LoadPlan.PROPERTY);
      if (plan != null && source.equals(table.properties().get(RawChangeTable.SOURCE_PROPERTY))) {
        tables.put(table.properties().get(RawChangeTable.SOURCE_TABLE_PROPERTY),
            new TableChunks(LoadPlan.parse(plan), committed(table)));
      }
    }
    return new LoadedChunks(tables);
  }

  /** Chunk number → how it was read, for every chunk committed to {@code table}. */
  private static Map<Integer, Chunk> committed(Table table) {
    Map<Integer, Chunk> chunks = new HashMap<>();
    for (Snapshot s : table.snapshots()) {
      String listed = s.summary().get(CHUNK_SUMMARY);
      if (listed != null) { // one append may hold several chunks, read from one snapshot
        Chunk read = new Chunk(TransactionSnapshot.parse(s.summary().get(SNAPSHOT_SUMMARY)),
            Long.parseLong(s.summary().get(WAL_SUMMARY)));
        for (String chunk : listed.split(",")) {
          chunks.put(Integer.parseInt(chunk), read);
        }
      }
    }
    return chunks;
  }

  /** The numbers of the chunks of {@code table} already committed. */
  static Set<Integer> committedChunks(Table table) {
    return committed(table).keySet();
  }

  boolean isEmpty() {
    return bySourceTable.isEmpty();
  }

  /**
   * True when the streamed change (its table, Debezium key, transaction and WAL position) is already
   * in the row a chunk read, so it must not be ingested again.
   */
  boolean alreadyLoaded(String sourceTable, Object key, Long txId, Long lsn) {
    if (lsn == null || txId == null || lsn >= lastWal) {
      return false;
    }
    TableChunks t = bySourceTable.get(sourceTable);
    if (t == null) {
      return false;
    }
    int chunk = 0;
    if (t.plan().column() != null) {
      if (!(key instanceof Struct k) || !(k.get(t.plan().column()) instanceof Number n)) {
        return false;
      }
      chunk = t.plan().chunkOf(n.longValue());
    }
    Chunk c = t.chunks().get(chunk);
    return c != null && lsn < c.wal() && c.snapshot().sees(txId);
  }
}
