package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * The metric marts on a fixture small enough to compute by hand (marts-fixture.sql), as of 2025-04-30.
 * Each test states the arithmetic it checks.
 */
class MartsFixtureTest extends WithSpark {
  private static final double EXACT = 1e-12;

  @BeforeAll
  static void buildMarts() throws Exception {
    buildOn("/marts-fixture.sql");
  }

  /** Runs the fixtures' statements (resources, in order), then builds every mart as of 2025-04-30. */
  static void buildOn(String... fixtures) throws Exception {
    WarehouseCatalog warehouse = WarehouseCatalog.open(catalog());
    for (String resource : fixtures) {
      String fixture = new String(MartsFixtureTest.class.getResourceAsStream(resource).readAllBytes(), StandardCharsets.UTF_8);
      for (String statement : fixture.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!statement.isBlank()) {
          spark.sql(statement);
        }
      }
    }
    new WarehouseBuild(spark, warehouse, MetricSettings.defaults().asOf(LocalDate.of(2025, 4, 30)),
        WorkingCalendar.builtIn(), ScoringScheme.builtIn()).buildMarts(new LinkedHashMap<>(), System.out::println);
  }

  static Row one(String sql) {
    List<Row> rows = spark.sql(sql).collectAsList();
    assertEquals(1, rows.size(), "exactly one row for: " + sql);
    return rows.get(0);
  }

  /**
   * Carol works 10 days (03-10..14 in section 21, 03-17..21 in section 22), 420 min of BUSINESS a day,
   * plus 210 WRITING on 03-12 (section 21) and 210 of the unit's own category on 03-18 (section 22).
   * Person: 4620 / 4200. Each section: 2100 + 210 = 2310 over 5 days × 420 = 2100.
   */
  @Test
  void aTransferSplitsTheMonthBetweenSections() {
    Row person = one("SELECT * FROM mart.metrics_by_period WHERE level = 'PERSON' AND entity_id = 201 AND period = '2025-03'");
    assertEquals(4620L, person.<Long>getAs("workload_minutes"));
    assertEquals(4200L, person.<Long>getAs("expected_minutes"));
    assertEquals(22L, person.<Long>getAs("section_id"), "a person's row shows their section on their last day");
    for (long section : new long[] {21, 22}) {
      Row s = one("SELECT * FROM mart.metrics_by_period WHERE level = 'SECTION' AND entity_id = " + section
          + " AND period = '2025-03'");
      assertEquals(2310L, s.<Long>getAs("workload_minutes"), "section " + section);
      assertEquals(2100L, s.<Long>getAs("expected_minutes"), "section " + section);
      assertEquals(2310.0 / 2100, s.<Double>getAs("workload_ratio"), EXACT);
    }
  }

  /**
   * Half-years (HALF 2025-H1: January to June) add up their quarters' months: unit 2 has Carol's March (Q1: 4620 of
   * 4200) and Chief21's April (Q2: 3 × 420 = 1260 worked; three people from 04-01, 22 working days: without Qingming's
   * 04-04, with the make-up Sunday 04-27: 3 × 22 × 420 = 27720 expected), so H1 is 5880 of 31920. As of 04-30, Q1 is
   * complete, H1 is not; 2025-H2 runs July to December. The score job scores H1 too.
   */
  @Test
  void aHalfYearSumsItsTwoQuarters() {
    Row h1 = one("SELECT * FROM mart.metrics_by_period WHERE level = 'UNIT' AND entity_id = 2 AND period = '2025-H1'");
    assertEquals(List.of("HALF", 5880L, 31920L), List.of(h1.getAs("period_type"), h1.getAs("workload_minutes"),
        h1.getAs("expected_minutes")));
    Row quarters = one("SELECT sum(workload_minutes), sum(expected_minutes), sum(filing_days), sum(filed_days),"
        + " sum(logs_needing_review), sum(logs_returned) FROM mart.metrics_by_period WHERE level = 'UNIT' AND entity_id = 2"
        + " AND period IN ('2025-Q1', '2025-Q2')");
    assertEquals(List.of(quarters.get(0), quarters.get(1), quarters.get(2), quarters.get(3), quarters.get(4),
        quarters.get(5)), List.of(h1.getAs("workload_minutes"), h1.getAs("expected_minutes"), h1.getAs("filing_days"),
        h1.getAs("filed_days"), h1.getAs("logs_needing_review"), h1.getAs("logs_returned")));
    assertEquals(List.of(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 6, 30), false), List.of(
        h1.<java.sql.Date>getAs("period_start").toLocalDate(), h1.<java.sql.Date>getAs("period_end").toLocalDate(),
        h1.<Boolean>getAs("is_complete")));
    assertEquals(true, one("SELECT is_complete FROM mart.metrics_by_period WHERE level = 'UNIT' AND entity_id = 2"
        + " AND period = '2025-Q1'").getBoolean(0));
    Row h2 = one("SELECT * FROM mart.calendar_period WHERE period_type = 'HALF' AND calendar_date = DATE '2025-07-01'");
    assertEquals(List.of("2025-H2", "2025-07-01", "2025-12-31"), List.of(h2.getAs("period"),
        h2.getAs("period_start").toString(), h2.getAs("period_end").toString()));
    assertEquals("2025-H1", one("SELECT period FROM mart.calendar_month_period WHERE month = '2025-06' AND period_type = 'HALF'")
        .getString(0));
    assertEquals(4620.0 / 4200, one("SELECT workload_ratio FROM mart.unit_score_inputs WHERE unit_id = 2 AND period = '2025-Q1'")
        .getDouble(0), EXACT);
    assertEquals(5880.0 / 31920, one("SELECT workload_ratio FROM mart.unit_score_inputs WHERE unit_id = 2 AND period = '2025-H1'")
        .getDouble(0), EXACT);
    assertTrue(one("SELECT score FROM mart.unit_score_by_period WHERE unit_id = 2 AND period = '2025-H1'").get(0) != null);
  }

  /** Shares of the person's 4620 minutes, and of section 21's 2310; each set sums to 1. */
  @Test
  void categorySharesIncludeTheUnitsOwnCategory() {
    Map<String, Double> person = shares("PERSON", 201);
    assertEquals(Map.of("BUSINESS", 4200.0 / 4620, "WRITING", 210.0 / 4620, "UNIT2_OWN", 210.0 / 4620).keySet(), person.keySet());
    assertEquals(4200.0 / 4620, person.get("BUSINESS"), EXACT);
    assertEquals(210.0 / 4620, person.get("UNIT2_OWN"), EXACT);
    Map<String, Double> section21 = shares("SECTION", 21);
    assertEquals(2100.0 / 2310, section21.get("BUSINESS"), EXACT);
    assertEquals(210.0 / 2310, section21.get("WRITING"), EXACT);
    assertEquals(false, one("SELECT is_common FROM mart.category_share_by_period WHERE level = 'UNIT' AND period = '2025-03'"
        + " AND category = 'UNIT2_OWN'").getBoolean(0));
  }

  private Map<String, Double> shares(String level, long entity) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Row r : spark.sql("SELECT category, category_share FROM mart.category_share_by_period WHERE level = '" + level
        + "' AND entity_id = " + entity + " AND period = '2025-03'").collectAsList()) {
      m.put(r.getString(0), r.getDouble(1));
    }
    return m;
  }

  /**
   * Latencies in working days: 3010 L1 03-10→03-11 = 1, L2 03-11→03-14 = 3 (on time, limit 3);
   * 3011 L1 03-11→03-17 = 4 (late), L2 0; 3012 L1 0, L2 missing. Needing review 12, fully 2, on time 1.
   * Chief21: latencies 1, 4, 0 → median 1, 2 on time; Deputy: 3, 0 → median 1.5.
   */
  @Test
  void reviewTimelinessAndReviewerLatency() {
    Row person = one("SELECT * FROM mart.metrics_by_period WHERE level = 'PERSON' AND entity_id = 201 AND period = '2025-03'");
    assertEquals(12L, person.<Long>getAs("logs_needing_review"));
    assertEquals(2L, person.<Long>getAs("logs_fully_reviewed"));
    assertEquals(1L, person.<Long>getAs("logs_reviewed_on_time"));
    assertEquals(1.0 / 12, person.<Double>getAs("review_on_time_rate"), EXACT);
    Row chief = one("SELECT * FROM mart.reviewer_by_period WHERE reviewer_id = 203 AND period = '2025-03'");
    assertEquals(3L, chief.<Long>getAs("decisions"));
    assertEquals(2L, chief.<Long>getAs("decisions_on_time"));
    assertEquals(1.0, chief.<Double>getAs("median_latency_working_days"), EXACT);
    assertEquals(4, chief.<Integer>getAs("max_latency_working_days"));
    Row deputy = one("SELECT * FROM mart.reviewer_by_period WHERE reviewer_id = 204 AND period = '2025-03'");
    assertEquals(1.5, deputy.<Double>getAs("median_latency_working_days"), EXACT);
    assertTrue(one("SELECT reviewer_on_time_rate FROM mart.person_score_inputs WHERE staff_id = 201"
        + " AND period = '2025-03'").isNullAt(0), "Carol reviews nothing");
  }

  /**
   * Waiting at the as-of date: level 1 of section 21's 3013, 3014, 3030 → Chief21 (oldest 03-12 18:30);
   * level 2 of 3012 → Deputy (waiting since its level-1 decision, 03-12 20:00), and Chief21's 3041, resubmitted
   * 04-08 and waiting for its second round; section 22's six logs → Chief22.
   */
  @Test
  void openReviewQueueFollowsTheChainAndTheSectionOnTheLogsDay() {
    assertEquals(3L, one("SELECT open_logs FROM mart.reviewer_queue WHERE reviewer_id = 203").getLong(0));
    assertEquals("2025-03-12T18:30", one("SELECT oldest_waiting_since FROM mart.reviewer_queue WHERE reviewer_id = 203")
        .get(0).toString());
    assertEquals(2L, one("SELECT open_logs FROM mart.reviewer_queue WHERE reviewer_id = 204").getLong(0));
    assertEquals("2025-03-12T20:00", one("SELECT oldest_waiting_since FROM mart.reviewer_queue WHERE reviewer_id = 204")
        .get(0).toString());
    assertEquals(6L, one("SELECT open_logs FROM mart.reviewer_queue WHERE reviewer_id = 205").getLong(0));
  }

  /**
   * Chief21's April, judged on each log's last round. 3040: round 2 began with the resubmission on Thu 04-03 and
   * was approved Thu 04-10: 4 working days (04-04 Qingming, the weekend), late, although round 1 took 1 day;
   * 3041: round 2 begun 04-08 and undecided, so not fully reviewed, waiting since 04-08 09:00; 3042 approved the
   * evening it was submitted. Needing review 3, fully 2, on time 1 (3042), returned at least once 2 → 2/3, the
   * unit's too (its only April logs).
   */
  @Test
  void reviewRoundsAreJudgedOnTheLastRound() {
    Row r3040 = one("SELECT * FROM mart.fact_log_review WHERE log_id = 3040");
    assertEquals(2, r3040.<Integer>getAs("review_round"));
    assertEquals(true, r3040.<Boolean>getAs("is_fully_reviewed"));
    assertEquals(false, r3040.<Boolean>getAs("is_reviewed_on_time"));
    assertEquals(4, r3040.<Integer>getAs("level1_latency_working_days"));
    assertEquals(1L, r3040.<Long>getAs("returns"));
    Row r3041 = one("SELECT * FROM mart.fact_log_review WHERE log_id = 3041");
    assertEquals(false, r3041.<Boolean>getAs("is_fully_reviewed"));
    assertEquals(0, r3041.<Integer>getAs("reached_level"));
    assertEquals("2025-04-08T09:00", r3041.get(r3041.fieldIndex("waiting_since")).toString());
    for (String level : new String[] {"PERSON' AND entity_id = 203", "UNIT' AND entity_id = 2"}) {
      Row m = one("SELECT * FROM mart.metrics_by_period WHERE level = '" + level + " AND period = '2025-04'");
      assertEquals(3L, m.<Long>getAs("logs_needing_review"), level);
      assertEquals(2L, m.<Long>getAs("logs_fully_reviewed"), level);
      assertEquals(1L, m.<Long>getAs("logs_reviewed_on_time"), level);
      assertEquals(2L, m.<Long>getAs("logs_returned"), level);
      assertEquals(2.0 / 3, m.<Double>getAs("return_rate"), EXACT, level);
    }
  }

  /**
   * The deputy's April decisions, every round's: 4010 returned 3040 in round 1 (1 working day from its submission),
   * 4011 approved its round 2 (4, from the resubmission), 4012 returned 3041 (1), 4013 approved 3042 (0): 4 decisions,
   * 2 returns → 1/2; on time 3; median of 0, 1, 1, 4 = 1. The year adds March's 4002 (3) and 4004 (0): 2 of 6.
   */
  @Test
  void aReviewersReturnRateCountsEveryRound() {
    Row april = one("SELECT * FROM mart.reviewer_by_period WHERE reviewer_id = 204 AND period = '2025-04'");
    assertEquals(4L, april.<Long>getAs("decisions"));
    assertEquals(2L, april.<Long>getAs("decisions_returned"));
    assertEquals(0.5, april.<Double>getAs("return_rate"), EXACT);
    assertEquals(3L, april.<Long>getAs("decisions_on_time"));
    assertEquals(1.0, april.<Double>getAs("median_latency_working_days"), EXACT);
    assertEquals(4, april.<Integer>getAs("max_latency_working_days"));
    Row year = one("SELECT * FROM mart.reviewer_by_period WHERE reviewer_id = 204 AND period = '2025'");
    assertEquals(6L, year.<Long>getAs("decisions"));
    assertEquals(2.0 / 6, year.<Double>getAs("return_rate"), EXACT);
    assertEquals(5L, year.<Long>getAs("decisions_on_time"));
  }

  /**
   * Item 31 (promised 3 working days). March: case 1 03-03→03-06 = 3 (exactly on the limit: on time),
   * case 2 03-03→03-07 = 4 (late) → 1/2, mean 3.5; case 3 accepted 03-20 still open, 7 working days by
   * 03-31 → overdue; case 4 rejected. April: case 5 04-03→04-08 = 2 working days (04-04 Qingming, then
   * the weekend), on time although 5 calendar days. Item 32 never used: zero handling in both months.
   */
  @Test
  void serviceExecutionCountsWorkingDaysAgainstThePromisedLimit() {
    Row march = one("SELECT * FROM mart.service_execution_by_period WHERE unit_id = 2 AND period = '2025-03'");
    assertEquals(2L, march.<Long>getAs("service_items"));
    assertEquals(1L, march.<Long>getAs("zero_handling_items"));
    assertEquals(4L, march.<Long>getAs("cases_accepted"));
    assertEquals(2L, march.<Long>getAs("cases_completed"));
    assertEquals(1L, march.<Long>getAs("cases_completed_on_time"));
    assertEquals(0.5, march.<Double>getAs("on_time_rate"), EXACT);
    assertEquals(3.5, march.<Double>getAs("avg_handling_working_days"), EXACT);
    assertEquals(1L, march.<Long>getAs("cases_rejected_or_transferred"));
    assertEquals(1L, march.<Long>getAs("overdue_open_cases"));
    Row april = one("SELECT * FROM mart.service_execution_by_period WHERE unit_id = 2 AND period = '2025-04'");
    assertEquals(1.0, april.<Double>getAs("on_time_rate"), EXACT);
    assertEquals(2.0, april.<Double>getAs("avg_handling_working_days"), EXACT);
    assertEquals(1L, april.<Long>getAs("overdue_open_cases"));
    assertEquals(1L, april.<Long>getAs("zero_handling_items"));
  }

  /** Due in March: 51 done on its deadline day (on time), 52 a day late (reminder), 53 open (notice) → 1/3. */
  @Test
  void supervisionCompletionByDeadline() {
    Row march = one("SELECT * FROM mart.supervision_by_period WHERE unit_id = 2 AND period = '2025-03'");
    assertEquals(3L, march.<Long>getAs("items_due"));
    assertEquals(1L, march.<Long>getAs("completed_by_deadline"));
    assertEquals(1.0 / 3, march.<Double>getAs("completion_rate"), EXACT);
    assertEquals(1L, march.<Long>getAs("still_open"));
    assertEquals(1L, march.<Long>getAs("penalty_reminders"));
    assertEquals(1L, march.<Long>getAs("penalty_notices"));
  }

  /**
   * As of 04-30: 54 is due 05-15 but completed 04-10, so it counts in April, on time; 55 (due 05-20, open) counts
   * nowhere yet; 56 is due 04-22 and completed 04-28, late (talk). April and Q2: 1/2. The year: 51..54, 56 → 2/5.
   */
  @Test
  void anItemCompletedEarlyCountsInThePeriodItIsCompleted() {
    for (String period : new String[] {"2025-04", "2025-Q2"}) {
      Row r = one("SELECT * FROM mart.supervision_by_period WHERE unit_id = 2 AND period = '" + period + "'");
      assertEquals(2L, r.<Long>getAs("items_due"), period);
      assertEquals(1L, r.<Long>getAs("completed_by_deadline"), period);
      assertEquals(0.5, r.<Double>getAs("completion_rate"), EXACT, period);
      assertEquals(0L, r.<Long>getAs("still_open"), period);
      assertEquals(1L, r.<Long>getAs("penalty_talks"), period);
    }
    Row year = one("SELECT * FROM mart.supervision_by_period WHERE unit_id = 2 AND period = '2025'");
    assertEquals(5L, year.<Long>getAs("items_due"));
    assertEquals(2L, year.<Long>getAs("completed_by_deadline"));
    assertEquals(0L, spark.sql("SELECT * FROM mart.supervision_by_period WHERE period = '2025-05'").count(),
        "May has not begun on the as-of date");
  }

  /**
   * T1 plan 20/40/60/80: Jan on plan GREEN; Feb 25 vs 40, 15 behind → RED + BELL; Mar 100 → ORANGE
   * (completed early), Apr no report → still 100, ORANGE. T2 never reports: BLACK each month, gaps
   * 10/20/30/40 → BELL, YELLOW_CARD, YELLOW_CARD, RED_CARD. T3 Mar 60 vs 50 → BLUE; Apr 97 vs 100 → GREEN.
   */
  @Test
  void targetTaskColoursAndEscalation() {
    String[][] expected = {
        {"61", "2025-01-01", "GREEN", "NONE"}, {"61", "2025-02-01", "RED", "BELL"},
        {"61", "2025-03-01", "ORANGE", "NONE"}, {"61", "2025-04-01", "ORANGE", "NONE"},
        {"62", "2025-01-01", "BLACK", "BELL"}, {"62", "2025-02-01", "BLACK", "YELLOW_CARD"},
        {"62", "2025-03-01", "BLACK", "YELLOW_CARD"}, {"62", "2025-04-01", "BLACK", "RED_CARD"},
        {"63", "2025-03-01", "BLUE", "NONE"}, {"63", "2025-04-01", "GREEN", "NONE"}};
    assertEquals(expected.length, spark.table("mart.target_task_warning").count());
    for (String[] e : expected) {
      Row r = one("SELECT warning_colour, escalation FROM mart.target_task_warning WHERE task_id = " + e[0]
          + " AND month = DATE '" + e[1] + "'");
      assertEquals(e[2] + "/" + e[3], r.getString(0) + "/" + r.getString(1), "task " + e[0] + " " + e[1]);
    }
    Row march = one("SELECT * FROM mart.target_warning_by_unit_month WHERE unit_id = 2 AND month = DATE '2025-03-01'");
    assertEquals(3L, march.<Long>getAs("tasks"));
    assertEquals(1L, march.<Long>getAs("orange"));
    assertEquals(1L, march.<Long>getAs("black"));
    assertEquals(1L, march.<Long>getAs("blue"));
    assertEquals(1L, march.<Long>getAs("yellow_cards"));
    assertEquals(2.0 / 3, march.<Double>getAs("on_plan_rate"), EXACT);
    Row february = one("SELECT * FROM mart.target_warning_by_unit_month WHERE unit_id = 2 AND month = DATE '2025-02-01'");
    assertEquals(1L, february.<Long>getAs("bells"));
    assertEquals(1L, february.<Long>getAs("yellow_cards"));
    assertEquals(0.0, february.<Double>getAs("on_plan_rate"), EXACT);
  }

  /**
   * Unit 2 in March and Q1: ratio 4620/4200; service on time 1/2; supervision 1/3 with a reminder and a
   * notice; target tasks on plan 2/3 (March, the last month with tasks); T1 reached 100 % in March, before
   * its planned end in May: one early completion.
   */
  @Test
  void scoreInputsGatherEveryIndicator() {
    for (String period : new String[] {"2025-03", "2025-Q1"}) {
      Row in = one("SELECT * FROM mart.unit_score_inputs WHERE unit_id = 2 AND period = '" + period + "'");
      assertEquals(4620.0 / 4200, in.<Double>getAs("workload_ratio"), EXACT, period);
      assertEquals(0.5, in.<Double>getAs("service_on_time_rate"), EXACT, period);
      assertEquals(1.0 / 3, in.<Double>getAs("supervision_completion_rate"), EXACT, period);
      assertEquals(2.0 / 3, in.<Double>getAs("target_on_plan_rate"), EXACT, period);
      assertEquals(1L, in.<Long>getAs("penalty_reminders"), period);
      assertEquals(1L, in.<Long>getAs("penalty_notices"), period);
      assertEquals(1L, in.<Long>getAs("early_completions"), period);
    }
  }

  /**
   * Responsibility (定人员、定时限). Carol 201, March: 51 done on its deadline day (by the deadline, not early), 52 a day
   * late with a reminder → 1/2. Chief22 205, April: 54 completed 04-10, before its May deadline → 1/1, early; 55 is not
   * due yet. The deputy 204: T1 reached 100 % in March before its May end → March 1/1, early, a task bonus; April: 56
   * late (talk) and T3 at 97 % when its April end passed → 0/2, both overdue; the year 1/3. 53's person 999 is flagged
   * (not in the unit): its notice falls on no one. The person score inputs carry the counts, penalties and bonus.
   */
  @Test
  void responsibilityCountsTheItemsEachPersonAnswersFor() {
    Row carol = one("SELECT * FROM mart.responsibility_by_period WHERE staff_id = 201 AND period = '2025-03'");
    assertEquals(List.of(2L, 1L, 0L, 1L, 1L, 0L), List.of(carol.getAs("items_due"), carol.getAs("completed_by_deadline"),
        carol.getAs("completed_early"), carol.getAs("overdue"), carol.getAs("penalty_reminders"),
        carol.getAs("penalty_notices")));
    Row chief = one("SELECT * FROM mart.responsibility_by_period WHERE staff_id = 205 AND period = '2025-Q2'");
    assertEquals(List.of(1L, 1L, 1L, 0L, 0L), List.of(chief.getAs("items_due"), chief.getAs("completed_by_deadline"),
        chief.getAs("completed_early"), chief.getAs("overdue"), chief.getAs("tasks_completed_early")));
    Row deputyMarch = one("SELECT * FROM mart.responsibility_by_period WHERE staff_id = 204 AND period = '2025-03'");
    assertEquals(List.of(1L, 1L, 1L, 1L, 1L), List.of(deputyMarch.getAs("items_due"), deputyMarch.getAs("target_tasks_due"),
        deputyMarch.getAs("completed_by_deadline"), deputyMarch.getAs("completed_early"),
        deputyMarch.getAs("tasks_completed_early")));
    Row deputyApril = one("SELECT * FROM mart.responsibility_by_period WHERE staff_id = 204 AND period = '2025-04'");
    assertEquals(List.of(2L, 0L, 2L, 1L, 1L), List.of(deputyApril.getAs("items_due"),
        deputyApril.getAs("completed_by_deadline"), deputyApril.getAs("overdue"), deputyApril.getAs("penalty_talks"),
        deputyApril.getAs("supervised_items_due")));
    Row deputyYear = one("SELECT * FROM mart.responsibility_by_period WHERE staff_id = 204 AND period = '2025'");
    assertEquals(1.0 / 3, deputyYear.<Double>getAs("on_time_rate"), EXACT);
    assertEquals(0L, spark.sql("SELECT * FROM mart.responsibility_by_period WHERE staff_id = 999").count(),
        "a responsible person not in the item's unit answers for nothing");
    assertEquals(0L, spark.sql("SELECT * FROM mart.responsibility_by_period WHERE period = '2025-05'").count(),
        "55 is due in May, after the as-of date");

    Row in = one("SELECT * FROM mart.person_score_inputs WHERE staff_id = 201 AND period = '2025-03'");
    assertEquals(0.5, in.<Double>getAs("responsibility_on_time_rate"), EXACT);
    assertEquals(List.of(1L, 2L, 1L, 0L, 0L), List.of(in.getAs("responsibility_on_time_rate_numerator"),
        in.getAs("responsibility_on_time_rate_denominator"), in.getAs("penalty_reminders"), in.getAs("penalty_notices"),
        in.getAs("early_completions")));
    Row deputy = one("SELECT * FROM mart.person_score_inputs WHERE staff_id = 204 AND period = '2025'");
    assertEquals(List.of(1L, 3L, 1L, 1L), List.of(deputy.getAs("responsibility_on_time_rate_numerator"),
        deputy.getAs("responsibility_on_time_rate_denominator"), deputy.getAs("penalty_talks"),
        deputy.getAs("early_completions")));
    Row none = one("SELECT * FROM mart.person_score_inputs WHERE staff_id = 203 AND period = '2025-04'");
    assertNull(none.getAs("responsibility_on_time_rate"), "Chief21 answers for nothing: no value, the weight passes on");
    assertNull(none.getAs("responsibility_on_time_rate_denominator"));
    assertEquals(0L, none.<Long>getAs("penalty_talks"));
  }

  /** March: 21 working days; 4620 min → 4620 / (21 × 420) FTE; 10 person-days → 10/21 in post; 5 authorized posts. */
  @Test
  void headcountEfficiency() {
    Row unit = one("SELECT * FROM mart.headcount_efficiency_by_period WHERE level = 'UNIT' AND entity_id = 2 AND period = '2025-03'");
    assertEquals(21L, unit.<Long>getAs("working_days"));
    assertEquals(4620.0 / (21 * 420), unit.<Double>getAs("implied_fte"), EXACT);
    assertEquals(10.0 / 21, unit.<Double>getAs("actual_staff"), EXACT);
    assertEquals(5, unit.<Integer>getAs("authorized_headcount"));
    assertEquals(5 - 4620.0 / (21 * 420), unit.<Double>getAs("post_surplus"), EXACT);
    Row section = one("SELECT * FROM mart.headcount_efficiency_by_period WHERE level = 'SECTION' AND entity_id = 21 AND period = '2025-03'");
    assertEquals(2310.0 / (21 * 420), section.<Double>getAs("implied_fte"), EXACT);
    assertEquals(2, section.<Integer>getAs("authorized_headcount"));
  }

  /**
   * Duties in March: 702 has 3010, 3011 (420 each) and 3030 (210) = 1050 in 3 logs; 703 has 3017, 3018, 3031 = 1050;
   * 704 has 3019 (420); 705 has 3012 (420); 701 has nothing (职能缺失). Carol's 3020 names unit 3's 711: credited to no
   * duty, so 711 is missing too. The inactive 706 is listed in no period. As of 04-30, January to April, Q1, Q2, H1
   * and 2025 have begun, May has not.
   */
  @Test
  void eachDutyShowsItsLoggedWorkOrThatItHasNone() {
    Map<Long, List<Long>> march = new LinkedHashMap<>();
    for (Row r : spark.sql("SELECT duty_id, logs, duty_minutes FROM mart.duty_by_period WHERE period = '2025-03'"
        + " ORDER BY duty_id").collectAsList()) {
      march.put(r.getLong(0), List.of(r.getLong(1), r.getLong(2)));
    }
    assertEquals(Map.of(701L, List.of(0L, 0L), 702L, List.of(3L, 1050L), 703L, List.of(3L, 1050L), 704L, List.of(1L, 420L),
        705L, List.of(1L, 420L), 711L, List.of(0L, 0L)), march);
    assertEquals(List.of(701L, 711L), spark.sql("SELECT duty_id FROM mart.duty_by_period WHERE period = '2025-03' AND is_missing"
        + " ORDER BY duty_id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
    assertEquals(List.of(703L, 704L, 705L, 711L), spark.sql("SELECT duty_id FROM mart.duty_by_period WHERE period = '2025-04'"
        + " AND is_missing ORDER BY duty_id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList(),
        "April: 3040 serves 701, 3041 (its second round still open, but submitted) 702");
    assertEquals(List.of("2025", "2025-01", "2025-02", "2025-03", "2025-04", "2025-H1", "2025-Q1", "2025-Q2"),
        spark.sql("SELECT DISTINCT period FROM mart.duty_by_period WHERE duty_id = 701 ORDER BY period")
            .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(0L, spark.sql("SELECT * FROM mart.duty_by_period WHERE duty_id = 706").count());
    assertEquals(List.of(1470L, 4L), List.of(
        one("SELECT duty_minutes FROM mart.duty_by_period WHERE duty_id = 702 AND period = '2025-H1'").getLong(0),
        one("SELECT logs FROM mart.duty_by_period WHERE duty_id = 702 AND period = '2025'").getLong(0)),
        "the half-year and the year add March's 1050 in 3 logs and April's 420 in 1 (3041)");
  }

  /**
   * Coverage (职能履行率) = duties with work / duties listed; minutes per duty = duty minutes / duties listed.
   * Unit 2 lists 701..705. March: 4 of 5 (0.8), 2940 minutes, 588 per duty; April: 701 and 702, 2 of 5, 840, 168;
   * H1: all 5, 2940 + 840 = 3780, 756. Section 21 (702, 705): March 2 of 2, 1470, 735; April 1 of 2, 420, 210. Section
   * 22 (703, 704): April 0 of 2. Unit 3 lists 711 and worked on none. January: nothing logged, 0 of 5.
   */
  @Test
  void dutyCoverageByUnitAndSection() {
    Object[][] expected = {
        {"UNIT", 2L, "2025-03", 5L, 4L, 0.8, 2940L, 588.0},
        {"UNIT", 2L, "2025-04", 5L, 2L, 0.4, 840L, 168.0},
        {"UNIT", 2L, "2025-H1", 5L, 5L, 1.0, 3780L, 756.0},
        {"UNIT", 2L, "2025-01", 5L, 0L, 0.0, 0L, 0.0},
        {"SECTION", 21L, "2025-03", 2L, 2L, 1.0, 1470L, 735.0},
        {"SECTION", 21L, "2025-04", 2L, 1L, 0.5, 420L, 210.0},
        {"SECTION", 22L, "2025-04", 2L, 0L, 0.0, 0L, 0.0},
        {"UNIT", 3L, "2025-03", 1L, 0L, 0.0, 0L, 0.0}};
    for (Object[] e : expected) {
      Row r = one("SELECT * FROM mart.duty_coverage_by_period WHERE level = '" + e[0] + "' AND entity_id = " + e[1]
          + " AND period = '" + e[2] + "'");
      String what = e[0] + " " + e[1] + " " + e[2];
      assertEquals(e[3], r.<Long>getAs("duties_listed"), what);
      assertEquals(e[4], r.<Long>getAs("duties_with_work"), what);
      assertEquals((Long) e[3] - (Long) e[4], r.<Long>getAs("duties_missing"), what);
      assertEquals((Double) e[5], r.<Double>getAs("coverage_rate"), EXACT, what);
      assertEquals(e[6], r.<Long>getAs("duty_minutes"), what);
      assertEquals((Double) e[7], r.<Double>getAs("minutes_per_duty"), EXACT, what);
    }
    assertEquals(0L, spark.sql("SELECT * FROM mart.duty_coverage_by_period WHERE level = 'SECTION' AND entity_id IS NULL").count(),
        "a unit's own duties make no section");
  }

  /**
   * Special assessments (专项考核), merged by proportion: March 90.00 + 85.50 = 175.50 of 2 × 100 = 0.8775; April 96 of
   * 100; H1 and the year 271.50 of 300 = 0.905. The 05-06 assessment falls after the as-of date: no May row.
   */
  @Test
  void specialAssessmentsAsAShareOfTheirFullMarks() {
    Object[][] expected = {
        {"2025-03", 2L, "175.50", 200L}, {"2025-Q1", 2L, "175.50", 200L}, {"2025-04", 1L, "96.00", 100L},
        {"2025-Q2", 1L, "96.00", 100L}, {"2025-H1", 3L, "271.50", 300L}, {"2025", 3L, "271.50", 300L}};
    for (Object[] e : expected) {
      Row r = one("SELECT * FROM mart.special_assessment_by_period WHERE unit_id = 2 AND period = '" + e[0] + "'");
      assertEquals(e[1], r.<Long>getAs("assessments"), (String) e[0]);
      assertEquals(new java.math.BigDecimal((String) e[2]), r.<java.math.BigDecimal>getAs("score_total"), (String) e[0]);
      assertEquals(e[3], r.<Long>getAs("possible_score"), (String) e[0]);
      assertEquals(Double.parseDouble((String) e[2]) / (Long) e[3], r.<Double>getAs("special_assessment_score"), EXACT);
    }
    assertEquals(0L, spark.sql("SELECT * FROM mart.special_assessment_by_period WHERE period = '2025-05'").count());
  }

  /**
   * Mutual evaluation (单位互评) is yearly: unit 2 received 92.00, 88.00 and 90.50 from three units for 2025 = 270.50 of
   * 300; 70.00 from one for 2024. The score for 2026, a year not begun, counts nowhere; no other period type exists.
   */
  @Test
  void mutualEvaluationIsTheMeanScoreReceivedForTheYear() {
    Row y2025 = one("SELECT * FROM mart.mutual_evaluation_by_year WHERE unit_id = 2 AND period = '2025'");
    assertEquals(List.of(3L, new java.math.BigDecimal("270.50"), 300L), List.of(y2025.getAs("raters"),
        y2025.getAs("score_total"), y2025.getAs("possible_score")));
    assertEquals(270.5 / 300, y2025.<Double>getAs("mutual_evaluation_score"), EXACT);
    assertEquals(0.7, one("SELECT mutual_evaluation_score FROM mart.mutual_evaluation_by_year WHERE period = '2024'")
        .getDouble(0), EXACT);
    assertEquals(List.of("2024 YEAR", "2025 YEAR"), spark.sql("SELECT concat_ws(' ', period, period_type)"
        + " FROM mart.mutual_evaluation_by_year ORDER BY period").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  /**
   * 群众满意率 = ratings of 4 or 5 / valid ratings: March 5, 4, 3, 1 → 2 of 4, one dissatisfied (the 3 is neither);
   * April 5, 5 → 2 of 2 (the 23:00 rating of 04-30 is on the as-of day); H1 4 of 6. May's rating is after the as-of date.
   */
  @Test
  void satisfactionRateCountsFoursAndFives() {
    Object[][] expected = {{"2025-03", 4L, 2L, 1L}, {"2025-Q1", 4L, 2L, 1L}, {"2025-04", 2L, 2L, 0L}, {"2025-H1", 6L, 4L, 1L},
        {"2025", 6L, 4L, 1L}};
    for (Object[] e : expected) {
      Row r = one("SELECT * FROM mart.satisfaction_by_period WHERE unit_id = 2 AND period = '" + e[0] + "'");
      assertEquals(List.of(e[1], e[2], e[3]), List.of(r.getAs("ratings"), r.getAs("satisfied_ratings"),
          r.getAs("dissatisfied_ratings")), (String) e[0]);
      assertEquals((double) (Long) e[2] / (Long) e[1], r.<Double>getAs("satisfaction_rate"), EXACT);
    }
    assertEquals(0L, spark.sql("SELECT * FROM mart.satisfaction_by_period WHERE period = '2025-05'").count());
  }

  /**
   * The score inputs carry the three as exact counts: Q1 special 175.50 / 200, satisfaction 2 / 4, no mutual evaluation
   * (a quarter: its weight passes on); the year special 271.50 / 300, mutual 270.50 / 300, satisfaction 4 / 6.
   */
  @Test
  void scoreInputsCarryTheEvaluationInputsAsCounts() {
    Row q1 = one("SELECT * FROM mart.unit_score_inputs WHERE unit_id = 2 AND period = '2025-Q1'");
    assertEquals(List.of(new java.math.BigDecimal("175.50"), 200L, 2L, 4L), List.of(
        q1.getAs("special_assessment_score_numerator"), q1.getAs("special_assessment_score_denominator"),
        q1.getAs("satisfaction_rate_numerator"), q1.getAs("satisfaction_rate_denominator")));
    assertEquals(0.8775, q1.<Double>getAs("special_assessment_score"), EXACT);
    assertEquals(0.5, q1.<Double>getAs("satisfaction_rate"), EXACT);
    assertNull(q1.getAs("mutual_evaluation_score"));
    assertNull(q1.getAs("mutual_evaluation_score_denominator"));
    Row year = one("SELECT * FROM mart.unit_score_inputs WHERE unit_id = 2 AND period = '2025'");
    assertEquals(List.of(new java.math.BigDecimal("271.50"), 300L, new java.math.BigDecimal("270.50"), 300L, 4L, 6L), List.of(
        year.getAs("special_assessment_score_numerator"), year.getAs("special_assessment_score_denominator"),
        year.getAs("mutual_evaluation_score_numerator"), year.getAs("mutual_evaluation_score_denominator"),
        year.getAs("satisfaction_rate_numerator"), year.getAs("satisfaction_rate_denominator")));
  }

  /** The unit register as one row per unit, with the type the overview filters on. */
  @Test
  void unitDimension() {
    Row unit = one("SELECT * FROM mart.dim_unit WHERE unit_id = 2");
    assertEquals("GOVERNMENT", unit.<String>getAs("unit_type"));
    assertEquals("CITY_GOVERNMENT", unit.<String>getAs("peer_group"));
    assertEquals(5, unit.<Integer>getAs("authorized_headcount"));
  }

  /** Sections and people by their names, one row each; a leader belongs to no section. */
  @Test
  void sectionAndStaffDimensions() {
    assertEquals(2L, spark.table("mart.dim_section").count());
    assertEquals("二科", one("SELECT * FROM mart.dim_section WHERE section_id = 22").<String>getAs("section_name"));
    assertEquals(4L, spark.table("mart.dim_staff").count());
    Row carol = one("SELECT * FROM mart.dim_staff WHERE staff_id = 201");
    assertEquals("Carol", carol.<String>getAs("staff_name"));
    assertEquals(22L, carol.<Long>getAs("section_id"), "the section Carol is in now");
    assertTrue(one("SELECT * FROM mart.dim_staff WHERE staff_id = 204").isNullAt(2), "the deputy leader has no section");
  }

  /**
   * Five decisions on three of Carol's March logs and four on Chief21's April logs (both rounds of 3040): each in
   * the log's month and unit, with the reviewer's name.
   */
  @Test
  void reviewDecisionsSitInTheLogsMonthWithTheReviewersName() {
    assertEquals(9L, spark.table("mart.fact_review_decision").count());
    assertEquals(List.of(1, 2), spark.sql("SELECT review_round FROM mart.fact_review_decision WHERE log_id = 3040"
        + " ORDER BY review_id").as(org.apache.spark.sql.Encoders.INT()).collectAsList());
    Row commented = one("SELECT * FROM mart.fact_review_decision WHERE review_id = 4005");
    assertEquals(3012L, commented.<Long>getAs("log_id"));
    assertEquals(201L, commented.<Long>getAs("staff_id"));
    assertEquals(21L, commented.<Long>getAs("section_id"));
    assertEquals(2L, commented.<Long>getAs("unit_id"));
    assertEquals("2025-03-12", String.valueOf(commented.<Object>getAs("work_date")));
    assertEquals("Chief21", commented.<String>getAs("reviewer_name"));
    assertEquals("COMMENTED", commented.<String>getAs("decision"));
    assertEquals("请补充办理依据", commented.<String>getAs("comment"));
    assertEquals(List.of("Deputy"), spark.sql("SELECT DISTINCT reviewer_name FROM mart.fact_review_decision WHERE level = 2")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }
}
