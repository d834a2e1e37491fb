package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseCatalog.Layer;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * Staging work logs and reviews refreshed by groups equal a full rebuild, row for row with their rule breaks, after
 * changes that move rows between groups and flip the rules that look across a group:
 *
 * <pre>
 * before: 201 on 03-03 logs 1 (600 min) and 2 (600); on 03-04 logs 3 (900) and 4 (600), together over 24 hours,
 *         so both set aside; 202 on 03-05 log 5; 201's log 6 dated 2025-05-02, after the as-of date 04-30.
 *         Reviews: 11 and 12 of log 1 (levels 1 and 2), 13 of log 5.
 * then:   log 2 grows to 900 minutes (03-03 is now over 24 hours); log 4 moves to 03-06 (03-04 is no longer);
 *         log 5 is deleted (its review now reviews a missing log); review 12 is deleted and review 14 is a second
 *         level-1 decision on log 1; a new log 7; and the as-of date moves to 05-31 (log 6 is no longer in the future).
 * </pre>
 */
class GroupedStagingTest extends WithSpark {
  private static final LocalDate FIRST_AS_OF = LocalDate.of(2025, 4, 30);
  private static final LocalDate SECOND_AS_OF = LocalDate.of(2025, 5, 31);

  @Test
  void refreshByGroupsEqualsAFullRebuild() throws Exception {
    RawEvents events = new RawEvents();
    try (WarehouseCatalog warehouse = WarehouseCatalog.open(catalog())) {
      organisation(events);
      log(events, 1, 201, "2025-03-03", 600);
      log(events, 2, 201, "2025-03-03", 600);
      log(events, 3, 201, "2025-03-04", 900);
      log(events, 4, 201, "2025-03-04", 600);
      log(events, 5, 202, "2025-03-05", 420);
      log(events, 6, 201, "2025-05-02", 420);
      review(events, 11, 1, 203, 1, "2025-03-04T09:00");
      review(events, 12, 1, 204, 2, "2025-03-04T10:00");
      review(events, 13, 5, 203, 1, "2025-03-06T09:00");
      events.write(spark, warehouse);
      build(warehouse, FIRST_AS_OF, false);
      assertEquals(Map.of("3", "work_log.day_over_24h", "4", "work_log.day_over_24h", "6", "work_log.future_date"),
          excludedLogs());

      log(events, 2, 201, "2025-03-03", 900);
      log(events, 4, 201, "2025-03-06", 600);
      events.delete("worklog.work_log", 5);
      log(events, 7, 202, "2025-03-07", 420);
      events.delete("worklog.log_review", 12);
      review(events, 14, 1, 203, 1, "2025-03-05T09:00");
      events.write(spark, warehouse);
      List<String> said = build(warehouse, SECOND_AS_OF, false);
      for (String table : List.of("staging.work_log", "staging.log_review")) {
        assertTrue(said.stream().anyMatch(l -> l.startsWith(table + ": ") && l.contains("group(s) touched by")),
            table + " was not refreshed by groups:\n" + String.join("\n", said));
      }
      assertEquals(Map.of("1", "work_log.day_over_24h", "2", "work_log.day_over_24h"), excludedLogs());
      Map<String, List<String>> byGroups = tables();

      build(warehouse, SECOND_AS_OF, true);
      Map<String, List<String>> full = tables();
      assertEquals(full.keySet(), byGroups.keySet());
      for (String table : full.keySet()) {
        assertEquals(full.get(table), byGroups.get(table), table + ": refreshed by groups differs from a full rebuild");
      }
      assertTrue(byGroups.get("ops.rejected_rows").stream().anyMatch(r -> r.contains("log_review.log_missing")),
          "the review of the deleted log is set aside");

      // a driver whose columns changed since the previous build (its model gained one) cannot be compared row by row
      Map<String, Long> previous = new TreeMap<>();
      for (org.apache.iceberg.catalog.TableIdentifier t : warehouse.tables(Layer.STAGING)) {
        previous.put(t.toString(), warehouse.currentSnapshotId(t.toString()));
      }
      spark.sql("ALTER TABLE staging.log_review ADD COLUMN probe STRING");
      spark.sql("INSERT INTO staging.log_review (review_id, log_id) VALUES (99, 1)");
      RefreshScope scope = RefreshScope.since(spark, ModelCatalog.standard(), previous, warehouse::currentSnapshotId,
          SECOND_AS_OF, SECOND_AS_OF, 0, Map.of());
      assertEquals("full rebuild (the columns of staging.log_review changed)", scope.describe());
    }
  }

