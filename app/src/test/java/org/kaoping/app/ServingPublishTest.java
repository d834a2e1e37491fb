package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.WarehouseSettings;
import org.kaoping.delivery.serving.PublicationLog;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.jobs.quality.ReconciledTable;
import org.kaoping.warehouse.WarehouseCatalog;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code kaoping publish} against a real PostgreSQL serving database (database {@code serving} of the
 * embedded server), on the hand-computed fixture plus a September log: records, comments, roles,
 * idempotence, incremental rewrites, atomic switches under a reading loop, a killed publish, bad configuration.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingPublishTest extends WithEmbeddedSources {
  static ServingPublisher.Target target;

  @BeforeAll
  static void buildOnce() throws Exception {
    runWorklogScript("fixture/phase1.sql");
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      s.execute("UPDATE staff SET active_from = '2025-09-01' WHERE id = 104");
      s.execute("INSERT INTO work_log (id, staff_id, work_date, category, minutes, content, status, submitted_at, created_at,"
          + " updated_at) VALUES (1090, 104, '2025-09-15', 'BUSINESS', 200, '九月的工作', 'APPROVED', '2025-09-15 18:00',"
          + " '2025-09-15 17:00', '2025-09-16 10:00')");
    }
    assertEquals(0, kaoping("ingest").exit());
    assertEquals(0, kaoping("build").exit());
    target = Serving.embedded(KaopingConfig.load(null, Map.of()), server.port());
  }

  @Test
  @Order(1)
  void publishesEveryMartWithItsRecordCommentsAndTags() throws Exception {
    Outcome first = kaoping("publish");
    assertEquals(0, first.exit(), first.err());
    try (Connection c = writer(); Statement s = c.createStatement()) {
      assertEquals(1, current(s));
      Map<String, Long> counts = jsonLongs(one(s, "SELECT row_counts::text FROM kaoping.publication WHERE publication_id = 1"));
      Map<String, Long> snapshots = jsonLongs(one(s, "SELECT table_snapshots::text FROM kaoping.publication WHERE publication_id = 1"));
      PublicationLog.Publication recorded;
      try (WarehouseCatalog warehouse = warehouse()) {
        recorded = PublicationLog.open(warehouse).byId(1).orElseThrow();
        for (String t : List.of("mart.unit_score_inputs", "mart.person_score_inputs", "mart.unit_score_by_period",
            "mart.person_score_by_period", "mart.score_indicator_points", "mart.fact_work_log", "ops.build_run")) {
          assertTrue(snapshots.containsKey(t), t + " is recorded");
          assertEquals(snapshots.get(t), warehouse.load(TableIdentifier.parse(t)).refs().get("kaoping-publication-1").snapshotId(),
              t + " is tagged at the published snapshot");
        }
      }
      assertEquals(snapshots, recorded.tableSnapshots());
      assertEquals(counts, recorded.rowCounts());
      assertEquals(jsonStrings(one(s, "SELECT checksums::text FROM kaoping.publication WHERE publication_id = 1")), recorded.checksums());
      // every published table holds what the record says
      assertEquals(counts.get("mart.metrics_by_period"), count(s, "kaoping.metrics_by_period"));
      assertEquals(counts.get("mart.fact_work_log"), count(s, "kaoping.fact_work_log"));
      assertEquals(counts.get("mart.unit_score_by_period"), count(s, "kaoping.unit_score_by_period"));
      assertEquals(counts.get("ops.ingest_checkpoint"), count(s, "kaoping.ops_ingestion_lag"));
      assertEquals(2L, count(s, "kaoping.ops_ingestion_lag"), "one lag row per source");
      assertEquals(counts.get("mart.dim_unit"), count(s, "kaoping.dim_unit"));
      assertEquals(counts.get("mart.fact_review_decision"), count(s, "kaoping.fact_review_decision"));
      assertEquals(0L, count(s, "kaoping.ops_reconciliation"), "no reconcile has run yet");
      assertEquals("九月的工作", one(s, "SELECT content FROM kaoping.fact_work_log WHERE log_id = 1090"));
      assertEquals("0", one(s, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'kaoping'"
          + " AND column_name LIKE '%national%'"));
      assertEquals("0", one(s, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'kaoping'"
          + " AND column_name LIKE '%fingerprint%'"), "the build's bookkeeping stays in the warehouse");
      // definitions where analysts query
      String table = one(s, "SELECT obj_description('kaoping.metrics_by_period'::regclass, 'pg_class')");
      assertTrue(table.contains("One row per level (PERSON, SECTION, UNIT) per entity per period")
          && table.contains("Key: level, entity_id, period_type, period"), table);
      String ratio = one(s, "SELECT col_description('kaoping.metrics_by_period'::regclass, a.attnum) FROM pg_attribute a"
          + " WHERE a.attrelid = 'kaoping.metrics_by_period'::regclass AND a.attname = 'workload_ratio'");
      assertTrue(ratio.contains("workload_minutes / expected_minutes"), ratio);
      // the declared key is the store table's primary key (with the publication that wrote the row)
      assertTrue(one(s, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'p' AND conrelid ="
          + " (SELECT ('kaoping_store.\"' || store_table || '\"')::regclass FROM kaoping_store.store_table"
          + " WHERE name = 'metrics_by_period')").contains("level, entity_id, period_type, period, pub_from"));
    }
  }

  @Test
  @Order(2)
  void publishingTheSameBuildAgainChangesNothing() throws Exception {
    Outcome again = kaoping("publish");
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("nothing changed"), again.out());
    assertEquals("0 []", checksummed(again, "fact_work_log"), "no mart's snapshot moved: no checksum is computed");
    assertEquals("0 []", checksummed(again, "metrics_by_period"));
    try (Connection c = writer(); Statement s = c.createStatement(); WarehouseCatalog warehouse = warehouse()) {
      assertEquals(1, current(s));
      assertEquals("1", one(s, "SELECT count(*) FROM kaoping.publication"));
      assertEquals(1, PublicationLog.open(warehouse).all().size());
    }
  }

  @Test
  @Order(3)
  void theReaderRoleReadsAndCannotWrite() throws Exception {
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.readerRole(), null); Statement s = c.createStatement()) {
      assertTrue(count(s, "kaoping.metrics_by_period") > 0);
      assertTrue(count(s, "kaoping.publication") > 0);
      for (String forbidden : List.of("INSERT INTO kaoping.publication (publication_id) VALUES (99)",
          "CREATE TABLE kaoping.mine (x int)", "CREATE TABLE public.mine (x int)",
          "SELECT * FROM kaoping_store.current_publication", "DELETE FROM kaoping.publication")) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(forbidden), forbidden);
        assertEquals("42501", e.getSQLState(), forbidden + ": " + e.getMessage());
      }
    }
  }

  @Test
  @Order(4)
  void aChangeInOneMonthRewritesOnlyThatMonthsPartitions() throws Exception {
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      s.execute("UPDATE work_log SET minutes = 310 WHERE id = 1001"); // an October log; updated_at (and so the as-of) unchanged
    }
    assertEquals(0, kaoping("ingest").exit());
    assertEquals(0, kaoping("build").exit());
    Outcome publish = kaoping("publish");
    assertEquals(0, publish.exit(), publish.err());
    assertEquals("1 [2025-10]", checksummed(publish, "fact_work_log"), "only the month the build rewrote is checksummed");
    String periodsChecksummed = checksummed(publish, "metrics_by_period");
    assertTrue(periodsChecksummed.matches("[1-4] \\[[^\\]]*\\]")
        && Set.of("MONTH:2025-10", "QUARTER:2025-Q4", "HALF:2025-H2", "YEAR:2025")
        .containsAll(List.of(periodsChecksummed.replaceAll(".*\\[|\\]", "").split(", "))), periodsChecksummed);
    try (Connection c = writer(); Statement s = c.createStatement()) {
      assertEquals(2, current(s));
      Map<String, Long> logParts = newRowsByPart(s, "fact_work_log", 2);
      assertEquals(Set.of("2025-10"), logParts.keySet(), "only October's work logs are rewritten");
      long octoberLogs = Long.parseLong(one(s, "SELECT count(*) FROM kaoping.fact_work_log WHERE work_date >= '2025-10-01'"));
      assertEquals(octoberLogs, logParts.get("2025-10"));
      assertEquals("1", one(s, "SELECT count(*) FROM kaoping_store.\"" + store(s, "fact_work_log")
          + "\" WHERE pub_part = '2025-09' AND pub_from = 1"), "September's rows stay as publication 1 wrote them");
      Set<String> periods = newRowsByPart(s, "metrics_by_period", 2).keySet();
      assertTrue(Set.of("MONTH:2025-10", "QUARTER:2025-Q4", "HALF:2025-H2", "YEAR:2025").containsAll(periods), periods.toString());
      assertFalse(periods.isEmpty());
      assertEquals("310", one(s, "SELECT minutes FROM kaoping.fact_work_log WHERE log_id = 1001"));
      // old versions are pruned once the next publication is live
      assertEquals("0", one(s, "SELECT count(*) FROM kaoping_store.\"" + store(s, "fact_work_log") + "\" WHERE pub_to IS NOT NULL"));
    }
  }

  @Test
  @Order(5)
  void aReaderSeesOnePublicationOrTheNextNeverAMix() throws Exception {
    String check = """
        WITH units AS (SELECT entity_id, period, workload_minutes, publication_id FROM kaoping.metrics_by_period
                       WHERE level = 'UNIT' AND period_type = 'MONTH'),
             people AS (SELECT unit_id, to_char(work_date, 'YYYY-MM') AS period, sum(workload_minutes) AS minutes,
                               min(publication_id) AS lo, max(publication_id) AS hi
                        FROM kaoping.fact_person_day GROUP BY 1, 2)
        SELECT (SELECT count(*) FROM units u LEFT JOIN people p ON p.unit_id = u.entity_id AND p.period = u.period
                WHERE u.workload_minutes <> coalesce(p.minutes, 0)) AS mismatches,
               (SELECT count(DISTINCT x) FROM (SELECT publication_id AS x FROM units UNION SELECT lo FROM people
                UNION SELECT hi FROM people) ids) AS publications,
               (SELECT count(*) FROM units) AS unit_rows,
               (SELECT count(*) - count(DISTINCT log_id) FROM kaoping.fact_work_log) AS duplicate_logs,
               (SELECT max(publication_id) FROM units) AS publication""";
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Set<Long> seen = new TreeSet<>();
    long unitRows;
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(check)) {
      rs.next();
      unitRows = rs.getLong(3);
    }
    Thread loop = new Thread(() -> {
      try (Connection c = reader(); Statement s = c.createStatement()) {
        while (!stop.get()) {
          try (ResultSet rs = s.executeQuery(check)) {
            rs.next();
            assertEquals(0, rs.getLong(1), "unit totals equal the sum of their people's");
            assertEquals(1, rs.getLong(2), "one publication per read");
            assertEquals(unitRows, rs.getLong(3), "every unit row, once");
            assertEquals(0, rs.getLong(4), "no work-log entry twice");
            synchronized (seen) {
              seen.add(rs.getLong(5));
            }
            reads.incrementAndGet();
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    loop.start();
    try {
      for (int i = 0; i < 3; i++) {
        Outcome p = kaoping("publish", "--full");
        assertEquals(0, p.exit(), p.err());
        int before = reads.get();
        ChildKaoping.await("a read after publish " + (i + 1), 120, () -> reads.get() > before + 1 || failure.get() != null);
      }
    } finally {
      stop.set(true);
      loop.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("the reader failed after " + reads.get() + " reads", failure.get());
    }
    assertTrue(seen.containsAll(List.of(3L, 4L, 5L)), "the reader saw every publication: " + seen);
    System.out.println("reader loop: " + reads.get() + " consistent reads across publications " + seen);
  }

  @Test
  @Order(6)
  void aPublishKilledBeforeTheSwitchLeavesThePreviousOneWholeAndTheNextRunCompletes() throws Exception {
    long before;
    Map<String, Long> counts;
    try (Connection c = writer(); Statement s = c.createStatement()) {
      before = current(s);
      counts = jsonLongs(one(s, "SELECT row_counts::text FROM kaoping.publication WHERE publication_id = " + before));
    }
    Path log = dir.resolve("killed-publish.log");
    try (ChildKaoping.Reaper reaper = new ChildKaoping.Reaper()) {
      List<String> held = new ArrayList<>(List.of(WarehouseSettings.HOME.name() + "=" + dir, "serving.jdbc-url=" + target.jdbcUrl()));
      held.addAll(settings());
      Process child = reaper.add(ChildKaoping.startMain(log, HeldPublish.class, held.toArray(String[]::new)));
      ChildKaoping.await("the child publish to be ready to switch", 300,
          () -> ChildKaoping.logContains(log, "ready to switch (holding)") || !child.isAlive());
      assertTrue(child.isAlive(), "the child held before the switch");
      child.destroyForcibly().waitFor();
    }
    try (Connection c = reader(); Statement s = c.createStatement()) {
      assertEquals(before, Long.parseLong(one(s, "SELECT max(publication_id) FROM kaoping.metrics_by_period")));
      assertEquals(counts.get("mart.fact_work_log"), count(s, "kaoping.fact_work_log"));
      assertEquals(counts.get("mart.metrics_by_period"), count(s, "kaoping.metrics_by_period"));
      assertEquals(String.valueOf(before), one(s, "SELECT max(publication_id) FROM kaoping.publication"));
    }
    try (Connection c = writer(); Statement s = c.createStatement()) {
      assertTrue(Long.parseLong(one(s, "SELECT count(*) FROM kaoping_store.\"" + store(s, "fact_work_log")
          + "\" WHERE pub_from > " + before)) > 0, "the killed run had written rows (invisible)");
    }
    Outcome next = kaoping("publish", "--full");
    assertEquals(0, next.exit(), next.err());
    assertTrue(next.out().contains("removed the leftovers"), next.out());
    try (Connection c = writer(); Statement s = c.createStatement(); WarehouseCatalog warehouse = warehouse()) {
      assertEquals(before + 1, current(s));
      assertEquals(counts.get("mart.fact_work_log"), count(s, "kaoping.fact_work_log"));
      assertEquals(before + 1, PublicationLog.open(warehouse).latest().orElseThrow().publicationId());
    }
  }

  @Test
  @Order(7)
  void theLatestReconciliationOfEachTableIsPublished() throws Exception {
    assertEquals(0, kaoping("reconcile").exit());
    long tables = ReconciledTable.ALL.size(); // the fixture's sources hold every reconciled table
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      s.execute("UPDATE work_log SET minutes = minutes + 1 WHERE id = 1090");
    }
    assertEquals(1, kaoping("reconcile").exit());
    Outcome publish = kaoping("publish");
    assertEquals(0, publish.exit(), publish.err());
    try (Connection c = writer(); Statement s = c.createStatement()) {
      assertEquals(tables, count(s, "kaoping.ops_reconciliation"), "one row per reconciled table");
      assertEquals("1", one(s, "SELECT count(DISTINCT reconciled_at) FROM kaoping.ops_reconciliation"), "the latest run only");
      assertEquals("false|true|1090 (differs)", one(s, "SELECT is_ok || '|' || (source_rows = staging_rows + excluded_rows) || '|'"
          + " || differing_keys FROM kaoping.ops_reconciliation WHERE source_table = 'worklog.work_log'"));
      assertEquals("0", one(s, "SELECT count(*) FROM kaoping.ops_reconciliation WHERE NOT is_ok"
          + " AND source_table <> 'worklog.work_log'"));
    }
  }

  @Test
  @Order(8)
  void aRefusingServingDatabaseStopsWithTheKeyAndTouchesNothing() throws Exception {
    long before;
    try (Connection c = writer(); Statement s = c.createStatement()) {
      before = current(s);
    }
    Outcome unreachable = kaoping("publish", "--set", "serving.jdbc-url=jdbc:postgresql://127.0.0.1:1/serving");
    assertEquals(2, unreachable.exit());
    assertTrue(unreachable.err().contains("serving.jdbc-url") && unreachable.err().contains("Cannot reach"), unreachable.err());

    Outcome unknownUser = kaoping("publish", "--set", "serving.user=nobody_here");
    assertEquals(2, unknownUser.exit());
    assertTrue(unknownUser.err().contains("serving.user") && unknownUser.err().contains("KAOPING_SERVING_PASSWORD"),
        unknownUser.err());

    try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres")); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE intruder LOGIN");
      s.execute("REVOKE CONNECT ON DATABASE serving FROM PUBLIC");
      s.execute("GRANT CONNECT ON DATABASE serving TO " + target.readerRole());
    }
    Outcome noPermission = kaoping("publish", "--set", "serving.user=intruder");
    assertEquals(2, noPermission.exit());
    assertTrue(noPermission.err().contains("serving.user") && noPermission.err().contains("lacks permission"), noPermission.err());

    try (Connection c = writer(); Statement s = c.createStatement()) {
      assertEquals(before, current(s), "nothing already delivered is touched");
    }
  }

  // ---- helpers

  record Outcome(int exit, String out, String err) {}

  /** The settings every run of this test uses, as {@code KEY=VALUE}. */
  static List<String> settings() {
    return List.of("source.worklog.port=" + server.port(), "source.approval.port=" + server.port(),
        "metrics.as-of-date=2025-10-31", "spark.master=local[2]");
  }

  static String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--home", dir.toString()));
    settings().forEach(s -> all.addAll(List.of("--set", s)));
    if (command[0].equals("publish") && List.of(command).stream().noneMatch(a -> a.startsWith("serving.jdbc-url"))) {
      all.addAll(List.of("--set", "serving.jdbc-url=" + target.jdbcUrl()));
    }
    return all.toArray(String[]::new);
  }

  /** "N [parts]": the partitions a publish reported computing checksums of for {@code table}. */
  static String checksummed(Outcome publish, String table) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("serving: " + table
        + ": checksums of (\\d+) of \\d+ partition\\(s\\)( \\[[^\\]]*\\])?").matcher(publish.out());
    assertTrue(m.find(), "no checksum report for " + table + " in\n" + publish.out());
    return m.group(1) + (m.group(2) == null ? "" : m.group(2));
  }

  static Outcome kaoping(String... command) {
    StringWriter err = new StringWriter();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream was = System.out;
    var cli = Kaoping.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int exit;
    System.setOut(new java.io.PrintStream(new TeeStream(out, was), true, StandardCharsets.UTF_8));
    try {
      exit = cli.execute(args(command));
    } finally {
      System.setOut(was);
    }
    System.err.print(err);
    return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  /** Output to the test log and to a buffer the test reads. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }

  static Connection writer() throws SQLException {
    return DriverManager.getConnection(target.jdbcUrl(), target.user(), null);
  }

  static Connection reader() throws SQLException {
    return DriverManager.getConnection(target.jdbcUrl(), target.readerRole(), null);
  }

  static WarehouseCatalog warehouse() {
    return WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()));
  }

  static long current(Statement s) throws SQLException {
    return Long.parseLong(one(s, "SELECT publication_id FROM kaoping_store.current_publication"));
  }

  static String store(Statement s, String name) throws SQLException {
    return one(s, "SELECT store_table FROM kaoping_store.store_table WHERE name = '" + name + "'"
        + " AND publication_id = (SELECT publication_id FROM kaoping_store.current_publication)");
  }

  static Map<String, Long> newRowsByPart(Statement s, String name, long publication) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    try (ResultSet rs = s.executeQuery("SELECT pub_part, count(*) FROM kaoping_store.\"" + store(s, name) + "\" WHERE pub_from = "
        + publication + " GROUP BY pub_part")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  static long count(Statement s, String table) throws SQLException {
    return Long.parseLong(one(s, "SELECT count(*) FROM " + table));
  }

  static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      String v = rs.getString(1);
      assertNotNull(v, sql);
      return v;
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Long> jsonLongs(String json) throws Exception {
    Map<String, Object> m = new ObjectMapper().readValue(json, Map.class);
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, ((Number) v).longValue()));
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> jsonStrings(String json) throws Exception {
    return new TreeMap<>(new ObjectMapper().readValue(json, Map.class));
  }

}
