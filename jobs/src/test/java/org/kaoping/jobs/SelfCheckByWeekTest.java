package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The weekly self-check (周自查, mart.self_check_by_week) on the marts fixture plus unit 3 (self-check-fixture.sql), as
 * of 2025-04-30. Each test states the arithmetic it checks; 420 minutes make a full day.
 */
class SelfCheckByWeekTest extends WithSpark {
  private static final double EXACT = 1e-12;

  @BeforeAll
  static void buildMarts() throws Exception {
    MartsFixtureTest.buildOn("/marts-fixture.sql", "/self-check-fixture.sql");
  }

  private static Row week(String level, long entity, String week) {
    return MartsFixtureTest.one("SELECT * FROM mart.self_check_by_week WHERE level = '" + level + "' AND entity_id = "
        + entity + " AND period = '" + week + "'");
  }

  private static List<Object> figures(Row r) {
    return List.of(r.getAs("workload_minutes"), r.getAs("expected_minutes"), r.getAs("filing_days"), r.getAs("filed_days"),
        r.getAs("logs_needing_review"), r.getAs("logs_awaiting_review"), r.getAs("logs_returned"));
  }

  /**
   * Dave's 2025-W14, Monday 03-31 to Sunday 04-06: expected 03-31, 04-01, 04-02 (04-03 whole-day leave; 04-04 Qingming;
   * the weekend) = 3 × 420 = 1260; worked 420 × 3 + Saturday's 120 = 1380. Filing days 3, filed on time 2 (04-02's
   * log came on 04-20). Five logs need review: 3101 reviewed through both levels, 3102 returned and waiting in round 2,
   * 3103, 3104 and 3105 waiting: 4 awaiting, 1 returned. His row stands in section 32, where he was on Saturday.
   */
  @Test
  void aWeekAcrossTheMonthsEndWithAHoliday() {
    Row dave = week("PERSON", 301, "2025-W14");
    assertEquals(List.of(1380L, 1260L, 3L, 2L, 5L, 4L, 1L), figures(dave));
    assertEquals(1380.0 / 1260, dave.<Double>getAs("workload_ratio"), EXACT);
    assertEquals(2.0 / 3, dave.<Double>getAs("fill_rate"), EXACT);
    assertEquals(List.of(LocalDate.of(2025, 3, 31), LocalDate.of(2025, 4, 6)),
        List.of(dave.<java.sql.Date>getAs("week_start").toLocalDate(), dave.<java.sql.Date>getAs("week_end").toLocalDate()));
    assertEquals(List.of(32L, 3L, "Dave", "自查局"), List.of(dave.getAs("section_id"), dave.getAs("unit_id"),
        dave.getAs("entity_name"), dave.getAs("unit_name")));
  }

  /**
   * Dave moves on Wednesday 04-02: section 31 has his Monday and Tuesday (840 of 840, 2 filing days both filed, logs
   * 3101 and 3102: 1 awaiting, 1 returned); section 32 the rest (420 + 120 = 540 of 420, 1 filing day not filed on time,
   * 3103..3105 awaiting). Together they make his week.
   */
  @Test
  void aPersonWhoMovedMidWeekCountsInBothSections() {
    assertEquals(List.of(840L, 840L, 2L, 2L, 2L, 1L, 1L), figures(week("SECTION", 31, "2025-W14")));
    Row second = week("SECTION", 32, "2025-W14");
    assertEquals(List.of(540L, 420L, 1L, 0L, 3L, 3L, 0L), figures(second));
    assertEquals(540.0 / 420, second.<Double>getAs("workload_ratio"), EXACT);
    assertEquals("乙科", second.getAs("entity_name"));
  }

  /**
   * 2025-W13 (03-24..03-30): five working days, no logs: 0 of 2100, fill 0 of 5, nothing to review. 2025-W17
   * (04-21..04-27) holds the make-up working Sunday 04-27: six days, 2520. 2025-W18 runs into May but counts the days
   * up to the as-of date only: 04-28..04-30, 1260.
   */
  @Test
  void weeksCountTheirWorkingDaysUpToTheAsOfDate() {
    assertEquals(List.of(0L, 2100L, 5L, 0L, 0L, 0L, 0L), figures(week("PERSON", 301, "2025-W13")));
    assertEquals(0.0, week("SECTION", 31, "2025-W13").<Double>getAs("fill_rate"), EXACT);
    assertEquals(2520L, week("PERSON", 301, "2025-W17").<Long>getAs("expected_minutes"));
    assertEquals(1260L, week("PERSON", 301, "2025-W18").<Long>getAs("expected_minutes"));
    assertEquals(0L, MartsFixtureTest.one("SELECT count(*) FROM mart.self_check_by_week WHERE level = 'SECTION'"
        + " AND section_id IS NULL").getLong(0), "a deputy leader has no section to count in");
  }

  /** The SQL's ISO week labels are those the refresh scope rewrites (RefreshScope.weekLabel). */
  @Test
  void labelsAreTheIsoWeeksTheRefreshRewrites() {
    List<Row> rows = spark.sql("SELECT DISTINCT period, week_start FROM mart.self_check_by_week").collectAsList();
    assertTrue(rows.size() >= 6, rows.toString());
    for (Row r : rows) {
      assertEquals(RefreshScope.weekLabel(r.getDate(1).toLocalDate()), r.getString(0));
    }
  }
}
