package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.jobs.scoring.ScoringSchemeTest;

/**
 * The score job on a hand-computed world (scheme of ScoringSchemeTest.VALID: units' ratio 60 points, 0.7 → 0 and
 * 1.0 → full; fill 40, 0.8 → 0 and 1.0 → full; people's workload ratio 100 points, linear from 0 to 1).
 */
class ScoreMartsTest extends WithSpark {
  private static final List<String> UNIT_INDICATORS = List.of("workload_ratio", "fill_rate", "review_rate",
      "review_on_time_rate", "service_on_time_rate", "supervision_completion_rate", "target_on_plan_rate");
  private static Map<String, Row> units;
  private static Map<String, Row> people;
  private static Map<String, Row> points;
  private static ScoringScheme scheme;
  private static List<Row> unitRows;
  private static StructType unitSchema;
  private static org.apache.spark.sql.Dataset<Row> personInputs;

  /**
   * Q2, group G: U1 = 60 + 0.5×40 = 80, − 0.5 (a reminder), + min(3 early tasks × 1, max 2) = 81.5;
   * U3 the same (a tie); U2 = 0.5×60 + 40 = 70; U4 has no fill rate: 60/60 × 100 = 100 − 2 (notice) = 98;
   * U6 has nothing: no score. Ranks: U4 1, U1 and U3 2, U2 3. U5 alone in group SOLO: 0, rank 1 of 1.
   * Q1: U2 = 100, U3 = 60 + 0.75×40 = 90, U1 = 60 + 0.375×40 = 75 at rank 3; so in Q2 U1 is +6.5, up 1.
   * People: P10 scores 50 in unit 1 in Q1 (rank 1 of 1), moves to unit 2 and scores 80 in Q2, behind P11's 90:
   * +30.00 against Q1 in the other unit, down 1.
   */
  @BeforeAll
  static void score() {
    scheme = ScoringScheme.fromText(ScoringSchemeTest.VALID, "test");
    unitRows = List.of(
        unit(1, "G", "2025-Q1", 1.0, 0.875, 0, 0, 0), unit(2, "G", "2025-Q1", 1.0, 1.0, 0, 0, 0),
        unit(3, "G", "2025-Q1", 1.0, 0.95, 0, 0, 0), unit(1, "G", "2025-Q2", 1.0, 0.9, 1, 0, 3),
        unit(2, "G", "2025-Q2", 0.85, 1.0, 0, 0, 0), unit(3, "G", "2025-Q2", 1.0, 0.9, 1, 0, 3),
        unit(4, "G", "2025-Q2", 1.0, null, 0, 1, 0), unit(6, "G", "2025-Q2", null, null, 0, 0, 0),
        unit(5, "SOLO", "2025-Q2", 0.7, 0.8, 0, 0, 0),
        year(21, "2024", 1.0, 1.0, 0, 0), year(22, "2024", 1.0, 0.95, 0, 0), year(23, "2024", 0.7, 0.8, 0, 0),
        year(21, "2025", 1.0, 1.0, 1, 0), year(22, "2025", 1.0, 0.95, 0, 0), year(23, "2025", 1.0, 0.9, 0, 1),
        year(24, "2025", 0.85, 0.8, 0, 0), year(25, "2025", 1.0, 0.95, 1, 0),
        half(31, "2024-H2", 1.0, 0.9), half(32, "2024-H2", 0.85, 1.0), half(31, "2025-H1", 0.85, 1.0),
        half(32, "2025-H1", 1.0, 1.0), half(31, "2025-H2", 1.0, 1.0), half(32, "2025-H2", 1.0, 0.9));
    unitSchema = new StructType().add("unit_id", DataTypes.LongType).add("unit_name", DataTypes.StringType)
        .add("peer_group", DataTypes.StringType).add("period_type", DataTypes.StringType)
        .add("period", DataTypes.StringType).add("is_complete", DataTypes.BooleanType);
    for (String indicator : UNIT_INDICATORS) {
      unitSchema = unitSchema.add(indicator, DataTypes.DoubleType);
    }
    for (String penalty : List.of("reminders", "talks", "notices", "admonitions", "accountabilities")) {
      unitSchema = unitSchema.add("penalty_" + penalty, DataTypes.LongType);
    }
    unitSchema = unitSchema.add("early_completions", DataTypes.LongType);
    StructType personSchema = new StructType().add("staff_id", DataTypes.LongType).add("display_name", DataTypes.StringType)
        .add("unit_id", DataTypes.LongType).add("period_type", DataTypes.StringType).add("period", DataTypes.StringType)
        .add("is_complete", DataTypes.BooleanType).add("workload_ratio", DataTypes.DoubleType)
        .add("fill_rate", DataTypes.DoubleType).add("reviewer_on_time_rate", DataTypes.DoubleType);
    List<Row> personRows = List.of(person(10, 1, "2025-Q1", 0.5), person(10, 2, "2025-Q2", 0.8), person(11, 2, "2025-Q2", 0.9));
    personInputs = spark.createDataFrame(personRows, personSchema);
    Map<String, org.apache.spark.sql.Dataset<Row>> out = ScoreMarts.compute(spark,
        spark.createDataFrame(unitRows, unitSchema), personInputs, scheme);
    units = byKey(out.get("mart.unit_score_by_period").collectAsList(), r -> r.getAs("unit_id") + " " + r.getAs("period"));
    people = byKey(out.get("mart.person_score_by_period").collectAsList(),
        r -> r.getAs("staff_id") + " " + r.getAs("period"));
    points = byKey(out.get("mart.score_indicator_points").collectAsList(),
        r -> r.getAs("level") + " " + r.getAs("entity_id") + " " + r.getAs("period") + " " + r.getAs("indicator"));
  }

