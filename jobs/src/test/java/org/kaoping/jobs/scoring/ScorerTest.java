package org.kaoping.jobs.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

  /**
   * Q2, group G: U1 = 60 + 0.5×40 = 80, − 0.5 (a reminder), + min(3 early tasks × 1, max 2) = 81.5;
   * U3 the same (a tie); U2 = 0.5×60 + 40 = 70; U4 has no fill rate: 60/60 × 100 = 100 − 2 (notice) = 98;
   * U6 has nothing: no score. Ranks: U4 1, U1 and U3 2, U2 3. U5 alone in group SOLO: 0, rank 1 of 1.
   * Q1: U2 = 100, U3 = 60 + 0.75×40 = 90, U1 = 60 + 0.375×40 = 75 at rank 3; so in Q2 U1 is +6.5, up 1.
   */
  @Test
  void scoresRanksGradesAndChanges() {
    List<Input> inputs = List.of(
        unit(1, "G", "2025-Q1", 1.0, 0.875, Map.of(), 0),
        unit(2, "G", "2025-Q1", 1.0, 1.0, Map.of(), 0),
        unit(3, "G", "2025-Q1", 1.0, 0.95, Map.of(), 0),
        unit(1, "G", "2025-Q2", 1.0, 0.9, Map.of("REMINDER", 1L), 3),
        unit(2, "G", "2025-Q2", 0.85, 1.0, Map.of(), 0),
        unit(3, "G", "2025-Q2", 1.0, 0.9, Map.of("REMINDER", 1L), 3),
        unit(4, "G", "2025-Q2", 1.0, null, Map.of("NOTICE", 1L), 0),
        unit(6, "G", "2025-Q2", null, null, Map.of(), 0),
        unit(5, "SOLO", "2025-Q2", 0.7, 0.8, Map.of(), 0));
    Map<String, Score> s = Scorer.score(inputs, scheme::unitIndicators, scheme).stream()
        .collect(Collectors.toMap(x -> x.entityId() + " " + x.period(), x -> x));
    assertEquals(new BigDecimal("75.00"), s.get("1 2025-Q1").score()); // 60 + 0.375 × 40
    assertEquals(new BigDecimal("81.50"), s.get("1 2025-Q2").score());
    assertEquals(new BigDecimal("81.50"), s.get("3 2025-Q2").score());
    assertEquals(new BigDecimal("70.00"), s.get("2 2025-Q2").score());
    assertEquals(new BigDecimal("98.00"), s.get("4 2025-Q2").score());
    assertEquals("fill_rate", s.get("4 2025-Q2").missingIndicators());
    assertEquals(1, s.get("4 2025-Q2").rank());
    assertEquals(2, s.get("1 2025-Q2").rank());
    assertEquals(2, s.get("3 2025-Q2").rank());
    assertEquals(3, s.get("2 2025-Q2").rank());
    assertEquals("EXCELLENT", s.get("4 2025-Q2").grade());
    assertEquals("GOOD", s.get("1 2025-Q2").grade());
    assertEquals("ADEQUATE", s.get("2 2025-Q2").grade());
    assertNull(s.get("6 2025-Q2").score());
    assertNull(s.get("6 2025-Q2").rank());
    assertEquals("none of the scheme's indicators is available", s.get("6 2025-Q2").nullReason());
    assertEquals(new BigDecimal("0.00"), s.get("5 2025-Q2").score());
    assertEquals(1, s.get("5 2025-Q2").rank());
    assertEquals(1, s.get("5 2025-Q2").groupSize());
    assertEquals(3, s.get("1 2025-Q1").rank());
    assertEquals(new BigDecimal("6.50"), s.get("1 2025-Q2").scoreChange());
    assertEquals(1, s.get("1 2025-Q2").rankChange());
    assertNull(s.get("4 2025-Q2").previousScore(), "no Q1 score for U4");
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
    Score s = Scorer.score(List.of(new Input(1, "G", "default", "QUARTER", "2025-Q3", decimals(values), Map.of(), 0)),
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
    Score s = Scorer.score(List.of(new Input(7, "3", "3", "QUARTER", "2025-Q3", values, Map.of(), 0)),
        group -> builtIn.people(), builtIn).get(0);
    Map<String, BigDecimal> points = s.indicators().stream()
        .collect(Collectors.toMap(Scorer.IndicatorPoints::indicator, Scorer.IndicatorPoints::points));
    assertEquals(new BigDecimal("58.93"), points.get("workload_ratio"));
    assertEquals(new BigDecimal("98.93"), s.score());
    assertEquals(9779.0 / 8400, s.indicators().stream().filter(p -> p.indicator().equals("workload_ratio"))
        .findFirst().orElseThrow().value(), "the value shown beside the points is the mart's double");
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
    Score s = Scorer.score(List.of(new Input(1, "G", "default", "QUARTER", "2025-Q3", values, Map.of(), 0)),
        builtIn::unitIndicators, builtIn).get(0);
    Map<String, BigDecimal> points = s.indicators().stream()
        .collect(Collectors.toMap(Scorer.IndicatorPoints::indicator, Scorer.IndicatorPoints::points));
    assertEquals(new BigDecimal("0.10"), points.get("review_rate"));
    assertEquals(new BigDecimal("20.00"), points.get("workload_ratio"));
    assertEquals(new BigDecimal("35.10"), s.score());
    assertEquals(s.score(), points.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  /** A missing indicator passes its weight on: without service (15), workload's 40 counts 40 × 100/85 = 47.0588…. */
  @Test
  void missingIndicatorsPassTheirWeightOnInDecimal() {
    ScoringScheme builtIn = ScoringScheme.builtIn();
    Map<String, Double> values = new HashMap<>(Map.of("workload_ratio", 1.0, "fill_rate", 0.98, "review_rate", 0.95,
        "supervision_completion_rate", 1.0));
    Score s = Scorer.score(List.of(new Input(1, "G", "default", "QUARTER", "2025-Q3", decimals(values), Map.of(), 0)),
        builtIn::unitIndicators, builtIn).get(0);
    Map<String, BigDecimal> points = s.indicators().stream()
        .collect(Collectors.toMap(Scorer.IndicatorPoints::indicator, Scorer.IndicatorPoints::points));
    assertEquals(new BigDecimal("47.06"), points.get("workload_ratio")); // 47.0588…
    assertEquals(new BigDecimal("23.53"), points.get("fill_rate"));      // 23.5294…
    assertEquals(new BigDecimal("17.65"), points.get("review_rate"));    // 17.6470…
    assertEquals(new BigDecimal("11.76"), points.get("supervision_completion_rate")); // 11.7647…
    assertEquals(new BigDecimal("100.00"), s.score(), "the four rounded points sum to 100.00, kept within 0..100");
    assertEquals("service_on_time_rate", s.missingIndicators());
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
  }
}
