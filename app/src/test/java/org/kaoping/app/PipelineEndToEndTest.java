package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * The whole pipeline on a fixture small enough to compute by hand: real PostgreSQL, real Debezium
 * (snapshot, then streamed inserts, an update and a delete), real Spark and Iceberg.
 *
 * <p>Hand computation (fixture/phase1.sql + phase2.sql; 420-minute day; grace 1 working day).
 * Working days 2025-10-08..14: 9, 10, 11 (make-up Saturday), 13, 14; the 8th is a holiday.
 * <pre>
 * Alice  counted non-leave minutes 300+120+480+100(Sun)+400 = 1400   (1007 returned, 1008 draft, 1099 deleted)
 *        expected 5 days×420 − 420 leave (10th) = 1680               ratio 1400/1680
 *        filing days 9,11,13,14 = 4; on time: 9th, 11th (filed 13th 23:59:59, inside grace) = 2
 *                                   (13th filed 15th 08:00, outside grace; 14th nothing)
 *        needing review 1001..1007 = 7; fully: 1001, 1003 (both levels), 1007 (returned) = 3
 * Bob    joins 13th: expected 2×420 − 210 half-day leave = 630; workload 420+210 = 630; filed 2/2; reviewed 3/3
 * Chief  workload 840, expected 2100, filed 2/5, reviewed 1/2 (1022 never reviewed)
 * Deputy workload 420, expected 2100, filed 1/5, reviewed 1/1 (COMMENTED decides)
 * Principal workload 420, expected 2100, filed 1/5, needs no review (rate null)
 * Section = Alice+Bob+Chief: 2870/4410, filed 6/11, reviewed 7/12
 * Unit 1  = all five: 3710/8610, filed 8/21, reviewed 8/13;  unit 2 has nobody: ratio null
 * Logs 1901 (unknown author) and 1902 (2000 minutes) are set aside in ops.rejected_rows and count nowhere.
 * </pre>
 */
class PipelineEndToEndTest extends WithEmbeddedSources {

  @Test
  void martsMatchTheHandComputedFixtureAfterSnapshotAndStreaming() throws Exception {
    runWorklogScript("fixture/phase1.sql");
    assertEquals(0, kaoping("ingest"));
    assertEquals(0, kaoping("build"));
    // phase 1: log 1007 still counts (60 min) and the mistaken 1099 (300 min) too
    Map<String, Object> alice1 = metrics("PERSON", 104, "MONTH", "2025-10");
    assertEquals(1760L, alice1.get("workload_minutes"));
    assertEquals(4L, alice1.get("filed_days"));

    runWorklogScript("fixture/phase2.sql");
    assertEquals(0, kaoping("ingest"));
    assertEquals(0, kaoping("build"));

    // the fixture's days are all in October: its quarter, half-year and year hold the same sums
    for (String[] period : new String[][] {{"MONTH", "2025-10"}, {"QUARTER", "2025-Q4"}, {"HALF", "2025-H2"}, {"YEAR", "2025"}}) {
      expect("PERSON", 104, period, 1400, 1680, 4, 2, 7, 3);
      expect("PERSON", 105, period, 630, 630, 2, 2, 3, 3);
      expect("PERSON", 103, period, 840, 2100, 5, 2, 2, 1);
      expect("PERSON", 102, period, 420, 2100, 5, 1, 1, 1);
      expect("PERSON", 101, period, 420, 2100, 5, 1, 0, 0);
      expect("SECTION", 10, period, 2870, 4410, 11, 6, 12, 7);
      expect("UNIT", 1, period, 3710, 8610, 21, 8, 13, 8);
    }
    assertEquals(420L, metrics("PERSON", 104, "MONTH", "2025-10").get("leave_minutes"));
    assertEquals(210L, metrics("PERSON", 105, "MONTH", "2025-10").get("leave_minutes"));
    assertNull(metrics("PERSON", 101, "MONTH", "2025-10").get("review_rate"), "a principal leader's logs need no review");
    Map<String, Object> empty = metrics("UNIT", 2, "QUARTER", "2025-Q4");
    assertNull(empty.get("workload_ratio"));
    assertEquals("no people in the unit", empty.get("workload_ratio_null_reason"));
    assertNull(empty.get("fill_rate"));
    assertEquals("no people in the unit", empty.get("fill_rate_null_reason"));

    List<Record> scores = read("mart", "unit_score_by_period").stream()
        .filter(r -> "2025-Q4".equals(r.getField("period"))).toList();
    assertEquals(1, scores.stream().filter(r -> (Long) r.getField("unit_id") == 1L).findFirst().orElseThrow().getField("rank_in_group"));
    Record emptyUnit = scores.stream().filter(r -> (Long) r.getField("unit_id") == 2L).findFirst().orElseThrow();
    assertNull(emptyUnit.getField("rank_in_group"), "a unit without people is not ranked");
    assertEquals("none of the scheme's indicators is available", emptyUnit.getField("score_null_reason"));

    List<Record> staff = read("staging", "staff");
    assertEquals(5, staff.size());
    assertTrue(staff.get(0).struct().field("national_id") == null, "the national ID must not leave the raw layer");
    List<String> rejected = read("ops", "rejected_rows").stream()
        .map(r -> r.getField("model") + " " + r.getField("record_key") + ": " + r.getField("reason")).sorted().toList();
    assertEquals(List.of("staging.work_log {\"log_id\":1901}: author 999 is not in the staffing register",
        "staging.work_log {\"log_id\":1902}: minutes outside 1..1440"), rejected);
    assertEquals(2, read("ops", "build_run").size());
  }