  private static Row unit(long id, String group, String period, Double ratio, Double fill, long reminders, long notices,
      long early) {
    return unit(id, group, "QUARTER", period, ratio, fill, reminders, notices, early);
  }

  /** A unit of group H in a half-year, without penalties or early completions. */
  private static Row half(long id, String period, double ratio, double fill) {
    return unit(id, "H", "HALF", period, ratio, fill, 0, 0, 0);
  }

  private static Row unit(long id, String group, String type, String period, Double ratio, Double fill, long reminders,
      long notices, long early) {
    List<Object> values = new ArrayList<>(List.of(id, "U" + id, group, type, period, true));
    values.add(ratio);
    values.add(fill);
    for (int i = 2; i < UNIT_INDICATORS.size(); i++) {
      values.add(null);
    }
    values.addAll(List.of(reminders, 0L, notices, 0L, 0L, early));
    return RowFactory.create(values.toArray());
  }

  /** A unit of group Y in a year, with its admonitions and accountabilities (the grade rules' penalties). */
  private static Row year(long id, String year, double ratio, double fill, long admonitions, long accountabilities) {
    List<Object> values = new ArrayList<>(List.of(id, "U" + id, "Y", "YEAR", year, true, ratio, fill));
    for (int i = 2; i < UNIT_INDICATORS.size(); i++) {
      values.add(null);
    }
    values.addAll(List.of(0L, 0L, 0L, admonitions, accountabilities, 0L));
    return RowFactory.create(values.toArray());
  }

  private static Row person(long id, long unit, String period, double ratio) {
    return RowFactory.create(id, "P" + id, unit, "QUARTER", period, true, ratio, null, null);
  }

  private static Map<String, Row> byKey(List<Row> rows, Function<Row, String> key) {
    return rows.stream().collect(Collectors.toMap(key, r -> r));
  }

  private static BigDecimal score(String key) {
    return units.get(key).getAs("score");
  }

