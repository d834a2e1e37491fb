package org.kaoping.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.RootCause;
import org.kaoping.warehouse.SnapshotExpiry;
import org.kaoping.warehouse.SnapshotTags;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseCatalog.Layer;

/**
 * Keeps a warehouse that runs for years small and quick: per table, releases the tags of builds no
 * longer retained, expires old snapshots ({@link SnapshotExpiry}), compacts the small files each
 * batch or build writes, and deletes files no snapshot references (abandoned or rolled-back batches).
 *
 * <p>Safety rules, which the caller completes by holding the ingest and build locks (no writer runs):
 * <ul>
 *   <li>Expiry runs before compaction, so the snapshot a reader is on when compaction replaces it
 *       survives this run; and it never removes the current, a tagged, or a recently superseded snapshot.
 *   <li>A raw table holding a batch without its checkpoint (an interrupted ingest) is left untouched:
 *       the next ingest rolls that batch back by walking the snapshots on top of the last checkpointed
 *       one, which a compaction committed over it would hide.
 *   <li>Checkpoints are read by a table scan, so compacting or expiring {@code ops.ingest_checkpoint}
 *       keeps every committed offset.
 *   <li>Unreferenced files are deleted only when older than {@code orphanMinAge}.
 * </ul>
 */
public final class WarehouseMaintenance {
  /** What to keep; the defaults are the configuration's. */
  public record Policy(Duration snapshotRetention, int keepSnapshots, int keepBuilds, Duration orphanMinAge) {
    public static final int SNAPSHOT_RETENTION_HOURS_DEFAULT = 168;
    public static final int KEEP_SNAPSHOTS_DEFAULT = 5;
    public static final int KEEP_BUILDS_DEFAULT = 10;
    public static final int ORPHAN_MIN_AGE_HOURS_DEFAULT = 72;

    public Policy {
      if (snapshotRetention.isNegative() || orphanMinAge.isNegative() || keepSnapshots < 1 || keepBuilds < 0) {
        throw new IllegalArgumentException("Maintenance needs retention and orphan age >= 0, keep-snapshots >= 1 and"
            + " keep-builds >= 0, was " + this);
      }
    }
  }

  /** What maintenance did to one table; {@code note} says why it was skipped or how it failed (null: done). */
  public record TableResult(String table, int filesBefore, int filesAfter, int snapshotsExpired, long expiredBytes,
      int tagsReleased, int orphanFiles, long orphanBytes, String note, boolean failed) {}

  /** What a maintenance run did. */
  public record Result(List<TableResult> tables) {
    public boolean failed() {
      return tables.stream().anyMatch(TableResult::failed);
    }
  }

  /** Compaction considers a file group once it has this many small files (Iceberg's default, 5, leaves small tables alone). */
  static final String MIN_INPUT_FILES = "2";

  private final SparkSession spark;
  private final WarehouseCatalog warehouse;
  private final Policy policy;