  private void expect(String level, long id, String[] period, long workload, long expected, long filingDays,
      long filedDays, long needingReview, long fullyReviewed) throws Exception {
    Map<String, Object> m = metrics(level, id, period[0], period[1]);
    String what = level + " " + id + " " + period[1];
    assertEquals(workload, m.get("workload_minutes"), what + " workload");
    assertEquals(expected, m.get("expected_minutes"), what + " expected minutes");
    assertEquals(filingDays, m.get("filing_days"), what + " filing days");
    assertEquals(filedDays, m.get("filed_days"), what + " filed days");
    assertEquals(needingReview, m.get("logs_needing_review"), what + " logs needing review");
    assertEquals(fullyReviewed, m.get("logs_fully_reviewed"), what + " logs fully reviewed");
    assertEquals((double) workload / expected, (Double) m.get("workload_ratio"), 1e-12, what + " ratio");
    assertEquals((double) filedDays / filingDays, (Double) m.get("fill_rate"), 1e-12, what + " fill rate");
    if (needingReview > 0) {
      assertEquals((double) fullyReviewed / needingReview, (Double) m.get("review_rate"), 1e-12, what + " review rate");
    }
  }

  private Map<String, Object> metrics(String level, long id, String periodType, String period) throws Exception {
    List<Record> rows = new ArrayList<>();
    for (Record r : read("mart", "metrics_by_period")) {
      if (level.equals(r.getField("level")) && id == (Long) r.getField("entity_id")
          && periodType.equals(r.getField("period_type")) && period.equals(r.getField("period"))) {
        rows.add(r);
      }
    }
    assertEquals(1, rows.size(), "one row for " + level + " " + id + " " + period);
    Map<String, Object> m = new java.util.HashMap<>();
    rows.get(0).struct().fields().forEach(f -> m.put(f.name(), rows.get(0).getField(f.name())));
    return m;
  }

  static List<Record> read(String namespace, String table) throws Exception {
    try (WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()))) {
      return TestTables.readAll(warehouse, namespace, table);
    }
  }

  private int kaoping(String command) {
    return Kaoping.commandLine().execute(command, "--home", dir.toString(),
        "--set", "source.worklog.port=" + server.port(), "--set", "source.approval.port=" + server.port(),
        "--set", "metrics.as-of-date=2025-10-31", "--set", "spark.master=local[2]");
  }

}
