package org.kaoping.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.World;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.TableFiles;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/** Real PostgreSQL, real Debezium, real Iceberg: snapshot, then a resumed run that streams. */
class CaptureRunnerTest extends WithSourceServer {
  @Test
  void snapshotThenResumeStreamsOnlyNewChanges() throws Exception {
    World world = WorldGenerator.generate(new DemoScale(3, 2, 2025), WorkingCalendar.builtIn());
    SourceLoader loader = new SourceLoader(world);
    LocalDateTime jan = LocalDateTime.of(2025, 1, 20, 0, 0);
    LocalDateTime feb = LocalDateTime.of(2025, 2, 20, 0, 0);
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      loader.advance(null, jan, w, a);
    }
    WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("wh").toString()));
    SourceConnection source = new SourceConnection("worklog", "127.0.0.1", server.port(), "worklog", "postgres", "",
        "public", Map.of());
    CaptureRunner.Result first = new CaptureRunner(warehouse, source).run(CaptureRunner.Mode.CATCH_UP, System.out::println);
    assertFalse(first.resumed());
    assertEquals(countRows("work_log"), rawKeys(warehouse, "work_log").size());

    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      loader.advance(jan, feb, w, a);
    }
    CaptureRunner.Result second = new CaptureRunner(warehouse, source).run(CaptureRunner.Mode.CATCH_UP, System.out::println);
    assertTrue(second.resumed());
    assertTrue(second.events() > 0);
    Table raw = warehouse.load(RawChangeTable.identifier("worklog", "public.work_log"));
    long snapshotRows = 0;
    Set<String> positions = new HashSet<>();
    long streamed = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(raw).build()) {
      for (Record r : rows) {
        if ((Boolean) r.getField("is_snapshot")) {
          snapshotRows++;
        } else {
          streamed++;
          positions.add(r.getField("source_lsn") + "/" + r.getField("key_json"));
        }
      }
    }
    assertEquals(streamed, positions.size(), "duplicate source positions");
    assertEquals(countRows("work_log"), rawKeys(warehouse, "work_log").size());
    assertTrue(snapshotRows > 0 && streamed > 0);

    // A crash after a batch reached a raw table but before its checkpoint: the next run removes it.
    long next = IngestCheckpoints.open(warehouse).latest("worklog").orElseThrow().batchSeq() + 1;
    GenericRecord orphan = GenericRecord.create(RawChangeTable.SCHEMA);
    orphan.setField("event_seq", Long.MAX_VALUE);
    orphan.setField("op", "c");
    orphan.setField("is_snapshot", false);
    orphan.setField("key_json", "{\"id\":-1}");
    orphan.setField("batch_seq", next);
    orphan.setField("ingested_at", OffsetDateTime.now(ZoneOffset.UTC));
    TableFiles.Writer writer = TableFiles.writer(raw);
    writer.write(orphan);
    raw.newAppend().appendFile(writer.finish()).set(RawChangeTable.BATCH_SEQ_SUMMARY, Long.toString(next)).commit();
    assertTrue(rawKeys(warehouse, "work_log").contains("{\"id\":-1}"));

    CaptureRunner.Result third = new CaptureRunner(warehouse, source).run(CaptureRunner.Mode.CATCH_UP, System.out::println);
    assertEquals(0, third.events(), "nothing new at the source");
    assertFalse(rawKeys(warehouse, "work_log").contains("{\"id\":-1}"), "the uncheckpointed batch is rolled back");
    assertEquals(countRows("work_log"), rawKeys(warehouse, "work_log").size());
  }

  private static long countRows(String table) throws Exception {
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Set<String> rawKeys(WarehouseCatalog warehouse, String table) throws IOException {
    Set<String> keys = new HashSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(warehouse.load(RawChangeTable.identifier("worklog", "public." + table))).build()) {
      for (Record r : rows) {
        keys.add((String) r.getField("key_json"));
      }
    }
    return keys;
  }
}
