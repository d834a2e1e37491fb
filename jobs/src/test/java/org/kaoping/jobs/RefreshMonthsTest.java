package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.kaoping.jobs.scoring.PeriodType;

/** {@code ${in_refresh_months:<date column>}}: a model narrowing its inputs to the months a build recomputes. */
class RefreshMonthsTest {
  private static final String FACT = """
      -- table: mart.fact_x
      -- grain: one row per log
      -- key: log_id
      -- refresh: by month of work_date
      SELECT log_id, work_date FROM staging.work_log l WHERE ${in_refresh_months:l.work_date} AND minutes > 0
      """;

  @Test
  void anIncrementalBuildReadsItsMonthsAFullBuildEverything() {
    SqlModel model = SqlModel.parse("fact_x.sql", FACT);
    assertTrue(model.readsRefreshMonths());
    TreeSet<YearMonth> months = new TreeSet<>();
    months.add(YearMonth.of(2025, 12));
    months.add(YearMonth.of(2025, 3));
    assertEquals("SELECT log_id, work_date FROM staging.work_log l WHERE (l.work_date BETWEEN DATE '2025-03-01' AND DATE"
        + " '2025-03-31' OR l.work_date BETWEEN DATE '2025-12-01' AND DATE '2025-12-31') AND minutes > 0",
        body(model.inRefreshMonths(RefreshScope.ofMonths(months)::monthsPredicate)));
    assertEquals("SELECT log_id, work_date FROM staging.work_log l WHERE (TRUE) AND minutes > 0",
        body(model.inRefreshMonths(RefreshScope.full("requested")::monthsPredicate)));
    assertEquals("SELECT log_id, work_date FROM staging.work_log l WHERE (FALSE) AND minutes > 0",
        body(model.inRefreshMonths(RefreshScope.ofMonths(new TreeSet<>())::monthsPredicate)));
    // the other placeholders are filled by render, which leaves this one for the build
    assertTrue(model.render(java.util.Map.of()).sql().contains("${in_refresh_months:l.work_date}"));
    assertFalse(SqlModel.parse("x", FACT.replace("${in_refresh_months:l.work_date}", "TRUE")).readsRefreshMonths());
  }

  @Test
  void aModelRebuiltWholeMayNotNarrowItsInputs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SqlModel.parse("fact_x.sql", FACT.replace("-- refresh: by month of work_date\n", "")));
    assertEquals("fact_x.sql uses ${in_refresh_months:…} but is rebuilt whole on every build: declare '-- refresh: by"
        + " month of work_date' or '-- refresh: by period', or read every month", e.getMessage());
  }

  @Test
  void anUnaliasedTableBeforeThePredicateIsRefused() {
    // Spark would read 'fact_x WHERE (TRUE)' as the table aliased WHERE with one column alias
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SqlModel.parse("fact_x.sql",
        FACT.replace("staging.work_log l WHERE ${in_refresh_months:l.work_date} AND minutes > 0",
            "staging.work_log WHERE ${in_refresh_months:work_date}")));
    assertTrue(e.getMessage().startsWith("fact_x.sql writes 'FROM <table> WHERE ${in_refresh_months:…}'"), e.getMessage());
  }

  /**
   * A changed month rewrites its quarter, half-year and year, and every ISO week overlapping it: December 2024's run
   * from Monday 11-25 (2024-W48) to Monday 12-30, which is 2025-W01; March 2025's from Monday 02-24 (2025-W09) to
   * Monday 03-31 (2025-W14).
   */
  @Test
  void aMonthBringsItsPeriodsAndTheWeeksOverlappingIt() {
    TreeSet<YearMonth> months = new TreeSet<>(java.util.List.of(YearMonth.of(2024, 12), YearMonth.of(2025, 3)));
    assertEquals(java.util.List.of("2024-W48", "2024-W49", "2024-W50", "2024-W51", "2024-W52", "2025-W01", "2025-W09",
        "2025-W10", "2025-W11", "2025-W12", "2025-W13", "2025-W14"), java.util.List.copyOf(RefreshScope.ofMonths(months).weeks()));
    assertEquals(java.util.List.of("2025-03", "2025-Q1", "2025-H1", "2025"), java.util.Arrays.stream(PeriodType.values())
        .map(t -> t.label(YearMonth.of(2025, 3))).toList());
    assertEquals(java.util.List.of("2024-12", "2024-Q4", "2024-H2", "2024"), java.util.Arrays.stream(PeriodType.values())
        .map(t -> t.label(YearMonth.of(2024, 12))).toList());
  }

  private static String body(SqlModel model) {
    return model.sql().lines().filter(l -> !l.startsWith("--")).reduce("", String::concat).strip();
  }
}