  /**
   * The build's incremental path: U1's 2025-Q1 fill rate rises from 0.875 to 1.0 (Q1: 60 + 40 = 100, now rank 1 tied
   * with U2). Only 2025-Q1's inputs differ from the previous snapshot, so 2025-Q1 and 2025-Q2 are rescored, which gives
   * the tables a whole rescoring gives: U1's Q2 change becomes 81.5 − 100 = −18.50 against the Q1 score just rewritten,
   * and the year 2024, not rescored, stays as it was and still serves as 2025's previous year.
   */
  @Test
  void anIncrementalBuildRescoresTheChangedPeriodsAndThoseAfterThemAsAWholeBuildWould() throws Exception {
    spark.createDataFrame(unitRows, unitSchema).writeTo("mart.unit_score_inputs").createOrReplace();
    personInputs.writeTo("mart.person_score_inputs").createOrReplace();
    ScoreMarts.build(spark, scheme, null, line -> {});
    long year2024 = spark.table("mart.unit_score_by_period").where("period = '2024'").inputFiles().length;

    List<Row> changed = unitRows.stream().map(r -> r.getLong(0) == 1 && "2025-Q1".equals(r.getString(4))
        ? unit(1, "G", "2025-Q1", 1.0, 1.0, 0, 0, 0) : r).toList();
    long before = spark.sql("SELECT snapshot_id FROM mart.unit_score_inputs.snapshots ORDER BY committed_at DESC LIMIT 1")
        .first().getLong(0);
    long people = spark.sql("SELECT snapshot_id FROM mart.person_score_inputs.snapshots ORDER BY committed_at DESC LIMIT 1")
        .first().getLong(0);
    spark.createDataFrame(changed, unitSchema).writeTo("mart.unit_score_inputs").overwrite(functions.lit(true));
    Map<String, java.util.SortedSet<String>> periods = ScoreMarts.periodsToRescore(spark,
        Map.of("mart.unit_score_inputs", before, "mart.person_score_inputs", people), table -> spark.sql(
            "SELECT snapshot_id FROM " + table + ".snapshots ORDER BY committed_at DESC LIMIT 1").first().getLong(0));
    assertEquals(Map.of("QUARTER", java.util.Set.of("2025-Q1", "2025-Q2")), periods);
    org.apache.spark.sql.Column rescored = RefreshScope.inPeriods(periods);
    List<String> log = new ArrayList<>();
    Map<String, Long> rows = ScoreMarts.build(spark, scheme, rescored, log::add);

    Map<String, org.apache.spark.sql.Dataset<Row>> whole = ScoreMarts.compute(spark,
        spark.createDataFrame(changed, unitSchema), personInputs, scheme);
    for (String table : List.of("mart.unit_score_by_period", "mart.person_score_by_period", "mart.score_indicator_points")) {
      assertEquals(sorted(whole.get(table)), sorted(spark.table(table)), table + ": incremental differs from whole");
      assertEquals(whole.get(table).count(), rows.get(table));
    }
    Row q2 = spark.table("mart.unit_score_by_period").where("unit_id = 1 AND period = '2025-Q2'").first();
    assertEquals(new BigDecimal("100.00"), q2.getAs("previous_score"));
    assertEquals(new BigDecimal("-18.50"), q2.getAs("score_change"));
    assertEquals(List.of(), log, "the tables kept their columns: no whole rescoring");
    assertEquals(year2024, spark.table("mart.unit_score_by_period").where("period = '2024'").inputFiles().length);
  }

  @Test
  void theScoringCodeHasAFingerprint() {
    String code = ScoreMarts.codeFingerprint();
    assertTrue(code.matches("[0-9a-f]{64}"), code);
    assertEquals(code, ScoreMarts.codeFingerprint(), "the same classes give the same fingerprint");
  }

