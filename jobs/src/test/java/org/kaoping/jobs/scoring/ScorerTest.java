package org.kaoping.jobs.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.kaoping.jobs.scoring.Scorer.Input;
import org.kaoping.jobs.scoring.Scorer.Score;
import org.kaoping.jobs.scoring.ScoringScheme.Grading;

/** Scheme of ScoringSchemeTest.VALID: ratio 60 points (0.7 → 0, 1.0 → full), fill 40 (0.8 → 0, 1.0 → full). */
class ScorerTest {
  private final ScoringScheme scheme = ScoringScheme.parse(ScoringSchemeTest.VALID, "test");

  private static Input unit(long id, String group, String period, Double ratio, Double fill, Map<String, Long> penalties,
      long early) {
    Map<String, Double> indicators = new HashMap<>();
    indicators.put("workload_ratio", ratio);
    indicators.put("fill_rate", fill);
    return new Input(id, group, group, "QUARTER", period, decimals(indicators), penalties, early);
  }

  /** Indicators written as decimals (each over one); a null stays missing. */
  private static Map<String, Ratio> decimals(Map<String, Double> values) {
    Map<String, Ratio> out = new HashMap<>();
    values.forEach((k, v) -> out.put(k, v == null ? null : Ratio.of(BigDecimal.valueOf(v))));
    return out;
  }

