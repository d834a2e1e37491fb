package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.app.bench.DuckDbHeadline;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.jobs.MetricSettings;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * On the demo data: the marts built through CDC → Iceberg → Spark agree with an independent
 * computation (plain SQL in PostgreSQL over the source databases themselves) for every person-month
 * and unit-month, first after a full build and again after an incremental one; and the incremental
 * build equals a full rebuild from raw, row for row in every current-state, staging and mart table and in the
 * rule breaks. (Sections are left out of the SQL cross-check: the
 * source keeps only today's assignment, the marts use the history.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndependentCrossCheckTest {
  @TempDir static Path dir;

  /**
   * Measures of one entity and month: workload, expected, filing days, filed, needing review, fully reviewed (on the
   * log's last review round), returned in any round.
   */
  private static final String SOURCE_SQL = """
      WITH counted AS (
        SELECT * FROM work_log WHERE status IN ('SUBMITTED', 'APPROVED') AND work_date <= ?
      ),
      day_logs AS (
        SELECT staff_id, work_date,
               coalesce(sum(minutes) FILTER (WHERE category = 'LEAVE'), 0) AS leave_minutes,
               min(submitted_at) AS first_submitted_at
        FROM counted GROUP BY staff_id, work_date
      ),
      expected_days AS (
        SELECT s.id AS staff_id, s.unit_id, c.d, 420 - least(coalesce(l.leave_minutes, 0), 420) AS expected,
               coalesce(l.leave_minutes, 0) < 420 AS filing,
               coalesce(l.leave_minutes, 0) < 420 AND l.first_submitted_at < (g.d + 1) AS filed
        FROM staff s
        JOIN cal c ON c.working AND c.d >= s.active_from AND (s.active_to IS NULL OR c.d <= s.active_to) AND c.d <= ?
        JOIN cal g ON g.working AND g.idx = c.idx + 1
        LEFT JOIN day_logs l ON l.staff_id = s.id AND l.work_date = c.d
      ),
      reviews AS (
        SELECT r.log_id, max(r.level) FILTER (WHERE r.review_round = l.review_round) AS top_level,
               coalesce(bool_or(r.decision = 'RETURNED') FILTER (WHERE r.review_round = l.review_round), false) AS returned,
               bool_or(r.decision = 'RETURNED') AS ever_returned
        FROM log_review r JOIN work_log l ON l.id = r.log_id GROUP BY r.log_id
      ),
      needing AS (
        SELECT l.staff_id, s.unit_id, l.work_date,
               coalesce(r.top_level, 0) >= CASE s.role WHEN 'STAFF' THEN 2 ELSE 1 END OR coalesce(r.returned, false) AS fully,
               coalesce(r.ever_returned, false) AS returned
        FROM work_log l JOIN staff s ON s.id = l.staff_id LEFT JOIN reviews r ON r.log_id = l.id
        WHERE l.status IN ('SUBMITTED', 'APPROVED', 'RETURNED') AND s.role <> 'PRINCIPAL_LEADER' AND l.work_date <= ?
      ),
      measures AS (
        SELECT staff_id, unit_id, to_char(work_date, 'YYYY-MM') AS month, minutes AS workload, 0 AS expected,
               0 AS filing, 0 AS filed, 0 AS needing, 0 AS fully, 0 AS returned
        FROM counted c JOIN staff s ON s.id = c.staff_id WHERE c.category <> 'LEAVE'
        UNION ALL
        SELECT staff_id, unit_id, to_char(d, 'YYYY-MM'), 0, expected, filing::int, filed::int, 0, 0, 0 FROM expected_days
        UNION ALL
        SELECT staff_id, unit_id, to_char(work_date, 'YYYY-MM'), 0, 0, 0, 0, 1, fully::int, returned::int FROM needing
      )
      SELECT 'PERSON' AS level, staff_id AS entity, month, sum(workload), sum(expected), sum(filing), sum(filed),
             sum(needing), sum(fully), sum(returned)
      FROM measures GROUP BY staff_id, month
      UNION ALL
      SELECT 'UNIT', unit_id, month, sum(workload), sum(expected), sum(filing), sum(filed), sum(needing), sum(fully),
             sum(returned)
      FROM measures GROUP BY unit_id, month
      """;

  @Test
  @Order(1)
  void martsAgreeWithPlainSqlOverTheSources() throws Exception {
    assertEquals(0, demo());
    assertEquals(sourceMeasures(), martMeasures());
    duckDbAgreesWithTheMarts();
  }

  /** A second engine: DuckDB over the staging snapshots' Parquet files (the benchmark's check), sections included. */
  private static void duckDbAgreesWithTheMarts() throws Exception {
    try (WarehouseCatalog w = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()))) {
      DuckDbHeadline.Result duck = DuckDbHeadline.run(w, MetricSettings.defaults(), latestAsOf());
      assertTrue(duck.rows() > 100, duck.rows() + " rows");
      assertEquals(List.of(), duck.differences());
    }
  }

  /** December has no organisation changes in the generated world, so the second run is incremental. */
  @Test
  @Order(2)
  void incrementalRefreshAgreesWithTheSourcesAndWithAFullRebuild() throws Exception {
    assertEquals(0, demo());
    List<Record> builds = read("ops", "build_run");
    builds.sort(java.util.Comparator.comparing(r -> r.getField("finished_at").toString()));
    String scope = (String) builds.get(builds.size() - 1).getField("refresh_scope");
    // a November log returned and resubmitted may be reviewed again in these December days: November changes too
    assertTrue(scope.matches("incremental: \\d+ changed month\\(s\\) (2025-1[01]\\.\\.)?2025-12.*"), scope);
    // the organisation did not change: its staging tables stand as the previous build wrote them
    String before = (String) builds.get(builds.size() - 2).getField("output_snapshots");
    String after = (String) builds.get(builds.size() - 1).getField("output_snapshots");
    for (String kept : List.of("staging.unit", "staging.section", "staging.work_category")) {
      assertEquals(snapshotIn(before, kept), snapshotIn(after, kept), kept + " was rewritten though its inputs did not change");
    }
    assertEquals(sourceMeasures(), martMeasures());

    // the second build merged the new raw events into the current state instead of rebuilding it from every event
    try (WarehouseCatalog w = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()))) {
      assertEquals("overwrite", w.load(TableIdentifier.of("current", "worklog_work_log")).currentSnapshot().operation(),
          "current.worklog_work_log was rebuilt, not merged");
    }

    Map<String, List<String>> incremental = builtTables();
    assertTrue(incremental.keySet().containsAll(List.of("staging.work_log", "staging.log_review", "staging.target_task_month",
        "current.worklog_work_log", "mart.metrics_by_period", "mart.unit_score_by_period", "ops.rejected_rows")),
        incremental.keySet().toString());
    assertEquals(0, Kaoping.commandLine().execute("build", "--full", "--home", dir.toString(),
        "--set", "spark.master=local[2]"));
    Map<String, List<String>> full = builtTables();
    assertEquals(incremental.keySet(), full.keySet());
    for (String table : incremental.keySet()) {
      assertEquals(incremental.get(table), full.get(table), table + ": incremental build differs from a full rebuild");
    }
  }

  /**
   * Every row, all columns, of every current-state, staging and mart table and of the rule breaks (less the build
   * that detected them), as sorted text: equal lists mean equal tables.
   */
  private static Map<String, List<String>> builtTables() throws Exception {
    Map<String, List<String>> tables = new TreeMap<>();
    try (WarehouseCatalog w = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()))) {
      for (WarehouseCatalog.Layer layer : List.of(WarehouseCatalog.Layer.CURRENT, WarehouseCatalog.Layer.STAGING,
          WarehouseCatalog.Layer.MART)) {
        for (TableIdentifier id : w.tables(layer)) {
          tables.put(id.toString(), rows(w, id, List.of()));
        }
      }
      tables.put("ops.rejected_rows", rows(w, TableIdentifier.of("ops", "rejected_rows"), List.of("build_id", "detected_at")));
    }
    return tables;
  }

  /** The table's own columns: a reader applying delete files adds the row position (_pos) to the records it returns. */
  private static List<String> rows(WarehouseCatalog w, TableIdentifier id, List<String> leftOut) throws Exception {
    List<String> columns = w.load(id).schema().columns().stream().map(org.apache.iceberg.types.Types.NestedField::name)
        .filter(c -> !leftOut.contains(c)).toList();
    return TestTables.readAll(w, id.namespace().toString(), id.name()).stream()
        .map(r -> columns.stream().map(c -> c + "=" + r.getField(c)).collect(java.util.stream.Collectors.joining(", ")))
        .sorted().toList();
  }

  private static String snapshotIn(String outputSnapshots, String table) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(outputSnapshots).get(table).asText();
  }

  private static int demo() {
    return Kaoping.commandLine().execute("demo", "--home", dir.toString(), "--units", "4", "--seed", "11",
        "--set", "spark.master=local[2]");
  }

  private static List<Record> read(String namespace, String table) throws Exception {
    try (WarehouseCatalog w = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()))) {
      return new java.util.ArrayList<>(TestTables.readAll(w, namespace, table));
    }
  }

  private static Map<String, List<Long>> martMeasures() throws Exception {
    Map<String, List<Long>> marts = new TreeMap<>();
    for (Record r : read("mart", "metrics_by_period")) {
      if ("MONTH".equals(r.getField("period_type")) && !"SECTION".equals(r.getField("level"))) {
        marts.put(r.getField("level") + " " + r.getField("entity_id") + " " + r.getField("period"), List.of(
            (Long) r.getField("workload_minutes"), (Long) r.getField("expected_minutes"), (Long) r.getField("filing_days"),
            (Long) r.getField("filed_days"), (Long) r.getField("logs_needing_review"), (Long) r.getField("logs_fully_reviewed"),
            (Long) r.getField("logs_returned")));
      }
    }
    // the marts also list units in months they had no people; the sources have no such rows
    marts.entrySet().removeIf(e -> e.getKey().startsWith("UNIT") && e.getValue().stream().allMatch(v -> v == 0));
    return marts;
  }

  private static LocalDate latestAsOf() throws Exception {
    List<Record> builds = read("ops", "build_run");
    builds.sort(java.util.Comparator.comparing(r -> r.getField("finished_at").toString()));
    return (LocalDate) builds.get(builds.size() - 1).getField("as_of_date");
  }

  /** The same measures computed by plain SQL over the source databases, as of the latest build's date. */
  private static Map<String, List<Long>> sourceMeasures() throws Exception {
    LocalDate asOf = latestAsOf();
    Map<String, List<Long>> source = new TreeMap<>();
    try (EmbeddedSourceServer server = EmbeddedSourceServer.start(dir.resolve("sources"));
         Connection c = server.connect(SourceDatabase.WORKLOG)) {
      loadCalendar(c, WorkingCalendar.builtIn());
      try (PreparedStatement ps = c.prepareStatement(SOURCE_SQL)) {
        for (int i = 1; i <= 3; i++) {
          ps.setDate(i, Date.valueOf(asOf));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            source.put(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3), List.of(rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)));
          }
        }
      }
    }
    assertTrue(source.size() > 100, "the demo has person-months to compare: " + source.size());
    return source;
  }

  private static void loadCalendar(Connection c, WorkingCalendar calendar) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE cal (d date PRIMARY KEY, working boolean, idx int)");
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO cal VALUES (?, ?, ?)")) {
      int idx = 0;
      for (WorkingCalendar.Day d : calendar.days(LocalDate.of(2025, 1, 1), LocalDate.of(2026, 1, 31))) {
        idx += d.isWorkingDay() ? 1 : 0;
        ps.setDate(1, Date.valueOf(d.date()));
        ps.setBoolean(2, d.isWorkingDay());
        ps.setInt(3, idx);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