  private static List<String> sorted(org.apache.spark.sql.Dataset<Row> table) {
    return table.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void scoresRanksAndGradesWithinEachGroupAndPeriod() {
    assertEquals(new BigDecimal("75.00"), score("1 2025-Q1")); // 60 + 0.375 × 40
    assertEquals(new BigDecimal("81.50"), score("1 2025-Q2"));
    assertEquals(new BigDecimal("81.50"), score("3 2025-Q2"));
    assertEquals(new BigDecimal("70.00"), score("2 2025-Q2"));
    assertEquals(new BigDecimal("98.00"), score("4 2025-Q2"));
    assertEquals("fill_rate", units.get("4 2025-Q2").getAs("missing_indicators"));
    assertEquals(List.of(1, 2, 2, 3), List.of("4", "1", "3", "2").stream()
        .map(u -> units.get(u + " 2025-Q2").<Integer>getAs("rank_in_group")).toList());
    assertEquals(List.of("EXCELLENT", "GOOD", "ADEQUATE"), List.of("4", "1", "2").stream()
        .map(u -> units.get(u + " 2025-Q2").<String>getAs("grade")).toList());
    assertNull(score("6 2025-Q2"));
    assertNull(units.get("6 2025-Q2").getAs("rank_in_group"));
    assertEquals("none of the scheme's indicators is available", units.get("6 2025-Q2").getAs("score_null_reason"));
    assertEquals(new BigDecimal("0.00"), score("5 2025-Q2"));
    assertEquals(1, units.get("5 2025-Q2").<Integer>getAs("rank_in_group"));
    assertEquals(1, units.get("5 2025-Q2").<Integer>getAs("group_size"));
    assertEquals(4, units.get("1 2025-Q2").<Integer>getAs("group_size"), "four scored of five in G (U6 has no score)");
    assertEquals(3, units.get("1 2025-Q1").<Integer>getAs("rank_in_group"));
    assertEquals(new BigDecimal("0.50"), units.get("1 2025-Q2").getAs("penalty_points"));
    assertEquals(new BigDecimal("2.00"), units.get("1 2025-Q2").getAs("bonus_points"));
  }

  @Test
  void changesAreAgainstTheSameEntitysPreviousPeriod() {
    Row u1 = units.get("1 2025-Q2");
    assertEquals(new BigDecimal("75.00"), u1.getAs("previous_score"));
    assertEquals(3, u1.<Integer>getAs("previous_rank"));
    assertEquals(new BigDecimal("6.50"), u1.getAs("score_change"));
    assertEquals(1, u1.<Integer>getAs("rank_change"));
    assertNull(units.get("4 2025-Q2").getAs("previous_score"), "no Q1 score for U4");
    assertNull(units.get("4 2025-Q2").getAs("score_change"));
    assertNull(units.get("1 2025-Q1").getAs("rank_change"), "no 2024-Q4 in the inputs");
    Row p10 = people.get("10 2025-Q2");
    assertEquals("2", p10.getAs("ranked_in_unit"));
    assertEquals(2, p10.<Integer>getAs("rank_in_unit"));
    assertEquals(new BigDecimal("30.00"), p10.getAs("score_change"), "against Q1 in the unit the person left");
    assertEquals(-1, p10.<Integer>getAs("rank_change"));
    assertEquals(1, people.get("11 2025-Q2").<Integer>getAs("rank_in_unit"));
  }

  /**
   * Golmud's rules (VALID: admonition caps at GOOD, accountability at ADEQUATE; consequences on YEAR rows), group Y.
   * 2024: U21 100 EXCELLENT first; U22 60 + 0.75×40 = 90 EXCELLENT; U23 0 ADEQUATE last.
   * 2025: U21 100 − 3 (an admonition) = 97 earns EXCELLENT, capped GOOD, first; U22 90 EXCELLENT again;
   * U25 90 − 3 = 87 GOOD, which the admonition does not lower; U23 60 + 0.5×40 − 5 (an accountability) = 75 earns
   * GOOD, made ADEQUATE; U24 0.5×60 + 0 = 30 ADEQUATE, last (rank 5).
   */
  @Test
  void gradeCapsAndTheConsequencesOfTwoYears() {
    Row u21 = units.get("21 2025");
    assertEquals(new BigDecimal("97.00"), u21.getAs("score"));
    assertEquals(List.of("EXCELLENT", "GOOD", "admonition", "FIRST"), List.of(u21.getAs("grade_before_rules"),
        u21.getAs("grade"), u21.getAs("grade_rule"), u21.getAs("place")));
    assertEquals("promotion_recommendation", u21.getAs("consequences"), "first place, though barred from EXCELLENT");
    Row u23 = units.get("23 2025");
    assertEquals(new BigDecimal("75.00"), u23.getAs("score"));
    assertEquals(List.of("GOOD", "ADEQUATE", "accountability"), List.of(u23.getAs("grade_before_rules"), u23.getAs("grade"),
        u23.getAs("grade_rule")));
    assertEquals(List.of(4, "LAST", "ADEQUATE"), List.of(u23.getAs("rank_in_group"), u23.getAs("previous_place"),
        u23.getAs("previous_grade")));
    assertNull(u23.getAs("place"), "fourth of five");
    assertEquals("rectification_report,leadership_action", u23.getAs("consequences"), "ADEQUATE after last place");
    Row u25 = units.get("25 2025");
    assertEquals(List.of(new BigDecimal("87.00"), "GOOD", "GOOD"), List.of(u25.getAs("score"), u25.getAs("grade"),
        u25.getAs("grade_before_rules")));
    assertNull(u25.getAs("grade_rule"), "an admonition does not lower a GOOD");
    assertNull(u25.getAs("consequences"));
    assertEquals("promotion_recommendation", units.get("22 2025").getAs("consequences"), "EXCELLENT two years running");
    assertEquals(List.of(5, "LAST", "rectification_report"), List.of(units.get("24 2025").getAs("rank_in_group"),
        units.get("24 2025").getAs("place"), units.get("24 2025").getAs("consequences")), "last, but no year before");
    assertEquals("promotion_recommendation", units.get("21 2024").getAs("consequences"));
    assertNull(units.get("22 2024").getAs("consequences"), "EXCELLENT once, not first");
    assertEquals("rectification_report", units.get("23 2024").getAs("consequences"));
    assertNull(units.get("2 2025-Q2").getAs("consequences"), "last of G, but the consequences are the years'");
    assertEquals("LAST", units.get("2 2025-Q2").getAs("place"));
    assertNull(units.get("5 2025-Q2").getAs("place"), "alone in its group: neither first nor last");
    assertNull(people.get("11 2025-Q2").getAs("consequences"));
  }

  /**
   * Half-years score, rank and grade as quarters do, each against the half-year before (group H, thresholds 90 / 75):
   * 2024-H2 U31 60 + 0.5×40 = 80, U32 0.5×60 + 40 = 70; 2025-H1 U31 70, U32 100; 2025-H2 U31 100, U32 80. So in
   * 2025-H1 U31 is 70 − 80 = −10.00 and down 1 against 2024-H2; in 2025-H2 +30.00 and up 1 against 2025-H1.
   */
  @Test
  void halfYearsAreScoredAgainstTheHalfYearBefore() {
    Row h1 = units.get("31 2025-H1");
    assertEquals(List.of("HALF", new BigDecimal("70.00"), 2, 2, "ADEQUATE", "LAST"), List.of(h1.getAs("period_type"),
        h1.getAs("score"), h1.getAs("rank_in_group"), h1.getAs("group_size"), h1.getAs("grade"), h1.getAs("place")));
    assertEquals(List.of(new BigDecimal("80.00"), 1, new BigDecimal("-10.00"), -1), List.of(h1.getAs("previous_score"),
        h1.getAs("previous_rank"), h1.getAs("score_change"), h1.getAs("rank_change")), "against 2024-H2");
    Row h2 = units.get("31 2025-H2");
    assertEquals(List.of(new BigDecimal("100.00"), 1, "EXCELLENT", "FIRST"), List.of(h2.getAs("score"),
        h2.getAs("rank_in_group"), h2.getAs("grade"), h2.getAs("place")));
    assertEquals(List.of(new BigDecimal("70.00"), new BigDecimal("30.00"), 1), List.of(h2.getAs("previous_score"),
        h2.getAs("score_change"), h2.getAs("rank_change")), "against 2025-H1");
    assertEquals("GOOD", units.get("32 2025-H2").getAs("grade"));
    assertNull(h2.getAs("consequences"), "the consequences are the years'");
  }

  /**
   * People's inputs with the penalties and early target tasks of what they answer for (as mart.person_score_inputs
   * carries them): P31 workload 0.95 → 95, − 3 (an admonition) + min(3 × 1, max 2) = 94.00, EXCELLENT capped at GOOD;
   * P32 0.8 → 80 with nothing to answer for. Counts enter exactly: 19/20 and 4/5.
   */
  @Test
  void aPersonsPenaltiesAndEarlyTasksEnterTheirIndex() {
    StructType schema = new StructType().add("staff_id", DataTypes.LongType).add("display_name", DataTypes.StringType)
        .add("unit_id", DataTypes.LongType).add("period_type", DataTypes.StringType).add("period", DataTypes.StringType)
        .add("is_complete", DataTypes.BooleanType);
    for (String indicator : ScoringScheme.PERSON_INDICATORS) {
      schema = schema.add(indicator, DataTypes.DoubleType).add(indicator + "_numerator", DataTypes.LongType)
          .add(indicator + "_denominator", DataTypes.LongType);
    }
    for (String penalty : List.of("reminders", "talks", "notices", "admonitions", "accountabilities")) {
      schema = schema.add("penalty_" + penalty, DataTypes.LongType);
    }
    schema = schema.add("early_completions", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    for (long[] p : new long[][] {{31, 19, 20, 1, 3}, {32, 4, 5, 0, 0}}) {
      List<Object> values = new ArrayList<>(List.of(p[0], "P" + p[0], 3L, "QUARTER", "2025-Q3", true));
      for (String indicator : ScoringScheme.PERSON_INDICATORS) {
        boolean workload = indicator.equals("workload_ratio");
        values.addAll(java.util.Arrays.asList(workload ? (double) p[1] / p[2] : null, workload ? p[1] : null,
            workload ? p[2] : null));
      }
      values.addAll(List.of(0L, 0L, 0L, p[3], 0L, p[4]));
      rows.add(RowFactory.create(values.toArray()));
    }
    Map<String, org.apache.spark.sql.Dataset<Row>> out = ScoreMarts.compute(spark, spark.createDataFrame(List.of(),
        new StructType().add("unit_id", DataTypes.LongType).add("unit_name", DataTypes.StringType)
            .add("peer_group", DataTypes.StringType).add("period_type", DataTypes.StringType)
            .add("period", DataTypes.StringType).add("is_complete", DataTypes.BooleanType)),
        spark.createDataFrame(rows, schema), ScoringScheme.fromText(ScoringSchemeTest.VALID, "test"));
    Map<String, Row> scored = byKey(out.get("mart.person_score_by_period").collectAsList(), r -> r.getAs("staff_id") + "");
    Row p31 = scored.get("31");
    assertEquals(List.of(new BigDecimal("94.00"), new BigDecimal("3.00"), new BigDecimal("2.00"), "EXCELLENT", "GOOD",
        "admonition"), List.of(p31.getAs("score"), p31.getAs("penalty_points"), p31.getAs("bonus_points"),
        p31.getAs("grade_before_rules"), p31.getAs("grade"), p31.getAs("grade_rule")));
    assertEquals(List.of(new BigDecimal("80.00"), new BigDecimal("0.00")), List.of(scored.get("32").getAs("score"),
        scored.get("32").getAs("penalty_points")));
  }

  /** The change columns' formulas stand beside the tables' grain, as the serving database's column comments. */
  @Test
  void theChangesAreDocumentedWithTheirFormulas() {
    for (SqlModel model : List.of(ScoreMarts.UNIT_SCORES, ScoreMarts.PERSON_SCORES)) {
      Map<String, String> docs = model.columnDocs();
      assertTrue(docs.get("score_change").startsWith("score_change = score − previous_score"), model.table() + ": " + docs);
      assertTrue(docs.get("rank_change").startsWith("rank_change = previous_rank − rank_in_"), model.table() + ": " + docs);
    }
  }

  @Test
  void theIndicatorPointsAddUpToEachScoresPoints() {
    assertEquals(new BigDecimal("60.00"), points.get("UNIT 1 2025-Q2 workload_ratio").getAs("points"));
    assertEquals(new BigDecimal("20.00"), points.get("UNIT 1 2025-Q2 fill_rate").getAs("points"));
    assertEquals(new BigDecimal("0.500000"), points.get("UNIT 1 2025-Q2 fill_rate").getAs("share"));
    assertEquals(new BigDecimal("100.0000"), points.get("UNIT 4 2025-Q2 workload_ratio").getAs("effective_weight"),
        "U4's missing fill rate passes its 40 on");
    assertEquals(new BigDecimal("80.00"), points.get("PERSON 10 2025-Q2 workload_ratio").getAs("points"));
    assertNull(points.get("UNIT 6 2025-Q2 workload_ratio"), "no points without a score");
    for (Row u : units.values()) {
      BigDecimal sum = points.values().stream().filter(p -> p.getAs("level").equals("UNIT")
              && p.getAs("entity_id").equals(u.getAs("unit_id")) && p.getAs("period").equals(u.getAs("period")))
          .map(p -> p.<BigDecimal>getAs("points")).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
      if (u.getAs("score") != null) {
        assertEquals(u.<BigDecimal>getAs("indicator_points"), sum, "points of " + u);
      }
    }
  }
}
