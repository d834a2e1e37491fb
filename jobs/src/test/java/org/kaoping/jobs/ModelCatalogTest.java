package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The catalog loads today's models in an order that respects what each reads, and refuses every inconsistent header. */
class ModelCatalogTest {
  private static final String UNIT = """
      -- table: staging.unit
      -- grain: one row per unit
      -- key: unit_id
      -- input: worklog_unit
      -- on-change: full rebuild
      SELECT from_json(after_json, 'id BIGINT').id AS unit_id FROM latest_worklog_unit
      """;
  private static final String WORK_LOG = """
      -- table: staging.work_log
      -- grain: one row per log
      -- key: log_id
      -- input: worklog_work_log
      SELECT r.id AS log_id, r.work_date FROM (SELECT from_json(after_json, 'id BIGINT, work_date DATE') AS r FROM latest_worklog_work_log)
      """;
  private static final String FACT = """
      -- table: mart.fact
      -- grain: one row per log
      -- key: log_id
      -- refresh: by month of work_date
      -- driver: staging.work_log (work_date)
      SELECT l.log_id, l.work_date, u.unit_id FROM staging.work_log l CROSS JOIN staging.unit u
      """;

  @Test
  void todaysModelsLoadInAnOrderWhereEveryModelComesAfterWhatItReads() {
    ModelCatalog catalog = ModelCatalog.standard();
    List<SqlModel> order = new ArrayList<>(catalog.staging());
    order.addAll(catalog.marts());
    assertEquals(16, catalog.staging().size(), "every staging/*.sql");
    assertEquals(39, catalog.marts().size(), "every marts/*.sql, the calendar and the three score marts");
    List<String> tables = order.stream().map(SqlModel::table).toList();
    for (int i = 0; i < tables.size(); i++) {
      for (String read : catalog.reads(tables.get(i))) {
        if (tables.contains(read)) {
          assertTrue(tables.indexOf(read) < i, tables.get(i) + " is built before " + read + ", which it reads: " + tables);
        }
      }
    }
    List<SqlModel> reversed = new ArrayList<>(order);
    reversed.removeIf(m -> catalog.computedInCode(m.table()));
    java.util.Collections.reverse(reversed);
    List<ComputedModel> inCode = new ArrayList<>(ScoreMarts.COMPUTED);
    inCode.add(WarehouseBuild.CALENDAR_DAY);
    assertEquals(tables, tablesOf(ModelCatalog.of(reversed, inCode)), "the order does not depend on how the models are listed");
    assertTrue(catalog.reads("mart.unit_score_by_period").contains("mart.unit_score_inputs"), "models computed in code");
    assertTrue(catalog.reads("mart.calendar_day").contains("staging.work_log"));
    assertTrue(catalog.computedInCode("mart.calendar_day"));
    assertEquals(Set.of("latest_worklog_staff", "latest_worklog_work_category", "latest_worklog_work_log",
        "latest_worklog_duty"),
        catalog.reads("staging.work_log"), "a table a string literal names is not read");
  }

  @Test
  void todaysDriversAreWhatTheRefreshScopeAlwaysCompared() {
    ModelCatalog catalog = ModelCatalog.standard();
    assertEquals(Set.of("staging.unit", "staging.section", "staging.staff", "staging.staff_assignment", "staging.work_category",
        "staging.duty"),
        Set.copyOf(catalog.fullRebuildTables()));
    assertEquals(Set.of(
        new RefreshDriver("staging.work_log", List.of("work_date")),
        new RefreshDriver("staging.log_review", List.of("log_work_date", "reviewed_at"))),
        Set.copyOf(catalog.refreshDrivers()), "the months of changed logs, and of changed reviews and their logs");
  }

  @Test
  void smallModelsInAnyOrderGiveOneOrder() {
    List<String> forward = tablesOf(ModelCatalog.ofTexts(List.of(UNIT, WORK_LOG, FACT), List.of()));
    List<String> backward = tablesOf(ModelCatalog.ofTexts(List.of(FACT, WORK_LOG, UNIT), List.of()));
    assertEquals(List.of("staging.unit", "staging.work_log", "mart.fact"), forward);
    assertEquals(forward, backward);
  }

  @Test
  void aRawReadTheHeaderDoesNotDeclareIsRefused() {
    String undeclared = WORK_LOG.replace("FROM latest_worklog_work_log)", "FROM latest_worklog_work_log JOIN raw_worklog_staff s)");
    assertRefused(List.of(undeclared), "staging.work_log (text 1) reads raw_worklog_staff but its header does not declare "
        + "'-- input: worklog_staff'");
  }

  @Test
  void aDeclaredInputNeverReadIsRefused() {
    String unused = WORK_LOG.replace("-- input: worklog_work_log", "-- input: worklog_work_log\n-- input: worklog_staff");
    assertRefused(List.of(unused), "staging.work_log (text 1) declares '-- input: worklog_staff' but reads neither "
        + "latest_worklog_staff nor raw_worklog_staff");
  }

