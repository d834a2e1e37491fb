package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.iceberg.data.Record;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.demo.SourceLoader;
import org.kaoping.ingestion.SourceConnection;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.WarehouseCatalog;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.demo.EmbeddedSourceServer;

/** A test class with its own real PostgreSQL source systems (empty schemas) and a home directory. */
abstract class WithEmbeddedSources {
  private static final Pattern OFFSET_LSN = Pattern.compile("\"lsn\":(\\d+)");
  @TempDir static Path dir;
  static EmbeddedSourceServer server;

  @BeforeAll
  static void startSources() throws Exception {
    server = EmbeddedSourceServer.start(dir.resolve("sources"));
    server.ensureSourceSchemas();
  }

  @AfterAll
  static void stopSources() {
    server.close();
  }

  /** Runs a script of the test resources (such as {@code fixture/phase1.sql}) on the work-log system. */
  static void runWorklogScript(String resource) throws Exception {
    runWorklogSql(new String(WithEmbeddedSources.class.getClassLoader().getResourceAsStream(resource).readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Runs statements on the work-log system, in order. */
  static void runWorklogSql(String... statements) throws Exception {
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  // shared by the capture crash tests: the demo sources moving on, and what the warehouse then holds

  LocalDateTime streamMonths(SourceLoader loader, LocalDateTime from, int months) throws Exception {
    LocalDateTime at = from;
    for (int i = 0; i < months; i++) {
      LocalDateTime next = at.plusMonths(1);
      advance(loader, at, next);
      at = next;
    }
    return at;
  }

  void advance(SourceLoader loader, LocalDateTime from, LocalDateTime to) throws Exception {
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      loader.advance(from, to, w, a);
    }
  }

  /** Waits until everything the source committed so far is committed in the warehouse, judged by WAL position. */
  void awaitCaughtUp() throws Exception {
    long target = new SourceConnection("worklog", "127.0.0.1", server.port(), "worklog", "postgres", "", "public", Map.of())
        .catchUpTarget();
    ChildKaoping.await("the warehouse checkpoint to pass LSN " + target, 600, () -> checkpointLsn() >= target);
  }

  long checkpointLsn() {
    try (WarehouseCatalog w = openWarehouse()) {
      return IngestCheckpoints.open(w).latest("worklog").map(c -> {
        Matcher m = OFFSET_LSN.matcher(c.offsetValueJson());
        return m.find() ? Long.parseLong(m.group(1)) : -1L;
      }).orElse(-1L);
    } catch (Exception e) {
      return -1; // the child is still creating the warehouse
    }
  }

  /** The warehouse the shared checks read: the home's directory catalog unless a test uses another. */
  WarehouseCatalog openWarehouse() {
    return warehouse();
  }

  static WarehouseCatalog warehouse() {
    return WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()));
  }

  /** Where the capture tests' ingest processes write their output. */
  static Path ingestLog() {
    return dir.resolve("ingest.log");
  }

  /**
   * After an ingest killed inside a commit and run again: prints the processes' output, and checks that the restart
   * rolled the killed batch back and that no source position of the captured work-log tables stands twice.
   */
  void assertKilledBatchRolledBackWithoutDuplicates() throws Exception {
    System.out.println("---- ingest processes' output ----\n" + java.nio.file.Files.readString(ingestLog())
        .lines().filter(l -> !l.startsWith("\tat ") && !l.contains("WARN")).collect(java.util.stream.Collectors.joining("\n")));
    assertTrue(ChildKaoping.logContains(ingestLog(), "rolled back"), "the killed batch was rolled back on restart");
    assertNoDuplicatePositions("worklog_work_log");
    assertNoDuplicatePositions("worklog_log_review");
    assertNoDuplicatePositions("worklog_staff");
  }

  void assertNoDuplicatePositions(String table) throws Exception {
    List<Record> rows;
    try (WarehouseCatalog w = openWarehouse()) {
      rows = TestTables.readAll(w, "raw", table);
    }
    Set<Long> seqs = new HashSet<>();
    Set<String> positions = new HashSet<>();
    for (Record r : rows) {
      assertTrue(seqs.add((Long) r.getField("event_seq")), table + ": event_seq " + r.getField("event_seq") + " twice");
      String position = r.getField("is_snapshot") + "/" + r.getField("source_lsn") + "/" + r.getField("op") + "/" + r.getField("key_json");
      assertTrue(positions.add(position), table + ": source position " + position + " ingested twice");
    }
    assertTrue(rows.stream().anyMatch(r -> !(Boolean) r.getField("is_snapshot")), table + " has streamed rows");
  }

  /** After a build: staging's work logs, reviews and staff equal the source's, row for row. */
  void assertStagingEqualsSource() throws Exception {
    assertEquals(sourceRows("SELECT id, status, minutes, updated_at FROM work_log"),
        stagingRows("work_log", "log_id", "status", "minutes", "updated_at"), "staging.work_log equals the source");
    assertEquals(sourceRows("SELECT id, decision, level, reviewed_at FROM log_review"),
        stagingRows("log_review", "review_id", "decision", "level", "reviewed_at"), "staging.log_review equals the source");
    assertEquals(sourceRows("SELECT id, section_id, active_to, updated_at FROM staff"),
        stagingRows("staff", "staff_id", "section_id", "active_to", "updated_at"), "staging.staff equals the source");
  }

  Map<Long, List<String>> sourceRows(String sql) throws Exception {
    Map<Long, List<String>> rows = new HashMap<>();
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
          Object v = rs.getObject(i);
          values.add(v instanceof java.sql.Timestamp t ? t.toLocalDateTime().toString()
              : v instanceof java.sql.Date d ? d.toLocalDate().toString() : v == null ? null : v.toString());
        }
        rows.put(rs.getLong(1), values);
      }
    }
    return rows;
  }

  Map<Long, List<String>> stagingRows(String table, String key, String... columns) throws Exception {
    Map<Long, List<String>> rows = new HashMap<>();
    try (WarehouseCatalog w = openWarehouse()) {
      for (Record r : TestTables.readAll(w, "staging", table)) {
        List<String> values = new ArrayList<>();
        for (String c : columns) {
          Object v = r.getField(c);
          values.add(v == null ? null : v.toString());
        }
        rows.put(((Number) r.getField(key)).longValue(), values);
      }
    }
    return rows;
  }
}
