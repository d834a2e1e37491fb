package org.kaoping.jobs.scoring;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.kaoping.jobs.scoring.ScoringScheme.Grading;
import org.kaoping.jobs.scoring.ScoringScheme.Indicator;

/**
 * Turns indicators into composite scores, ranks, grades and changes against the previous period.
 *
 * <pre>
 * points  = Σ weight × curve(value) over the indicators the entity has; when some are missing (null),
 *           the available weights are scaled up to 100 so a unit is not punished for a duty it does not have
 * score   = round(points − penalty deductions + min(bonus, max), 2), kept within 0..100
 * rank    = dense rank of the score within the ranking group and period, highest first (ties share a rank)
 * grade   = THRESHOLDS: score >= excellent → EXCELLENT, >= good → GOOD, else ADEQUATE;
 *           QUOTA: EXCELLENT while the competition rank (1 + number scoring higher) <= floor(n × excellent),
 *           GOOD while it is <= floor(n × (excellent + good)), else ADEQUATE
 * change  = against the previous period of the same type (month, quarter, year)
 * </pre>
 */
public final class Scorer {
  /** What is scored: one entity in one period, with the group it is ranked in. */
  public record Input(long entityId, String rankingGroup, String schemeGroup, String periodType, String period,
      Map<String, Double> indicators, Map<String, Long> penalties, long earlyCompletions) {}

  /** The result for one entity and period. */
  public record Score(long entityId, String rankingGroup, String periodType, String period, Double score,
      double indicatorPoints, double penaltyPoints, double bonusPoints, String missingIndicators, String nullReason,
      Integer rank, Integer groupSize, String grade, Double previousScore, Integer previousRank, Double scoreChange,
      Integer rankChange) {}

  private Scorer() {}

  /**
   * Scores every input.
   *
   * @param indicatorsOf the scheme's indicators for an input's scheme group
   */
  public static List<Score> score(List<Input> inputs, Function<String, Map<String, Indicator>> indicatorsOf,
      ScoringScheme scheme) {
    List<Score> raw = new ArrayList<>();
    for (Input in : inputs) {
      raw.add(scoreOne(in, indicatorsOf.apply(in.schemeGroup()), scheme));
    }
    List<Score> ranked = new ArrayList<>();
    Map<String, List<Score>> byGroup = raw.stream().collect(Collectors.groupingBy(
        s -> s.periodType() + "|" + s.period() + "|" + s.rankingGroup(), TreeMap::new, Collectors.toList()));
    for (List<Score> group : byGroup.values()) {
      List<Double> distinct = group.stream().map(Score::score).filter(java.util.Objects::nonNull).distinct()
          .sorted(Comparator.reverseOrder()).toList();
      List<Double> all = group.stream().map(Score::score).filter(java.util.Objects::nonNull).toList();
      for (Score s : group) {
        Integer rank = s.score() == null ? null : distinct.indexOf(s.score()) + 1;
        int higher = s.score() == null ? 0 : (int) all.stream().filter(x -> x > s.score()).count();
        String grade = s.score() == null ? null : grade(s.score(), higher + 1, all.size(), scheme.grading());
        ranked.add(new Score(s.entityId(), s.rankingGroup(), s.periodType(), s.period(), s.score(), s.indicatorPoints(),
            s.penaltyPoints(), s.bonusPoints(), s.missingIndicators(), s.nullReason(), rank, all.size(), grade,
            null, null, null, null));
      }
    }
    Map<String, Score> index = new HashMap<>();
    ranked.forEach(s -> index.put(s.entityId() + "|" + s.periodType() + "|" + s.period(), s));
    List<Score> out = new ArrayList<>();
    for (Score s : ranked) {
      Score prev = index.get(s.entityId() + "|" + s.periodType() + "|" + previousPeriod(s.periodType(), s.period()));
      Double prevScore = prev == null ? null : prev.score();
      Integer prevRank = prev == null ? null : prev.rank();
      out.add(new Score(s.entityId(), s.rankingGroup(), s.periodType(), s.period(), s.score(), s.indicatorPoints(),
          s.penaltyPoints(), s.bonusPoints(), s.missingIndicators(), s.nullReason(), s.rank(), s.groupSize(), s.grade(),
          prevScore, prevRank, prevScore == null || s.score() == null ? null : round(s.score() - prevScore),
          prevRank == null || s.rank() == null ? null : prevRank - s.rank()));
    }
    return out;
  }

  private static Score scoreOne(Input in, Map<String, Indicator> scheme, ScoringScheme all) {
    double available = 0;
    double earned = 0;
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Indicator> e : scheme.entrySet()) {
      Double value = in.indicators().get(e.getKey());
      if (value == null || value.isNaN()) {
        missing.add(e.getKey());
        continue;
      }
      available += e.getValue().weight();
      earned += e.getValue().weight() * e.getValue().curve().share(value);
    }
    double penalty = 0;
    for (Map.Entry<String, Long> p : in.penalties().entrySet()) {
      penalty += all.penaltyPoints().getOrDefault(p.getKey(), 0.0) * p.getValue();
    }
    double bonus = Math.min(all.bonusMax(), all.bonusPerEarlyTask() * in.earlyCompletions());
    String missingList = missing.isEmpty() ? null : String.join(",", missing);
    if (available == 0) {
      return new Score(in.entityId(), in.rankingGroup(), in.periodType(), in.period(), null, 0, penalty, bonus,
          missingList, "none of the scheme's indicators is available", null, null, null, null, null, null, null);
    }
    double points = earned * 100 / available;
    double score = round(Math.max(0, Math.min(100, points - penalty + bonus)));
    return new Score(in.entityId(), in.rankingGroup(), in.periodType(), in.period(), score, round(points), penalty, bonus,
        missingList, null, null, null, null, null, null, null, null);
  }

  static String grade(double score, int competitionRank, int groupSize, Grading g) {
    if (g.method() == Grading.Method.THRESHOLDS) {
      return score >= g.excellent() ? "EXCELLENT" : score >= g.good() ? "GOOD" : "ADEQUATE";
    }
    if (competitionRank <= Math.floor(groupSize * g.excellent() + 1e-9)) {
      return "EXCELLENT";
    }
    return competitionRank <= Math.floor(groupSize * (g.excellent() + g.good()) + 1e-9) ? "GOOD" : "ADEQUATE";
  }

  /** The period before {@code period}: 2025-03 → 2025-02, 2025-Q1 → 2024-Q4, 2025 → 2024. */
  static String previousPeriod(String type, String period) {
    return switch (type) {
      case "MONTH" -> YearMonth.parse(period).minusMonths(1).toString();
      case "QUARTER" -> {
        int year = Integer.parseInt(period.substring(0, 4));
        int q = Integer.parseInt(period.substring(6));
        yield q == 1 ? (year - 1) + "-Q4" : year + "-Q" + (q - 1);
      }
      case "YEAR" -> Integer.toString(Integer.parseInt(period) - 1);
      default -> throw new IllegalArgumentException("unknown period type " + type);
    };
  }

  private static double round(double v) {
    return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }
}