  @Test
  void aReadOfAnUnknownTableIsRefused() {
    assertRefused(List.of(WORK_LOG, FACT), "mart.fact (text 2) reads staging.unit, which no model builds and no raw input provides");
  }

  @Test
  void aCycleIsRefused() {
    String a = """
        -- table: mart.a
        -- grain: one row
        -- key: id
        SELECT id FROM mart.b
        """;
    String b = """
        -- table: mart.b
        -- grain: one row
        -- key: id
        SELECT id FROM mart.a
        """;
    assertRefused(List.of(a, b), "Models read each other in a cycle, so none of them can be built first: "
        + "mart.a reads mart.b, mart.b reads mart.a.");
  }

  @Test
  void anIncrementalMartReadingATableThatDoesNotDriveItIsRefused() {
    String undriven = FACT.replace("-- driver: staging.work_log (work_date)\n", "");
    assertRefused(List.of(UNIT, WORK_LOG, undriven), "mart.fact (text 3) is refreshed by month of work_date and reads "
        + "staging.work_log, whose changes would not reach it: declare '-- driver: staging.work_log (<date column>)' in its "
        + "header, or mark staging.work_log '-- on-change: full rebuild'");
    String notOrganisation = UNIT.replace("-- on-change: full rebuild\n", "");
    assertRefused(List.of(notOrganisation, WORK_LOG, FACT), "mart.fact (text 3) is refreshed by month of work_date and reads "
        + "staging.unit, whose changes would not reach it");
    assertRefused(List.of(UNIT.replace("full rebuild", "rebuild the marts"), WORK_LOG, FACT),
        "text 1: '-- on-change: rebuild the marts' is not '-- on-change: full rebuild'");
    assertRefused(List.of(UNIT, WORK_LOG, FACT.replace("-- key: log_id", "-- key: log_id\n-- on-change: full rebuild")),
        "mart.fact (text 3) declares '-- on-change: full rebuild', which only a staging model may");
  }

  @Test
  void anIncrementalMartReadingAWholeMartOverAnUndrivenTableIsRefused() {
    String whole = """
        -- table: mart.logs_whole
        -- grain: one row per log
        -- key: log_id
        SELECT log_id, work_date FROM staging.work_log
        """;
    String period = """
        -- table: mart.by_period
        -- grain: one row per period
        -- key: period_type, period
        -- refresh: by period
        SELECT 'MONTH' AS period_type, date_format(work_date, 'yyyy-MM') AS period, count(*) AS logs FROM mart.logs_whole
        GROUP BY 2
        """;
    assertRefused(List.of(UNIT, WORK_LOG, whole, period), "mart.by_period (text 4) is refreshed by period and reads "
        + "mart.logs_whole, which is rebuilt whole from staging.work_log, whose changes would not reach mart.by_period: "
        + "refresh mart.logs_whole incrementally with its drivers, or rebuild mart.by_period whole");
    // over the organisation only, or over an incremental mart, it is read as it changes
    ModelCatalog.ofTexts(List.of(UNIT, WORK_LOG, FACT, whole.replace("staging.work_log", "mart.fact"), period), List.of());
    ModelCatalog.ofTexts(List.of(UNIT, WORK_LOG, whole.replace("SELECT log_id, work_date FROM staging.work_log",
        "SELECT unit_id AS log_id, DATE '2025-01-01' AS work_date FROM staging.unit"), period), List.of());
  }

  @Test
  void aDriverTheMartDoesNotReadOrThatNamesNoDateIsRefused() {
    String unread = FACT.replace("staging.work_log l", "staging.unit l");
    assertRefused(List.of(UNIT, WORK_LOG, unread), "mart.fact (text 3) declares '-- driver: staging.work_log' but does not read it");
    assertRefused(List.of(UNIT, WORK_LOG, FACT.replace("(work_date)", "()")),
        "mart.fact: driver staging.work_log names no column");
  }

  @Test
  void readsAgainstTheLayersAreRefused() {
    String stagingReadingAMart = WORK_LOG.replace("FROM latest_worklog_work_log)", "FROM latest_worklog_work_log) JOIN mart.fact f");
    assertRefused(List.of(UNIT, stagingReadingAMart, FACT), "staging.work_log (text 2) reads mart.fact: staging models read raw "
        + "inputs and other staging tables only");
    String martReadingRaw = FACT.replace("CROSS JOIN staging.unit u", "CROSS JOIN staging.unit u CROSS JOIN latest_worklog_unit r");
    assertRefused(List.of(UNIT, WORK_LOG, martReadingRaw), "mart.fact (text 3) reads the raw view latest_worklog_unit: marts read "
        + "staging tables and other marts, never raw");
  }

  private static List<String> tablesOf(ModelCatalog catalog) {
    List<String> tables = new ArrayList<>(catalog.staging().stream().map(SqlModel::table).toList());
    catalog.marts().forEach(m -> tables.add(m.table()));
    return tables;
  }

  private static void assertRefused(List<String> texts, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCatalog.ofTexts(texts, List.of()));
    assertTrue(e.getMessage().startsWith(message), "message: " + e.getMessage() + "\nexpected: " + message);
  }
}
