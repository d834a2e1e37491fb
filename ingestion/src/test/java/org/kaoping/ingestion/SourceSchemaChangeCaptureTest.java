package org.kaoping.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.RowSchema;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Real PostgreSQL, Debezium and Iceberg: raw keeps each event's row schema through a column change,
 * an old raw table gains the column by schema evolution, and a table created while no capture ran is
 * snapshotted exactly once when the next run starts.
 */
class SourceSchemaChangeCaptureTest extends WithSourceServer {
  @Test
  void rawRecordsEachEventsRowSchemaAndOldRawTablesGainTheColumn() throws Exception {
    server.createDatabase("schemas");
    sql("schemas", "CREATE TABLE item (id bigint PRIMARY KEY, qty integer NOT NULL, note text)",
        "INSERT INTO item VALUES (1, 10, 'a'), (2, 20, 'b')");
    WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("wh1").toString()));
    // A raw table as an earlier version created it, without row_schema: opening it must evolve it, not break.
    org.apache.iceberg.Schema old = new org.apache.iceberg.Schema(RawChangeTable.SCHEMA.columns().stream()
        .filter(f -> !f.name().equals(RawChangeTable.ROW_SCHEMA)).toList());
    warehouse.loadOrCreate(RawChangeTable.identifier("sch", "public.item"), old, RawChangeTable.properties("sch", "public.item"));
    SourceConnection source = source("sch", "schemas");
    run(warehouse, source);

    sql("schemas", "ALTER TABLE item ALTER COLUMN qty TYPE bigint", "ALTER TABLE item RENAME COLUMN note TO remark",
        "INSERT INTO item VALUES (3, 30, 'c')");
    run(warehouse, source);

    Table raw = warehouse.load(RawChangeTable.identifier("sch", "public.item"));
    assertTrue(raw.schema().findField(RawChangeTable.ROW_SCHEMA) != null, "the old raw table gained row_schema");
    Map<Long, RowSchema> byId = new java.util.TreeMap<>();
    for (Record r : rows(raw)) {
      byId.put(Long.parseLong(((String) r.getField("key_json")).replaceAll("\\D", "")),
          RowSchema.parse((String) r.getField(RawChangeTable.ROW_SCHEMA)));
    }
    assertEquals("id:int64,qty:int32,note:string", byId.get(1L).format(), "snapshot rows carry the schema they were read with");
    assertEquals("id:int64,qty:int64,remark:string", byId.get(3L).format(), "the streamed row carries the changed schema");
    assertEquals(Types.StringType.get(), raw.schema().findField(RawChangeTable.ROW_SCHEMA).type());
  }

  @Test
  void aTableCreatedWhileNoCaptureRanIsSnapshottedExactlyOnce() throws Exception {
    server.createDatabase("newtables");
    sql("newtables", "CREATE TABLE first_table (id bigint PRIMARY KEY, v text)",
        "INSERT INTO first_table SELECT g, 'v' || g FROM generate_series(1, 3) g");
    WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("wh2").toString()));
    SourceConnection source = source("nt", "newtables");
    run(warehouse, source);
    assertEquals(3, rows(warehouse.load(RawChangeTable.identifier("nt", "public.first_table"))).size());

    // Written while no capture runs: the publication does not have these tables yet.
    sql("newtables", "CREATE TABLE added_table (id bigint PRIMARY KEY, v text)",
        "INSERT INTO added_table SELECT g, 'a' || g FROM generate_series(1, 25) g",
        "CREATE TABLE empty_table (id bigint PRIMARY KEY)",
        "INSERT INTO first_table VALUES (4, 'v4')");
    CaptureRunner.Result second = run(warehouse, source);
    assertTrue(second.resumed());
    Table added = warehouse.load(RawChangeTable.identifier("nt", "public.added_table"));
    List<Record> addedRows = rows(added);
    assertEquals(25, addedRows.size(), "every row written before the restart is captured, once");
    assertEquals(25, addedRows.stream().map(r -> r.getField("key_json")).distinct().count());
    assertTrue(addedRows.stream().allMatch(r -> (Boolean) r.getField("is_snapshot") && "r".equals(r.getField("op"))));
    assertEquals(4, rows(warehouse.load(RawChangeTable.identifier("nt", "public.first_table"))).size(),
        "the resumed stream is not disturbed: the other table's change lands once");
    assertNull(warehouse.load(RawChangeTable.identifier("nt", "public.empty_table")).currentSnapshot(),
        "an empty new table is recorded as captured, with nothing to read");

    // Afterwards the new table streams like any other, and nothing is snapshotted again.
    sql("newtables", "INSERT INTO added_table VALUES (26, 'a26')", "UPDATE added_table SET v = 'changed' WHERE id = 1",
        "INSERT INTO empty_table VALUES (1)");
    CaptureRunner.Result third = run(warehouse, source);
    assertEquals(3, third.events());
    List<Record> after = rows(warehouse.load(RawChangeTable.identifier("nt", "public.added_table")));
    assertEquals(27, after.size());
    assertEquals(25, after.stream().filter(r -> (Boolean) r.getField("is_snapshot")).count());
    assertEquals(1, rows(warehouse.load(RawChangeTable.identifier("nt", "public.empty_table"))).size());
    assertEquals(0, run(warehouse, source).events(), "nothing new, nothing snapshotted again");

    // A run that asked for a snapshot and stopped before committing it (mark set, one streamed row landed):
    // the table still counts as never captured, and the next run snapshots it.
    sql("newtables", "CREATE TABLE late_table (id bigint PRIMARY KEY)", "INSERT INTO late_table SELECT generate_series(1, 7)");
    RawChangeTable.open(warehouse, "nt", "public.late_table").updateProperties()
        .set(RawChangeTable.SNAPSHOT_PENDING_PROPERTY, "true").commit();
    run(warehouse, source);
    Table late = warehouse.load(RawChangeTable.identifier("nt", "public.late_table"));
    assertEquals(7, rows(late).stream().filter(r -> (Boolean) r.getField("is_snapshot")).count());
    assertTrue(!late.properties().containsKey(RawChangeTable.SNAPSHOT_PENDING_PROPERTY), "the mark is cleared once committed");
  }

  private static CaptureRunner.Result run(WarehouseCatalog warehouse, SourceConnection source) throws InterruptedException {
    return new CaptureRunner(warehouse, source).run(CaptureRunner.Mode.CATCH_UP, System.out::println);
  }

  private static SourceConnection source(String name, String database) {
    return new SourceConnection(name, "127.0.0.1", server.port(), database, "postgres", "", "public", Map.of());
  }

  private static void sql(String database, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(database)); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static List<Record> rows(Table table) throws Exception {
    table.refresh();
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(r -> rows.add(r.copy()));
    }
    return rows;
  }
}
