package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

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
        body(model.inRefreshMonths(RefreshScope.ofMonths(months))));
    assertEquals("SELECT log_id, work_date FROM staging.work_log l WHERE (TRUE) AND minutes > 0",
        body(model.inRefreshMonths(RefreshScope.full("requested"))));
    assertEquals("SELECT log_id, work_date FROM staging.work_log l WHERE (FALSE) AND minutes > 0",
        body(model.inRefreshMonths(RefreshScope.ofMonths(new TreeSet<>()))));
    // the weeks overlapping March and December 2025: Monday 24 February to Sunday 6 April, 1 December to 4 January
    assertEquals("SELECT log_id FROM mart.fact_x f WHERE (f.work_date BETWEEN DATE '2025-02-24' AND DATE '2025-04-06' OR"
        + " f.work_date BETWEEN DATE '2025-12-01' AND DATE '2026-01-04')", body(SqlModel.parse("weekly.sql", FACT.replace(
            "SELECT log_id, work_date FROM staging.work_log l WHERE ${in_refresh_months:l.work_date} AND minutes > 0",
            "SELECT log_id FROM mart.fact_x f WHERE ${in_refresh_weeks:f.work_date}")).inRefreshMonths(RefreshScope.ofMonths(months))));
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

  private static String body(SqlModel model) {
    return model.sql().lines().filter(l -> !l.startsWith("--")).reduce("", String::concat).strip();
  }
}