  @Test
  void aDriverThatIsNotAnInputIsRefusedAtLoad() {
    SqlModel model = SqlModel.load("staging/work_log.sql");
    SqlModel broken = new SqlModel(model.resource(), model.table(), model.grain(), model.key(), model.checks(),
        List.of("worklog_staff"), model.refresh(), model.sql());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupedStaging.of(broken));
    assertTrue(e.getMessage().contains("driver worklog_work_log is not one of its inputs"), e.getMessage());
  }

  private static List<String> build(WarehouseCatalog warehouse, LocalDate asOf, boolean full) {
    List<String> said = new ArrayList<>();
    new WarehouseBuild(spark, warehouse, MetricSettings.defaults().asOf(asOf), WorkingCalendar.builtIn(), ScoringScheme.builtIn())
        .run(said::add, full);
    return said;
  }

  /** Every row of the two grouped staging tables, their rule breaks and the headline mart, as sorted text. */
  private static Map<String, List<String>> tables() {
    Map<String, List<String>> tables = new TreeMap<>();
    for (String t : List.of("staging.work_log", "staging.log_review", "mart.metrics_by_period")) {
      tables.put(t, sorted(spark.table(t).collectAsList()));
    }
    tables.put("ops.rejected_rows", sorted(spark.table("ops.rejected_rows").drop("build_id", "detected_at").collectAsList()));
    return tables;
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }

  /** log id → the EXCLUDED rule that set it aside (one per log here). */
  private static Map<String, String> excludedLogs() {
    Map<String, String> out = new TreeMap<>();
    for (Row r : spark.sql("SELECT get_json_object(record_key, '$.log_id'), rule FROM " + Layer.OPS.table("rejected_rows")
        + " WHERE model = 'staging.work_log' AND disposition = 'EXCLUDED'").collectAsList()) {
      out.put(r.getString(0), r.getString(1));
    }
    return out;
  }

  private static void organisation(RawEvents events) {
    events.put("worklog.unit", "id", 2, "name", "样例局", "level", "CITY", "type", "GOVERNMENT", "authorized_headcount", 5,
        "peer_group", "CITY_GOVERNMENT", "updated_at", "2025-01-01T09:00");
    events.put("worklog.section", "id", 21, "unit_id", 2, "name", "一科", "authorized_headcount", 3, "supervising_leader_id", 204,
        "updated_at", "2025-01-01T09:00");
    staff(events, 201, 21L, "STAFF");
    staff(events, 202, 21L, "STAFF");
    staff(events, 203, 21L, "SECTION_CHIEF");
    staff(events, 204, null, "DEPUTY_LEADER");
    events.put("worklog.work_category", "code", "BUSINESS", "name", "业务", "unit_id", null, "updated_at", "2025-01-01T09:00");
  }

  private static void staff(RawEvents events, long id, Long section, String role) {
    events.put("worklog.staff", "id", id, "unit_id", 2, "section_id", section, "display_name", "P" + id, "national_id", "X" + id,
        "role", role, "active_from", "2025-01-01", "active_to", null, "updated_at", "2025-01-01T09:00");
  }

  private static void log(RawEvents events, long id, long staff, String day, int minutes) {
    events.put("worklog.work_log", "id", id, "staff_id", staff, "work_date", day, "category", "BUSINESS", "minutes", minutes,
        "status", "SUBMITTED", "submitted_at", day + "T18:00", "created_at", day + "T17:00", "updated_at", day + "T18:00");
  }

  private static void review(RawEvents events, long id, long log, long reviewer, int level, String at) {
    events.put("worklog.log_review", "id", id, "log_id", log, "reviewer_id", reviewer, "level", level, "decision", "APPROVED",
        "reviewed_at", at, "updated_at", at);
  }
}
