package org.kaoping.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot expiry keeps what readers and builds need; build tags are released by build; a lock is exclusive. */
class SnapshotRetentionTest {
  @TempDir Path dir;

  @Test
  void expiryKeepsTheCurrentTheTaggedTheNewestAndTheRecentlySuperseded() throws Exception {
    try (WarehouseCatalog w = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("wh").toString()))) {
      TableIdentifier id = WarehouseCatalog.Layer.RAW.table("src_t");
      // uncompressed: zstd comes with Spark, not on this module's classpath
      Table table = w.loadOrCreate(id, RawChangeTable.SCHEMA, Map.of(RawChangeTable.SOURCE_PROPERTY, "src",
          "format-version", "2", "write.parquet.compression-codec", "uncompressed"));
      List<Long> snapshots = new ArrayList<>();
      for (long batch = 1; batch <= 5; batch++) {
        append(table, batch);
        snapshots.add(table.currentSnapshot().snapshotId());
      }
      SnapshotTags.tag(w, SnapshotTags.ofBuild("b1"), Map.of(id, snapshots.get(0)));
      SnapshotTags.tag(w, SnapshotTags.ofBuild("b2"), Map.of(id, snapshots.get(1)));
      table.refresh();
      long lastCommit = table.currentSnapshot().timestampMillis();

      assertEquals(0, SnapshotExpiry.expire(table, Duration.ofHours(1), 1, lastCommit + 1000).snapshotsExpired(),
          "superseded less than the retention ago: a reader may still be on them");

      assertEquals(1, SnapshotTags.releaseBuildsExcept(table, Set.of("b2")), "only the tag of the build not kept goes");
      SnapshotExpiry.Result r = SnapshotExpiry.expire(table, Duration.ofHours(1), 2, lastCommit + Duration.ofHours(2).toMillis());
      table.refresh();
      assertEquals(2, r.snapshotsExpired(), "batches 1 and 3: untagged, superseded long ago, not among the newest 2");
      assertNull(table.snapshot(snapshots.get(0)), "released build's snapshot expired");
      assertNotNull(table.snapshot(snapshots.get(1)), "tagged snapshot kept");
      assertNull(table.snapshot(snapshots.get(2)));
      assertNotNull(table.snapshot(snapshots.get(3)), "newest two kept");
      assertNotNull(table.snapshot(snapshots.get(4)), "current kept");
      assertEquals(5, count(table), "expiry never changes the current data");
      assertEquals(2, countAt(table, snapshots.get(1)), "the tagged snapshot still reads as it was");
    }
  }

  @Test
  void aLockHeldInThisProcessRefusesASecondTakerUntilReleased() {
    try (WarehouseLock held = WarehouseLock.acquire(dir, WarehouseLock.Kind.BUILD, "kaoping build")) {
      WarehouseLock.Busy busy = assertThrows(WarehouseLock.Busy.class,
          () -> WarehouseLock.acquire(dir, WarehouseLock.Kind.BUILD, "kaoping build"));
      assertTrue(busy.getMessage().contains("build lock: 'kaoping build' (pid " + ProcessHandle.current().pid()), busy.getMessage());
      WarehouseLock.acquire(dir, WarehouseLock.Kind.INGEST, "kaoping ingest").close(); // the other kind is free
    }
    WarehouseLock.acquire(dir, WarehouseLock.Kind.BUILD, "kaoping build").close(); // released
  }

  private static void append(Table table, long batch) {
    TableFiles.Writer writer = TableFiles.writer(table);
    GenericRecord r = GenericRecord.create(RawChangeTable.SCHEMA);
    r.setField("event_seq", batch);
    r.setField("op", "c");
    r.setField("is_snapshot", false);
    r.setField("batch_seq", batch);
    r.setField("ingested_at", OffsetDateTime.now());
    writer.write(r);
    table.newAppend().appendFile(writer.finish()).set(RawChangeTable.BATCH_SEQ_SUMMARY, Long.toString(batch)).commit();
  }

  private static long count(Table table) throws Exception {
    return countAt(table, table.currentSnapshot().snapshotId());
  }

  private static long countAt(Table table, long snapshotId) throws Exception {
    long n = 0;
    try (var rows = org.apache.iceberg.data.IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
      for (var ignored : rows) {
        n++;
      }
    }
    return n;
  }
}