  /** A ranking group is scored whole: inputs of another period or group are refused, not ranked together. */
  @Test
  void aGroupHoldsOnePeriodAndRankingGroup() {
    List<Input> mixed = List.of(unit(1, "G", "2025-Q2", 1.0, 1.0, Map.of(), 0), unit(2, "G", "2025-Q1", 1.0, 1.0, Map.of(), 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Scorer.scoreGroup(mixed, scheme::unitIndicators, scheme));
    assertEquals("inputs of several ranking groups: QUARTER 2025-Q2 G and QUARTER 2025-Q1 G", e.getMessage());
  }

  /** Ties share a dense rank; the grade of a tie follows its competition rank (1 + those scoring higher). */
  @Test
  void tiesShareARank() {
    ScoringScheme quota = ScoringScheme.parse(ScoringSchemeTest.VALID.replace("{method: THRESHOLDS, excellent: 90, good: 75}",
        "{method: QUOTA, excellent: 0.5, good: 0.25}"), "quota");
    List<Score> s = Scorer.scoreGroup(List.of(unit(1, "G", "2025-Q2", 1.0, 1.0, Map.of(), 0),
        unit(2, "G", "2025-Q2", 0.85, 1.0, Map.of(), 0), unit(3, "G", "2025-Q2", 0.85, 1.0, Map.of(), 0),
        unit(4, "G", "2025-Q2", 0.7, 0.8, Map.of(), 0)), quota::unitIndicators, quota);
    assertEquals(List.of(1, 2, 2, 3), s.stream().map(Score::rank).toList());
    assertEquals(List.of(4, 4, 4, 4), s.stream().map(Score::groupSize).toList());
    // 4 × 0.5 = 2 excellent (competition ranks 1 and 2), 4 × 0.75 = 3 within good: the tie at rank 2 is excellent
    assertEquals(List.of("EXCELLENT", "EXCELLENT", "EXCELLENT", "ADEQUATE"), s.stream().map(Score::grade).toList());
  }

  /**
   * A point on the half cent is rounded away from zero, whatever binary floating point would make of it:
   * review_rate 0.72325 on [[0.70, 0], [0.95, 1]] earns 15 × 0.093 = 1.395 → 1.40 (in doubles 1.3949999… → 1.39);
   * workload 0.85 earns 40 × 0.5 = 20.00. With fill rate 0.80 (0 of 20), service 1.0 (15) and supervision
   * 0.5 (0 of 10) the score is 20.00 + 0 + 1.40 + 15.00 + 0 = 36.40, exactly the sum of the printed points.
   */
  @Test
  void pointsOnTheHalfCentRoundAwayFromZeroAndAddUpToTheScore() {
    ScoringScheme builtIn = ScoringScheme.builtIn();
    Map<String, Double> values = new HashMap<>(Map.of("workload_ratio", 0.85, "fill_rate", 0.80, "review_rate", 0.72325,
        "service_on_time_rate", 1.0, "supervision_completion_rate", 0.5));
    Score s = Scorer.scoreGroup(List.of(new Input(1, "G", "default", "QUARTER", "2025-Q3", decimals(values), Map.of(), 0)),
        builtIn::unitIndicators, builtIn).get(0);
    Map<String, BigDecimal> points = s.indicators().stream()
        .collect(Collectors.toMap(Scorer.IndicatorPoints::indicator, Scorer.IndicatorPoints::points));
    assertEquals(new BigDecimal("1.40"), points.get("review_rate"));
    assertEquals(new BigDecimal("20.00"), points.get("workload_ratio"));
    assertEquals(new BigDecimal("36.40"), s.score());
    assertEquals(s.score(), points.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  /**
   * A person's workload of 9,779 / 8,400 minutes lies on [[0.70, 0], [1.00, 0.9], [1.20, 1]] at
   * 0.9 + 0.1 × 0.1641666…/0.2 = 0.98208333…, so it earns 60 × 0.98208333… = 58.925 exactly → 58.93. The
   * shortest decimal of the double quotient (1.1641666666666666) would give 58.9249999… → 58.92.
   * With fill rate 1.0 (30) and reviewing on time 1.0 (10) the contribution index is 98.93.
   */
  @Test
  void aPersonsRatioIsScoredFromItsCountsNotFromADouble() {
    ScoringScheme builtIn = ScoringScheme.builtIn();
    Map<String, Ratio> values = Map.of("workload_ratio", Ratio.of(9779, 8400), "fill_rate", Ratio.of(21, 21),
        "reviewer_on_time_rate", Ratio.of(4, 4));
    Score s = Scorer.scoreGroup(List.of(new Input(7, "3", "3", "QUARTER", "2025-Q3", values, Map.of(), 0)),
        group -> builtIn.people(), builtIn).get(0);
    Map<String, BigDecimal> points = s.indicators().stream()
        .collect(Collectors.toMap(Scorer.IndicatorPoints::indicator, Scorer.IndicatorPoints::points));
    assertEquals(new BigDecimal("58.93"), points.get("workload_ratio"));
    assertEquals(new BigDecimal("98.93"), s.score());
    assertEquals(9779.0 / 8400, s.indicators().stream().filter(p -> p.indicator().equals("workload_ratio"))
        .findFirst().orElseThrow().value(), "the value shown beside the points is the mart's double");
  }

  /**
   * The built-in contribution index (workload 54, fill 27, reviewing 9, responsibility 10; workload 9,779 / 8,400 minutes
   * earns 0.98208333… of its weight). A, a leader answering for 3 of 4 items on time (0.75 on [[0.5, 0], [1, 1]]: half):
   * 53.0325 → 53.03 + 27 + 9 + 5 = 94.03, − 0.50 (a reminder on one of them) + 1 (a target task done early) = 94.53.
   * B, no reviews and no responsibilities: 81 weights present, workload 5,400/81 × 0.98208… = 65.472… → 65.47, fill
   * 2,700/81 = 33.33: 98.80, as the 60/30 of a scheme without the two. C answers for 2 of 2 on time, 91 present:
   * 59.34 + 29.67 + 10.99 = 100.00, − 3 (an admonition on one of them) = 97.00, EXCELLENT capped at GOOD.
   */
  @Test
  void responsibilityWeighsOnlyForThoseWhoAnswerForItemsAndTheirPenaltiesFallOnThem() {
    ScoringScheme builtIn = ScoringScheme.builtIn();
    Input a = new Input(1, "9", "9", "QUARTER", "2025-Q3", Map.of("workload_ratio", Ratio.of(9779, 8400), "fill_rate",
        Ratio.of(21, 21), "reviewer_on_time_rate", Ratio.of(4, 4), "responsibility_on_time_rate", Ratio.of(3, 4)),
        Map.of("REMINDER", 1L), 1);
    Input b = new Input(2, "9", "9", "QUARTER", "2025-Q3", Map.of("workload_ratio", Ratio.of(9779, 8400), "fill_rate",
        Ratio.of(21, 21)), Map.of(), 0);
    Input c = new Input(3, "9", "9", "QUARTER", "2025-Q3", Map.of("workload_ratio", Ratio.of(12, 10), "fill_rate",
        Ratio.of(1, 1), "responsibility_on_time_rate", Ratio.of(2, 2)), Map.of("ADMONITION", 1L), 0);
    Map<Long, Score> scores = Scorer.scoreGroup(List.of(a, b, c), group -> builtIn.people(), builtIn).stream()
        .collect(Collectors.toMap(Score::entityId, s -> s));
    Score sa = scores.get(1L);
    assertEquals(List.of(new BigDecimal("94.03"), new BigDecimal("0.50"), new BigDecimal("1.00"), new BigDecimal("94.53")),
        List.of(sa.indicatorPoints(), sa.penaltyPoints(), sa.bonusPoints(), sa.score()));
    assertEquals(new BigDecimal("5.00"), sa.indicators().stream()
        .filter(p -> p.indicator().equals("responsibility_on_time_rate")).findFirst().orElseThrow().points());
    Score sb = scores.get(2L);
    assertEquals(new BigDecimal("98.80"), sb.score());
    assertEquals("reviewer_on_time_rate,responsibility_on_time_rate", sb.missingIndicators());
    Score sc = scores.get(3L);
    assertEquals(List.of(new BigDecimal("97.00"), "EXCELLENT", "GOOD", "admonition", 2), List.of(sc.score(),
        sc.gradeBeforeRules(), sc.grade(), sc.gradeRule(), sc.rank()));
    assertEquals(List.of(1, 3), List.of(sb.rank(), sa.rank()));
  }

  /**
   * A unit's review rate of 8,419 / 12,000 logs on [[0.70, 0], [0.95, 1]] earns 15 × (19/12000)/0.25 = 0.095
   * exactly → 0.10 (from the double 0.7015833333333333: 0.0949999… → 0.09). With workload 0.85 (20.00),
   * fill rate 0.80 (0), service 1.0 (15.00) and supervision 0.5 (0) the score is 35.10.
   */
  @Test
  void aUnitsRatioIsScoredFromItsCountsNotFromADouble() {
    ScoringScheme builtIn = ScoringScheme.builtIn();
    Map<String, Ratio> values = Map.of("workload_ratio", Ratio.of(8925, 10500), "fill_rate", Ratio.of(16, 20),
        "review_rate", Ratio.of(8419, 12000), "service_on_time_rate", Ratio.of(9, 9),
        "supervision_completion_rate", Ratio.of(1, 2));
    Score s = Scorer.scoreGroup(List.of(new Input(1, "G", "default", "QUARTER", "2025-Q3", values, Map.of(), 0)),
        builtIn::unitIndicators, builtIn).get(0);
    Map<String, BigDecimal> points = s.indicators().stream()
        .collect(Collectors.toMap(Scorer.IndicatorPoints::indicator, Scorer.IndicatorPoints::points));
    assertEquals(new BigDecimal("0.10"), points.get("review_rate"));
    assertEquals(new BigDecimal("20.00"), points.get("workload_ratio"));
    assertEquals(new BigDecimal("35.10"), s.score());
    assertEquals(s.score(), points.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  /**
   * A missing indicator passes its weight on: without service (12) and the three evaluation inputs (10, 5, 5), workload's
   * 32 counts 32 × 100/68 = 47.0588…, as 40 × 100/85 did before the scheme weighed them.
   */
  @Test
  void missingIndicatorsPassTheirWeightOnInDecimal() {
    ScoringScheme builtIn = ScoringScheme.builtIn();
    Map<String, Double> values = new HashMap<>(Map.of("workload_ratio", 1.0, "fill_rate", 0.98, "review_rate", 0.95,
        "supervision_completion_rate", 1.0));
    Score s = Scorer.scoreGroup(List.of(new Input(1, "G", "default", "QUARTER", "2025-Q3", decimals(values), Map.of(), 0)),
        builtIn::unitIndicators, builtIn).get(0);
    Map<String, BigDecimal> points = s.indicators().stream()
        .collect(Collectors.toMap(Scorer.IndicatorPoints::indicator, Scorer.IndicatorPoints::points));
    assertEquals(new BigDecimal("47.06"), points.get("workload_ratio")); // 47.0588…
    assertEquals(new BigDecimal("23.53"), points.get("fill_rate"));      // 23.5294…
    assertEquals(new BigDecimal("17.65"), points.get("review_rate"));    // 17.6470…
    assertEquals(new BigDecimal("11.76"), points.get("supervision_completion_rate")); // 11.7647…
    assertEquals(new BigDecimal("100.00"), s.score(), "the four rounded points sum to 100.00, kept within 0..100");
    assertEquals("service_on_time_rate,special_assessment_score,mutual_evaluation_score,satisfaction_rate",
        s.missingIndicators());
  }

  /**
   * Golmud's inputs in the built-in scheme, with every other indicator at full marks (80 points). The year: special
   * assessments 175.50 of 200 merged by proportion, 10 × 0.8775 = 8.775 exactly → 8.78; mutual evaluation 270.50 of 300,
   * 5 × 0.90166… = 4.508… → 4.51; satisfaction 9 of 10 on [[0.70, 0], [1.00, 1]], 5 × 2/3 → 3.33: 96.62. A quarter has
   * no mutual evaluation: its 5 pass on (× 100/95), 33.68 + 16.84 + 12.63 + 12.63 + 8.42 + 9.24 + 3.51 = 96.95.
   */
  @Test
  void specialAssessmentsMutualEvaluationAndSatisfactionAreWeighed() {
    ScoringScheme builtIn = ScoringScheme.builtIn();
    Map<String, Ratio> values = new HashMap<>(Map.of("workload_ratio", Ratio.of(1, 1), "fill_rate", Ratio.of(1, 1),
        "review_rate", Ratio.of(1, 1), "service_on_time_rate", Ratio.of(1, 1), "supervision_completion_rate", Ratio.of(1, 1),
        "special_assessment_score", Ratio.of(new BigDecimal("175.50"), BigDecimal.valueOf(200)),
        "satisfaction_rate", Ratio.of(9, 10)));
    Score quarter = Scorer.scoreGroup(List.of(new Input(1, "G", "default", "QUARTER", "2025-Q4", values, Map.of(), 0)),
        builtIn::unitIndicators, builtIn).get(0);
    values.put("mutual_evaluation_score", Ratio.of(new BigDecimal("270.50"), BigDecimal.valueOf(300)));
    Score year = Scorer.scoreGroup(List.of(new Input(1, "G", "default", "YEAR", "2025", values, Map.of(), 0)),
        builtIn::unitIndicators, builtIn).get(0);
    Map<String, BigDecimal> points = year.indicators().stream()
        .collect(Collectors.toMap(Scorer.IndicatorPoints::indicator, Scorer.IndicatorPoints::points));
    assertEquals(List.of(new BigDecimal("8.78"), new BigDecimal("4.51"), new BigDecimal("3.33")), List.of(
        points.get("special_assessment_score"), points.get("mutual_evaluation_score"), points.get("satisfaction_rate")));
    assertEquals(new BigDecimal("96.62"), year.score());
    assertEquals(new BigDecimal("96.95"), quarter.score());
    assertEquals("mutual_evaluation_score", quarter.missingIndicators());
    assertNull(ScoringScheme.builtIn().unitIndicators("CITY_PARTY").get("satisfaction_rate"),
        "party organs have no service windows");
  }

  /** Five scores 90, 80, 80, 70, 60 with quotas 20 % / 40 %: floor(1) excellent, floor(3) within good. */
  @Test
  void quotaGradingFollowsCompetitionRank() {
    Grading quota = new Grading(Grading.Method.QUOTA, 0.2, 0.4);
    assertEquals("EXCELLENT", Scorer.grade(90, 1, 5, quota));
    assertEquals("GOOD", Scorer.grade(80, 2, 5, quota));
    assertEquals("ADEQUATE", Scorer.grade(70, 4, 5, quota));
    assertEquals("ADEQUATE", Scorer.grade(95, 1, 1, quota), "a group of one has no quota for EXCELLENT at 20 %");
  }

  @Test
  void previousPeriods() {
    assertEquals("2024-12", Scorer.previousPeriod("MONTH", "2025-01"));
    assertEquals("2024-Q4", Scorer.previousPeriod("QUARTER", "2025-Q1"));
    assertEquals("2025-Q2", Scorer.previousPeriod("QUARTER", "2025-Q3"));
    assertEquals("2024", Scorer.previousPeriod("YEAR", "2025"));
    assertEquals("2024-H2", Scorer.previousPeriod("HALF", "2025-H1"));
    assertEquals("2025-H1", Scorer.previousPeriod("HALF", "2025-H2"));
    assertEquals("unknown period type WEEK", assertThrows(IllegalArgumentException.class,
        () -> Scorer.previousPeriod("WEEK", "2025-W49")).getMessage());
  }

  @Test
  void nextPeriodsUndoPreviousOnes() {
    assertEquals("2026-01", Scorer.nextPeriod("MONTH", "2025-12"));
    assertEquals("2026-Q1", Scorer.nextPeriod("QUARTER", "2025-Q4"));
    assertEquals("2025-Q4", Scorer.nextPeriod("QUARTER", "2025-Q3"));
    assertEquals("2026", Scorer.nextPeriod("YEAR", "2025"));
    assertEquals("2026-H1", Scorer.nextPeriod("HALF", "2025-H2"));
    assertEquals("2025-H2", Scorer.nextPeriod("HALF", "2025-H1"));
    for (String[] p : new String[][] {{"MONTH", "2025-06"}, {"QUARTER", "2025-Q1"}, {"QUARTER", "2024-Q4"}, {"HALF", "2025-H1"},
        {"HALF", "2024-H2"}, {"YEAR", "2025"}}) {
      assertEquals(p[1], Scorer.previousPeriod(p[0], Scorer.nextPeriod(p[0], p[1])));
    }
  }
}
