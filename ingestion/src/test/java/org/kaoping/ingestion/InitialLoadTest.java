package org.kaoping.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.World;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The parallel initial load against real PostgreSQL, Debezium and Iceberg: its rows are the very
 * rows Debezium's own snapshot writes; changes committed while it runs, and while it is interrupted
 * and resumed from a later snapshot, enter exactly once; a table it cannot render falls back to
 * Debezium's snapshot.
 */
class InitialLoadTest extends WithSourceServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  @Test
  void rowsAreExactlyThoseOfDebeziumsSnapshot() throws Exception {
    World world = WorldGenerator.generate(new DemoScale(3, 2, 2025), WorkingCalendar.builtIn());
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      new SourceLoader(world).advance(null, LocalDateTime.of(2025, 1, 20, 0, 0), w, a);
      try (Statement s = w.createStatement()) {
        // every type the load renders, with the values where renderings could part ways
        s.execute("CREATE TABLE edge_types (id integer PRIMARY KEY, small smallint, big bigint, real_value real,"
            + " double_value double precision, flag boolean, label varchar(20), padded char(6), amount numeric(12, 4),"
            + " free_number numeric, ident uuid, doc json, docb jsonb, day date, moment timestamp, moment_ms timestamp(3),"
            + " moment_s timestamp(0), raw bytea)");
        s.execute("INSERT INTO edge_types VALUES"
            + " (1, -32768, 9223372036854775807, 0.1, 0.30000000000000004, true, '中文 \"quoted\"', 'ab', 12.5000,"
            + " 0.0000001, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\": 1,  \"a\": [1, 2]}', '{\"b\": 1,  \"a\": [1, 2]}',"
            + " '1999-12-31', '2025-03-01 08:00:00.123456', '2025-03-01 08:00:00.5', '2025-03-01 08:00:00', '\\x00ff10'),"
            + " (2, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),"
            + " (3, 0, -1, 'NaN', '-Infinity', false, '', '', 0, 'NaN', null, 'null', '[]', '2024-02-29',"
            + " '2025-03-01 00:00:00', '2025-03-01 23:59:59.999', '2025-03-01 12:00:00', '')");
      }
    }
    Map<String, List<String>> debezium = rawRows(capture("dbz", "worklog", Map.of("snapshot.mode", "initial"), null), "dbz");
    Map<String, List<String>> parallel = rawRows(capture("par", "worklog", Map.of(), new InitialLoad.Options(3, 40)), "par");
    assertEquals(debezium.keySet(), parallel.keySet(), "the same tables");
    for (String table : debezium.keySet()) {
      assertEquals(debezium.get(table), parallel.get(table), table + ": the same rows, key for key, byte for byte");
    }
    assertTrue(parallel.get("public.work_log").size() > 200, "work_log was read in many chunks of 40 rows");
    assertEquals(3, parallel.get("public.edge_types").size());
  }

  @Test
  void changesDuringAnInterruptedAndResumedLoadEnterExactlyOnce() throws Exception {
    server.createDatabase("probe");
    try (Connection c = probe(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE load_probe (id bigint PRIMARY KEY, note text NOT NULL)");
      // large enough that a run interrupted after its first commits leaves most chunks unread
      s.execute("INSERT INTO load_probe SELECT g, 'seed' FROM generate_series(1, 400000) g");
      s.execute("ANALYZE load_probe");
    }
    Map<Long, List<String>> history = Collections.synchronizedMap(new HashMap<>());
    for (long id = 1; id <= 400_000; id++) {
      history.put(id, new ArrayList<>(List.of("seed")));
    }
    WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("wh-probe").toString()));
    SourceConnection source = new SourceConnection("probe", "127.0.0.1", server.port(), "probe", "postgres", "", "public", Map.of());
    InitialLoad.Options small = new InitialLoad.Options(2, 400);
    Table raw = RawChangeTable.open(warehouse, "probe", "public.load_probe");

    // First run: a writer changes rows while the load reads; the run is interrupted after a few chunks.
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<Exception> writerFailure = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try (Connection c = probe(); PreparedStatement insert = c.prepareStatement("INSERT INTO load_probe VALUES (?, 'insert')");
           PreparedStatement update = c.prepareStatement("UPDATE load_probe SET note = 'during' WHERE id = ?")) {
        for (long i = 1; writing.get() && i <= 20000; i += 7) {
          insert.setLong(1, 1_000_000 + i);
          insert.executeUpdate();
          history.put(1_000_000 + i, new ArrayList<>(List.of("insert")));
          update.setLong(1, i);
          update.executeUpdate();
          history.get(i).add("during");
        }
      } catch (Exception e) {
        writerFailure.set(e);
      }
    });
    List<String> lines = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> firstRun = new AtomicReference<>();
    AtomicReference<CaptureRunner.Result> firstResult = new AtomicReference<>();
    CaptureRunner stopped = new CaptureRunner(warehouse, source, small);
    Thread run = new Thread(() -> {
      try {
        firstResult.set(stopped.run(CaptureRunner.Mode.CATCH_UP, lines::add));
      } catch (Throwable t) {
        firstRun.set(t);
      }
    });
    writer.start();
    run.start();
    long deadline = System.currentTimeMillis() + 600_000;
    while (committedChunks(raw).isEmpty() && run.isAlive()) {
      assertTrue(System.currentTimeMillis() < deadline, "a chunk committed within ten minutes");
      Thread.sleep(5); // polling the condition, not timing it
    }
    stopped.requestStop(); // as Ctrl-C does: the load stops after the commit in hand
    run.join(300_000);
    writing.set(false);
    writer.join(300_000);
    assertFalse(run.isAlive(), "the stopped run ends");
    assertEquals(null, firstRun.get());
    assertTrue(firstResult.get().reachedLsn() < firstResult.get().targetLsn(), "the stopped load reports that it did not catch up");
    assertEquals(null, writerFailure.get());
    LoadPlan plan = LoadPlan.parse(table(warehouse).properties().get(LoadPlan.PROPERTY));
    Set<Integer> loadedFirst = committedChunks(table(warehouse));
    assertTrue(loadedFirst.size() < plan.chunks(), "the first run left chunks to read: " + loadedFirst.size()
        + " of " + plan.chunks());

    // Between the runs: changes to rows of chunks not read yet (the resumed load's snapshot holds them).
    List<Long> pending = new ArrayList<>();
    try (Connection c = probe(); PreparedStatement update = c.prepareStatement("UPDATE load_probe SET note = 'between' WHERE id = ?")) {
      for (long id = 1; id <= 400_000 && pending.size() < 50; id += 13) {
        if (!loadedFirst.contains(plan.chunkOf(id))) {
          update.setLong(1, id);
          update.executeUpdate();
          history.get(id).add("between");
          pending.add(id);
        }
      }
    }
    assertFalse(pending.isEmpty());

    lines.clear();
    CaptureRunner.Result resumed = new CaptureRunner(warehouse, source, small).run(CaptureRunner.Mode.CATCH_UP, lines::add);
    assertFalse(resumed.resumed(), "no checkpoint yet: the load resumes, not the stream");
    int left = plan.chunks() - loadedFirst.size();
    assertTrue(lines.stream().anyMatch(l -> l.contains(", " + left + " chunk(s) to read")),
        "only the " + left + " chunks not committed are read: " + lines);
    assertEquals(plan.chunks(), committedChunks(table(warehouse)).size(), "every chunk committed once");
    assertTrue(lines.stream().anyMatch(l -> l.contains("were already in the rows a resumed initial load read")),
        "streamed changes the resumed load had read were dropped: " + lines);

    // After the load: changes stream as usual.
    try (Connection c = probe(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE load_probe SET note = 'after' WHERE id <= 20000 AND id % 500 = 0");
      s.executeUpdate("DELETE FROM load_probe WHERE id = 19999");
    }
    for (long id = 500; id <= 20000; id += 500) {
      history.get(id).add("after");
    }
    history.get(19999L).add(null);
    new CaptureRunner(warehouse, source, small).run(CaptureRunner.Mode.CATCH_UP, lines::add);

    Map<Long, List<String>> seen = new TreeMap<>();
    Set<Long> seqs = new HashSet<>();
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> all = IcebergGenerics.read(table(warehouse)).build()) {
      all.forEach(rows::add);
    }
    rows.sort((x, y) -> Long.compare((Long) x.getField("event_seq"), (Long) y.getField("event_seq")));
    for (Record r : rows) {
      assertTrue(seqs.add((Long) r.getField("event_seq")), "event_seq " + r.getField("event_seq") + " once");
      long id = JSON.readTree((String) r.getField("key_json")).get("id").asLong();
      String after = (String) r.getField("after_json");
      seen.computeIfAbsent(id, k -> new ArrayList<>()).add(after == null ? null : JSON.readTree(after).get("note").asText());
    }
    assertEquals(history.keySet(), seen.keySet(), "every row that ever existed was captured");
    for (Map.Entry<Long, List<String>> e : seen.entrySet()) {
      List<String> truth = history.get(e.getKey());
      int from = truth.indexOf(e.getValue().get(0));
      assertTrue(from >= 0, "row " + e.getKey() + " first seen as a version it had: " + e.getValue() + " vs " + truth);
      assertEquals(truth.subList(from, truth.size()), e.getValue(),
          "row " + e.getKey() + ": every change after the version read, once, in order");
    }
  }

  @Test
  void aTableTheLoadCannotRenderFallsBackToDebeziumsSnapshot() throws Exception {
    server.createDatabase("oddity");
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("oddity")); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE opening_hours (id integer PRIMARY KEY, opens time NOT NULL)");
      s.execute("INSERT INTO opening_hours VALUES (1, '08:30'), (2, '13:00')");
    }
    List<String> lines = new ArrayList<>();
    WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("wh-odd").toString()));
    SourceConnection source = new SourceConnection("odd", "127.0.0.1", server.port(), "oddity", "postgres", "", "public", Map.of());
    new CaptureRunner(warehouse, source).run(CaptureRunner.Mode.CATCH_UP, lines::add);
    assertTrue(lines.stream().anyMatch(l -> l.contains("Debezium's snapshot reads the existing rows instead")
        && l.contains("opens (time)")), lines.toString());
    assertEquals(2, rawRows(warehouse, "odd").get("public.opening_hours").size());
    assertThrows(IllegalArgumentException.class, () -> new InitialLoad.Options(0, 10), "a load needs a reader");
  }

  private static Connection probe() throws Exception {
    return DriverManager.getConnection(server.jdbcUrl("probe"));
  }

  private static Table table(WarehouseCatalog warehouse) {
    return warehouse.load(RawChangeTable.identifier("probe", "public.load_probe"));
  }

  private static Set<Integer> committedChunks(Table raw) {
    raw.refresh();
    return LoadedChunks.committedChunks(raw);
  }

  private static WarehouseCatalog capture(String name, String database, Map<String, String> debezium,
      InitialLoad.Options load) throws Exception {
    WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("wh-" + name).toString()));
    SourceConnection source = new SourceConnection(name, "127.0.0.1", server.port(), database, "postgres", "", "public", debezium);
    new CaptureRunner(warehouse, source, load).run(CaptureRunner.Mode.CATCH_UP, System.out::println);
    return warehouse;
  }

  /** Source table → its snapshot rows (op, key, row image, row schema), sorted. */
  private static Map<String, List<String>> rawRows(WarehouseCatalog warehouse, String source) throws Exception {
    Map<String, List<String>> tables = new TreeMap<>();
    for (var id : warehouse.tables(WarehouseCatalog.Layer.RAW)) {
      Table t = warehouse.load(id);
      if (!source.equals(t.properties().get(RawChangeTable.SOURCE_PROPERTY))) {
        continue;
      }
      List<String> rows = new ArrayList<>();
      try (CloseableIterable<Record> all = IcebergGenerics.read(t).build()) {
        for (Record r : all) {
          if ((Boolean) r.getField("is_snapshot")) {
            rows.add(r.getField("op") + " " + r.getField("key_json") + " " + r.getField("after_json") + " "
                + r.getField(RawChangeTable.ROW_SCHEMA) + " " + r.getField("before_json"));
          }
        }
      }
      Collections.sort(rows);
      tables.put(t.properties().get(RawChangeTable.SOURCE_TABLE_PROPERTY), rows);
    }
    return tables;
  }
}
