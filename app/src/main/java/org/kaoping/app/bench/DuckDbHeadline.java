package org.kaoping.app.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.kaoping.jobs.MetricSettings;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * The benchmark's independent engine: DuckDB computes the headline metrics (workload ratio, fill rate, review
 * rate per person, section and unit per month) from the Parquet files of the staging tables' current Iceberg
 * snapshots, written here from the definitions in docs/metrics.md without Kaoping's SQL, and checks them equal to
 * {@code mart.metrics_by_period}'s numerators and denominators.
 */
public final class DuckDbHeadline {
  private static final List<String> STAGING = List.of("work_log", "staff", "staff_assignment", "log_review");

  /** Rows computed, rows compared, and the rows that differ (at most a few, for the report). */
  public record Result(long rows, double computeSeconds, List<String> differences) {}

  private DuckDbHeadline() {}

  public static Result run(WarehouseCatalog warehouse, MetricSettings settings, LocalDate asOf) throws Exception {
    Path spill = Files.createTempDirectory("kaoping-duckdb-spill");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
      s.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
      // DuckDB's default is 80 % of the machine's memory, outside the JVM's heap: at Linyi scale it took 17 GB beside other
      // processes and the kernel killed the bench. The peer gets Kaoping's budget (the JVM's maximum heap) and spills past it.
      s.execute("SET memory_limit = '" + Math.max(1, Runtime.getRuntime().maxMemory() >> 20) + "MB'");
      s.execute("SET temp_directory = '" + spill.toString().replace("'", "''") + "'");
      for (String table : STAGING) {
        s.execute("CREATE VIEW " + table + " AS SELECT * FROM read_parquet(" + files(warehouse, "staging", table) + ")");
      }
      s.execute("CREATE VIEW calendar_day AS SELECT * FROM read_parquet(" + files(warehouse, "mart", "calendar_day") + ")");
      s.execute("CREATE VIEW marts AS SELECT * FROM read_parquet(" + files(warehouse, "mart", "metrics_by_period") + ")");
      long t0 = System.nanoTime();
      s.execute("CREATE TABLE headline AS " + headlineSql(settings, asOf));
      double seconds = (System.nanoTime() - t0) / 1e9;
      long rows = single(s, "SELECT count(*) FROM headline");
      List<String> differences = new ArrayList<>();
      String measures = "level, entity_id, period, workload_minutes, expected_minutes, filing_days, filed_days,"
          + " logs_needing_review, logs_fully_reviewed";
      String marts = "SELECT " + measures + " FROM marts WHERE period_type = 'MONTH'"
          + " AND (level <> 'UNIT' OR expected_minutes > 0 OR logs_needing_review > 0 OR filing_days > 0)";
      for (String[] side : new String[][] {{"DuckDB only", "SELECT " + measures + " FROM headline EXCEPT " + marts},
          {"marts only", marts + " EXCEPT SELECT " + measures + " FROM headline"}}) {
        try (ResultSet rs = s.executeQuery(side[1] + " ORDER BY 1, 2, 3 LIMIT 5")) {
          while (rs.next()) {
            differences.add(side[0] + ": " + rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3)
                + " workload " + rs.getLong(4) + "/" + rs.getLong(5) + ", filed " + rs.getLong(7) + "/" + rs.getLong(6)
                + ", reviewed " + rs.getLong(9) + "/" + rs.getLong(8));
          }
        }
      }
      return new Result(rows, seconds, differences);
    } finally {
      try (var files = Files.walk(spill)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** The Parquet files of a table's current snapshot, as a DuckDB list literal; a table with deletes is refused. */
  private static String files(WarehouseCatalog warehouse, String namespace, String name) throws Exception {
    Table table = warehouse.catalog().loadTable(TableIdentifier.of(namespace, name));
    List<String> paths = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        if (!task.deletes().isEmpty()) {
          throw new IllegalStateException(namespace + "." + name + " has delete files: the DuckDB check reads data files only");
        }
        paths.add(task.file().location().replaceFirst("^file:", ""));
      }
    }
    if (paths.isEmpty()) {
      throw new IllegalStateException(namespace + "." + name + " is empty: build the warehouse first");
    }
    return paths.stream().map(p -> "'" + p.replace("'", "''") + "'").collect(Collectors.joining(", ", "[", "]"));
  }

  private static long single(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Per person, section and unit and month: workload and expected minutes, filing and filed days, logs needing
   * review and fully reviewed. A day and a log count where the person was assigned on that day.
   */
  private static String headlineSql(MetricSettings m, LocalDate asOf) {
    String counted = m.countedStatuses().stream().map(x -> "'" + x + "'").collect(Collectors.joining(", "));
    int full = m.fullDayMinutes();
    return """
        WITH assigned AS (  -- where a person belongs on a day: their assignment then, else their current row
          SELECT s.staff_id, d.calendar_date AS day,
                 coalesce(a.unit_id, s.unit_id) AS unit_id,
                 CASE WHEN a.staff_id IS NULL THEN s.section_id ELSE a.section_id END AS section_id,
                 coalesce(a.role, s.role) AS role
          FROM staff s CROSS JOIN calendar_day d
          LEFT JOIN staff_assignment a ON a.staff_id = s.staff_id AND d.calendar_date >= a.valid_from
            AND (a.valid_to IS NULL OR d.calendar_date <= a.valid_to)
          WHERE d.calendar_date <= DATE '%2$s'
        ),
        logs AS (
          SELECT l.*, g.unit_id, g.section_id, g.role FROM work_log l
          JOIN assigned g ON g.staff_id = l.staff_id AND g.day = l.work_date
        ),
        by_day AS (
          SELECT staff_id, work_date,
                 sum(minutes) FILTER (WHERE category <> 'LEAVE') AS work,
                 sum(minutes) FILTER (WHERE category = 'LEAVE') AS leave, min(submitted_at) AS first_submitted
          FROM logs WHERE status IN (%1$s) GROUP BY ALL
        ),
        grace AS (
          SELECT d.calendar_date, g.calendar_date AS deadline FROM calendar_day d
          JOIN calendar_day g ON g.is_working_day AND g.working_day_index = d.working_day_index + %4$d
          WHERE d.is_working_day
        ),
        days AS (
          SELECT g.staff_id, g.unit_id, g.section_id, g.day,
                 coalesce(b.work, 0) AS work,
                 CASE WHEN e.expected THEN %3$d - least(coalesce(b.leave, 0), %3$d) ELSE 0 END AS expected,
                 CASE WHEN e.expected AND coalesce(b.leave, 0) < %3$d THEN 1 ELSE 0 END AS filing,
                 CASE WHEN e.expected AND coalesce(b.leave, 0) < %3$d
                       AND b.first_submitted < CAST(gr.deadline + INTERVAL 1 DAY AS TIMESTAMP) THEN 1 ELSE 0 END AS filed,
                 0 AS needing, 0 AS reviewed
          FROM assigned g
          JOIN staff s ON s.staff_id = g.staff_id
          JOIN calendar_day c ON c.calendar_date = g.day
          CROSS JOIN LATERAL (SELECT c.is_working_day AND g.day >= s.active_from
                                AND (s.active_to IS NULL OR g.day <= s.active_to) AS expected) e
          LEFT JOIN by_day b ON b.staff_id = g.staff_id AND b.work_date = g.day
          LEFT JOIN grace gr ON gr.calendar_date = g.day
          WHERE e.expected OR b.work IS NOT NULL OR b.leave IS NOT NULL
        ),
        decisions AS (
          -- judged on the log's last review round, as the marts do
          SELECT log_id, max(level) AS top, bool_or(decision = 'RETURNED') AS returned FROM log_review
          WHERE review_round = log_review_round GROUP BY log_id
        ),
        reviews AS (
          SELECT l.staff_id, l.unit_id, l.section_id, l.work_date AS day, 0, 0, 0, 0, 1 AS needing,
                 CASE WHEN coalesce(r.top, 0) >= CASE l.role WHEN 'STAFF' THEN 2 ELSE 1 END OR coalesce(r.returned, false)
                      THEN 1 ELSE 0 END AS reviewed
          FROM logs l LEFT JOIN decisions r ON r.log_id = l.log_id
          WHERE l.status IN ('SUBMITTED', 'APPROVED', 'RETURNED') AND l.role <> 'PRINCIPAL_LEADER'
            AND l.work_date <= DATE '%2$s'
        ),
        facts AS (SELECT * FROM days UNION ALL SELECT * FROM reviews),
        totals AS (
          SELECT CASE WHEN grouping(staff_id) = 0 THEN 'PERSON' WHEN grouping(section_id) = 0 THEN 'SECTION' ELSE 'UNIT' END
                   AS level,
                 coalesce(staff_id, section_id, unit_id) AS entity_id, strftime(day, '%%Y-%%m') AS period,
                 section_id, staff_id,
                 sum(work) AS workload_minutes, sum(expected) AS expected_minutes, sum(filing) AS filing_days,
                 sum(filed) AS filed_days, sum(needing) AS logs_needing_review, sum(reviewed) AS logs_fully_reviewed
          FROM facts
          GROUP BY GROUPING SETS ((staff_id, period), (unit_id, section_id, period), (unit_id, period))
        )
        SELECT level, entity_id, period, workload_minutes, expected_minutes, filing_days, filed_days,
               logs_needing_review, logs_fully_reviewed,
               workload_minutes / nullif(expected_minutes, 0) AS workload_ratio,
               filed_days / nullif(filing_days, 0) AS fill_rate,
               logs_fully_reviewed / nullif(logs_needing_review, 0) AS review_rate
        FROM totals WHERE NOT (level = 'SECTION' AND section_id IS NULL)
        """.formatted(counted, asOf, full, m.fillGraceWorkingDays());
  }
}
