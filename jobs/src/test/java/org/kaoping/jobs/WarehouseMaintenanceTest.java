package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.junit.jupiter.api.Test;
import org.kaoping.jobs.WarehouseMaintenance.TableResult;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.TableFiles;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Maintenance never commits over a raw batch whose checkpoint never landed: the next ingest finds that
 * batch by walking from the current snapshot, and a compaction on top would hide it (duplicates forever).
 */
class WarehouseMaintenanceTest extends WithSpark {

  @Test
  void aRawTableWithAnUncheckpointedBatchIsLeftForIngestAndTheOthersAreCompacted() throws Exception {
    try (WarehouseCatalog w = WarehouseCatalog.open(catalog())) {
      IngestCheckpoints checkpoints = IngestCheckpoints.open(w);
      Table clean = raw(w, "clean");
      Table interrupted = raw(w, "interrupted");
      for (long batch = 1; batch <= 3; batch++) {
        append(interrupted, batch);
        if (batch < 3) { // batch 3 touched only 'interrupted' and crashed before its checkpoint
          append(clean, batch);
          checkpoints.append(new IngestCheckpoints.Checkpoint("src", batch, batch, "{}", "{}", 1,
              List.of(clean.name(), interrupted.name()), OffsetDateTime.now()));
        }
      }
      long interruptedHead = interrupted.currentSnapshot().snapshotId();
      long firstBatch = clean.currentSnapshot().parentId();
      clean.manageSnapshots().createTag("publication-2025-Q4", firstBatch).commit(); // not a build tag: never released
      clean.manageSnapshots().createTag(org.kaoping.warehouse.SnapshotTags.ofBuild("gone"), firstBatch).commit();

      WarehouseMaintenance.Result result = new WarehouseMaintenance(spark, w,
          new WarehouseMaintenance.Policy(Duration.ZERO, 1, 0, Duration.ofDays(1))).run(line -> { });

      TableResult skipped = find(result, "raw.src_interrupted");
      assertTrue(String.valueOf(skipped.note()).startsWith("skipped: it holds a batch without checkpoint"), skipped.note());
      assertFalse(result.failed(), "a skipped table is not a failure");
      interrupted.refresh();
      assertEquals(interruptedHead, interrupted.currentSnapshot().snapshotId(), "nothing committed over the batch");
      assertEquals("3", interrupted.currentSnapshot().summary().get(RawChangeTable.BATCH_SEQ_SUMMARY),
          "the next ingest still finds batch 3 on top and rolls it back");

      TableResult compacted = find(result, "raw.src_clean");
      assertEquals(2, compacted.filesBefore());
      assertEquals(1, compacted.filesAfter(), "a fully checkpointed raw table is compacted");
      assertEquals(2, find(result, "ops.ingest_checkpoint").filesBefore());
      assertEquals(1, find(result, "ops.ingest_checkpoint").filesAfter());
      assertEquals(2L, checkpoints.latest("src").orElseThrow().batchSeq(), "the committed offset is kept");
      assertEquals(2, spark.table("raw.src_clean").count(), "compaction keeps every event");
      clean.refresh();
      assertFalse(clean.refs().containsKey(org.kaoping.warehouse.SnapshotTags.ofBuild("gone")), "a build not kept loses its tag");
      assertEquals(1, spark.sql("SELECT * FROM raw.src_clean VERSION AS OF 'publication-2025-Q4'").count(),
          "a tagged snapshot, superseded and old enough to expire, is kept and readable by time travel");
    }
  }

  private static TableResult find(WarehouseMaintenance.Result result, String table) {
    return result.tables().stream().filter(t -> t.table().equals(table)).findFirst().orElseThrow();
  }

  private static Table raw(WarehouseCatalog w, String name) {
    TableIdentifier id = RawChangeTable.identifier("src", name);
    return w.loadOrCreate(id, RawChangeTable.SCHEMA, RawChangeTable.properties("src", "public." + name));
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
    table.newAppend().appendFile(writer.finish()).set(RawChangeTable.SOURCE_PROPERTY, "src")
        .set(RawChangeTable.BATCH_SEQ_SUMMARY, Long.toString(batch)).commit();
  }
}
