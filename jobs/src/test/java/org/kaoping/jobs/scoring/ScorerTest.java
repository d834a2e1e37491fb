package org.kaoping.jobs.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    return new Input(id, group, group, "QUARTER", period, indicators, penalties, early);
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
    assertEquals(75.0, s.get("1 2025-Q1").score(), 1e-9); // 60 + 0.375 × 40
    assertEquals(81.5, s.get("1 2025-Q2").score(), 1e-9);
    assertEquals(81.5, s.get("3 2025-Q2").score(), 1e-9);
    assertEquals(70.0, s.get("2 2025-Q2").score(), 1e-9);
    assertEquals(98.0, s.get("4 2025-Q2").score(), 1e-9);
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
    assertEquals(0.0, s.get("5 2025-Q2").score(), 1e-9);
    assertEquals(1, s.get("5 2025-Q2").rank());
    assertEquals(1, s.get("5 2025-Q2").groupSize());
    assertEquals(3, s.get("1 2025-Q1").rank());
    assertEquals(6.5, s.get("1 2025-Q2").scoreChange(), 1e-9);
    assertEquals(1, s.get("1 2025-Q2").rankChange());
    assertNull(s.get("4 2025-Q2").previousScore(), "no Q1 score for U4");
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
