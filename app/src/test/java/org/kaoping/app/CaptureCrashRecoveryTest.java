package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
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
import java.util.concurrent.TimeUnit;

import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.World;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * Exactly-once under failure: ingestion runs as a separate process that is killed (SIGKILL) and
 * stopped (SIGTERM) while changes stream; afterwards the current-state tables equal the source
 * row for row and no source position was ingested twice.
 */
class CaptureCrashRecoveryTest extends WithEmbeddedSources {

  @Test
  void killedAndStoppedIngestionLosesAndDuplicatesNothing() throws Exception {
    World world = WorldGenerator.generate(new DemoScale(5, 3, 2025), WorkingCalendar.builtIn());
    SourceLoader loader = new SourceLoader(world);
    LocalDateTime asOf = LocalDateTime.of(2025, 1, 1, 0, 0);
    advance(loader, null, asOf);

    Process ingest = startIngest(600);
    waitForCheckpoint(0);
    asOf = streamMonths(loader, asOf, 2);
    long before = waitForCheckpoint(latestBatch());
    Thread.sleep(300); // let it get into the next month's stream, then pull the plug
    ingest.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    asOf = streamMonths(loader, asOf, 1);
    ingest = startIngest(600);
    waitForCheckpoint(before);
    asOf = streamMonths(loader, asOf, 2);
    waitForCheckpoint(latestBatch());
    Thread.sleep(300);
    ingest.destroy(); // SIGTERM: a clean stop
    assertTrue(ingest.waitFor(90, TimeUnit.SECONDS), "ingest stops within 90 s of SIGTERM");

    asOf = streamMonths(loader, asOf, 1);
    Process last = startIngest(3); // catches up, then stops by itself
    assertTrue(last.waitFor(5, TimeUnit.MINUTES), "final ingest finishes");
    assertEquals(0, last.exitValue(), "final ingest exit code (see " + dir.resolve("ingest.log") + ")");

    System.out.println("---- ingest processes' output ----\n" + java.nio.file.Files.readString(dir.resolve("ingest.log"))
        .lines().filter(l -> !l.startsWith("\tat ") && !l.contains("WARN")).collect(java.util.stream.Collectors.joining("\n")));
    assertNoDuplicatePositions("worklog_work_log");
    assertNoDuplicatePositions("worklog_log_review");
    assertNoDuplicatePositions("worklog_staff");

    assertEquals(0, Kaoping.commandLine().execute("build", "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port(), "--set", "spark.master=local[2]"));
    assertEquals(sourceRows("SELECT id, status, minutes, updated_at FROM work_log"),
        stagingRows("work_log", "log_id", "status", "minutes", "updated_at"), "staging.work_log equals the source");
    assertEquals(sourceRows("SELECT id, decision, level, reviewed_at FROM log_review"),
        stagingRows("log_review", "review_id", "decision", "level", "reviewed_at"), "staging.log_review equals the source");
    assertEquals(sourceRows("SELECT id, section_id, active_to, updated_at FROM staff"),
        stagingRows("staff", "staff_id", "section_id", "active_to", "updated_at"), "staging.staff equals the source");
  }

  private LocalDateTime streamMonths(SourceLoader loader, LocalDateTime from, int months) throws Exception {
    LocalDateTime at = from;
    for (int i = 0; i < months; i++) {
      LocalDateTime next = at.plusMonths(1);
      advance(loader, at, next);
      at = next;
    }
    return at;
  }

  private void advance(SourceLoader loader, LocalDateTime from, LocalDateTime to) throws Exception {
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      loader.advance(from, to, w, a);
    }
  }

  private Process startIngest(int idleSeconds) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Kaoping.class.getName(), "ingest",
        "--home", dir.toString(), "--set", "sources=worklog", "--set", "source.worklog.port=" + server.port(),
        "--set", "ingest.idle-seconds=" + idleSeconds));
    File log = dir.resolve("ingest.log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
  }

  /** Waits until the checkpoint moves past {@code batch}; returns the new batch number. */
  private long waitForCheckpoint(long batch) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      long latest = latestBatch();
      if (latest > batch) {
        return latest;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no checkpoint after batch " + batch + " within 120 s; see " + dir.resolve("ingest.log"));
  }

  private long latestBatch() throws Exception {
    try (WarehouseCatalog w = warehouse()) {
      return IngestCheckpoints.open(w).latest("worklog").map(IngestCheckpoints.Checkpoint::batchSeq).orElse(0L);
    }
  }

  private static WarehouseCatalog warehouse() {
    return WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()));
  }

  private void assertNoDuplicatePositions(String table) throws Exception {
    List<Record> rows;
    try (WarehouseCatalog w = warehouse()) {
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

  private Map<Long, List<String>> sourceRows(String sql) throws Exception {
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

  private Map<Long, List<String>> stagingRows(String table, String key, String... columns) throws Exception {
    Map<Long, List<String>> rows = new HashMap<>();
    try (WarehouseCatalog w = warehouse()) {
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