  public WarehouseMaintenance(SparkSession spark, WarehouseCatalog warehouse, Policy policy) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.policy = policy;
  }

  /**
   * Maintains every table of every layer, reporting one line per table. A table that fails is reported
   * and the others are still maintained; {@link Result#failed} tells.
   */
  public Result run(Consumer<String> progress) {
    Set<String> keptBuilds = latestBuilds(policy.keepBuilds());
    progress.accept("keeping the snapshots of the latest " + keptBuilds.size() + " build(s) and every other tag;"
        + " expiring snapshots superseded more than " + hours(policy.snapshotRetention()) + " ago (newest "
        + policy.keepSnapshots() + " per table kept); deleting unreferenced files older than " + hours(policy.orphanMinAge()));
    Map<String, Long> checkpointed = new HashMap<>();
    List<TableResult> results = new ArrayList<>();
    for (Layer layer : Layer.values()) {
      for (TableIdentifier id : warehouse.tables(layer)) {
        TableResult r = maintain(id, layer, keptBuilds, checkpointed);
        results.add(r);
        progress.accept(describe(r));
      }
    }
    return new Result(results);
  }

  private TableResult maintain(TableIdentifier id, Layer layer, Set<String> keptBuilds, Map<String, Long> checkpointed) {
    String name = id.toString();
    Table table = warehouse.load(id);
    int before = dataFiles(table);
    try {
      if (layer == Layer.RAW) {
        String source = table.properties().getOrDefault(RawChangeTable.SOURCE_PROPERTY, "");
        long committed = checkpointed.computeIfAbsent(source, s -> s.isEmpty() ? 0L : IngestCheckpoints.open(warehouse)
            .latest(s).map(IngestCheckpoints.Checkpoint::batchSeq).orElse(0L));
        if (hasUncheckpointedBatch(table, committed)) {
          return new TableResult(name, before, before, 0, 0, 0, 0, 0, "skipped: it holds a batch without checkpoint"
              + " (an interrupted ingest); the next 'kaoping ingest' rolls it back, then maintenance can proceed", false);
        }
      }
      int released = SnapshotTags.releaseBuildsExcept(table, keptBuilds);
      SnapshotExpiry.Result expired = SnapshotExpiry.expire(table, policy.snapshotRetention(), policy.keepSnapshots(),
          System.currentTimeMillis());
      if (before >= 2) {
        // a file with delete files (a staging table merged by groups) is rewritten with its deletes applied
        SparkActions.get(spark).rewriteDataFiles(table).option("min-input-files", MIN_INPUT_FILES)
            .option("delete-file-threshold", "1").execute();
      }
      AtomicInteger orphans = new AtomicInteger();
      AtomicLong orphanBytes = new AtomicLong();
      SparkActions.get(spark).deleteOrphanFiles(table)
          .olderThan(System.currentTimeMillis() - policy.orphanMinAge().toMillis())
          .deleteWith(path -> {
            orphanBytes.addAndGet(table.io().newInputFile(path).getLength());
            table.io().deleteFile(path);
            orphans.incrementAndGet();
          })
          .execute();
      table.refresh();
      return new TableResult(name, before, dataFiles(table), expired.snapshotsExpired(), expired.bytesDeleted(), released,
          orphans.get(), orphanBytes.get(), null, false);
    } catch (RuntimeException e) {
      return new TableResult(name, before, before, 0, 0, 0, 0, 0, "FAILED: " + RootCause.message(e), true);
    }
  }

  /** True when the current snapshot is a batch after the last checkpoint (what IngestRecovery would roll back). */
  static boolean hasUncheckpointedBatch(Table table, long committed) {
    Snapshot current = table.currentSnapshot();
    String seq = current == null ? null : current.summary().get(RawChangeTable.BATCH_SEQ_SUMMARY);
    return seq != null && Long.parseLong(seq) > committed; // only maintenance or a rollback commits on top of a batch
  }

  /** The ids of the latest {@code n} builds recorded in {@code ops.build_run}. */
  private Set<String> latestBuilds(int n) {
    TableIdentifier runs = Layer.OPS.table("build_run");
    if (n == 0 || !warehouse.catalog().tableExists(runs)) {
      return Set.of();
    }
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(warehouse.load(runs)).select("build_id", "finished_at").build()) {
      it.forEach(r -> rows.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(Comparator.comparing((Record r) -> (OffsetDateTime) r.getField("finished_at")).reversed());
    Set<String> ids = new LinkedHashSet<>();
    rows.stream().limit(n).forEach(r -> ids.add((String) r.getField("build_id")));
    return ids;
  }

  private static int dataFiles(Table table) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return 0;
    }
    String total = current.summary().get("total-data-files");
    return total == null ? 0 : Integer.parseInt(total);
  }

  private static String describe(TableResult r) {
    if (r.note() != null) {
      return r.table() + ": " + r.note();
    }
    return r.table() + ": " + r.filesBefore() + " -> " + r.filesAfter() + " data files, " + r.snapshotsExpired()
        + " snapshot(s) expired (" + r.expiredBytes() + " bytes freed)" + (r.tagsReleased() > 0 ? ", " + r.tagsReleased() + " build tag(s) released" : "")
        + ", " + r.orphanFiles() + " orphan file(s) removed (" + r.orphanBytes() + " bytes)";
  }

  private static String hours(Duration d) {
    return d.toHours() + " h";
  }
}
