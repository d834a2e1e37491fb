package org.kaoping.jobs.scoring;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

import org.kaoping.jobs.scoring.ScoringScheme.Grading;
import org.kaoping.jobs.scoring.ScoringScheme.Indicator;

/**
 * Turns indicators into composite scores, ranks, grades and changes against the previous period.
 *
 * <pre>
 * points  = per indicator the entity has: weight × curve(value) × 100 / (Σ weights of the indicators it has),
 *           rounded once to 0.01, half away from zero; when some are missing (null) the available weights
 *           are so scaled up to 100, and a unit is not punished for a duty it does not have
 * score   = Σ points − penalty deductions + min(bonus, max), kept within 0..100: exact, so the printed
 *           points add up to the printed score
 * rank    = dense rank of the score within the ranking group and period, highest first (ties share a rank)
 * grade   = THRESHOLDS: score >= excellent → EXCELLENT, >= good → GOOD, else ADEQUATE;
 *           QUOTA: EXCELLENT while the competition rank (1 + number scoring higher) <= floor(n × excellent),
 *           GOOD while it is <= floor(n × (excellent + good)), else ADEQUATE; then the scheme's grade caps
 *           (grade_rules.caps: a penalty in the period limits the grade, the strictest applies), the grade the
 *           score earned kept as gradeBeforeRules and the cap's name as gradeRule
 * place   = FIRST for dense rank 1, LAST for the highest dense rank, when at least two are scored and they do
 *           not all tie (the consequences of grade_rules read it)
 * change  = against the previous period of the same type (month, quarter, year): joined by ScoreMarts
 * </pre>
 * Points are computed exactly (indicators as counted numerator / denominator, the scheme's own digits) and
 * rounded once; the effective weights and shares shown beside them keep 34 significant digits.
 */
public final class Scorer {
  /** Scores and points are kept to the cent. */
  public static final int SCALE = 2;

  /** What is scored: one entity in one period, with the group it is ranked in. */
  public record Input(long entityId, String rankingGroup, String schemeGroup, String periodType, String period,
      Map<String, Ratio> indicators, Map<String, Long> penalties, long earlyCompletions) implements Serializable {}

  /**
   * One indicator's part of a score: its value, its weight in the scheme and after missing indicators passed
   * theirs on, the share of that weight its curve gives, and the points earned.
   */
  public record IndicatorPoints(String indicator, double value, BigDecimal weight, BigDecimal effectiveWeight,
      BigDecimal share, BigDecimal points) implements Serializable {}

  /**
   * The result for one entity and period. The change against the previous period is not here: it joins each
   * entity's periods, which the score job does over every ranking group at once (see {@code ScoreMarts}).
   */
  public record Score(long entityId, String rankingGroup, String periodType, String period, BigDecimal score,
      BigDecimal indicatorPoints, BigDecimal penaltyPoints, BigDecimal bonusPoints, String missingIndicators,
      String nullReason, Integer rank, Integer groupSize, String grade, String gradeBeforeRules, String gradeRule,
      String place, List<IndicatorPoints> indicators) implements Serializable {

    Score ranked(Integer rank, Integer groupSize, String grade, String gradeBeforeRules, String gradeRule, String place) {
      return new Score(entityId, rankingGroup, periodType, period, score, indicatorPoints, penaltyPoints, bonusPoints,
          missingIndicators, nullReason, rank, groupSize, grade, gradeBeforeRules, gradeRule, place, indicators);
    }
  }

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Scorer() {}

  /**
   * Scores, ranks and grades one ranking group of one period: every input shares its period type, period and
   * ranking group.
   *
   * @param indicatorsOf the scheme's indicators for an input's scheme group
   * @throws IllegalArgumentException when the inputs are not of one group
   */
  public static List<Score> scoreGroup(List<Input> group, Function<String, Map<String, Indicator>> indicatorsOf,
      ScoringScheme scheme) {
    List<Score> raw = new ArrayList<>(group.size());
    for (Input in : group) {
      if (!sameGroup(in, group.get(0))) {
        throw new IllegalArgumentException("inputs of several ranking groups: " + key(group.get(0)) + " and " + key(in));
      }
      raw.add(scoreOne(in, indicatorsOf.apply(in.schemeGroup()), scheme));
    }
    List<BigDecimal> scores = raw.stream().map(Score::score).filter(Objects::nonNull).sorted(Comparator.reverseOrder()).toList();
    // one pass over the scores, highest first: dense rank (ties share it) and competition rank (1 + those higher)
    TreeMap<BigDecimal, int[]> ranks = new TreeMap<>();
    for (int i = 0; i < scores.size(); i++) {
      ranks.putIfAbsent(scores.get(i), new int[] {ranks.size() + 1, i + 1});
    }
    int lastRank = ranks.size();
    List<Score> ranked = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Score s = raw.get(i);
      int[] rank = s.score() == null ? null : ranks.get(s.score());
      if (rank == null) {
        ranked.add(s.ranked(null, scores.size(), null, null, null, null));
        continue;
      }
      String earned = grade(s.score().doubleValue(), rank[1], scores.size(), scheme.grading());
      GradeRules.Cap cap = scheme.gradeRules().capFor(group.get(i).penalties(), earned);
      String place = scores.size() < 2 || lastRank < 2 ? null
          : rank[0] == 1 ? GradeRules.FIRST : rank[0] == lastRank ? GradeRules.LAST : null;
      ranked.add(s.ranked(rank[0], scores.size(), cap == null ? earned : cap.atMost(), earned,
          cap == null ? null : cap.name(), place));
    }
    return ranked;
  }

  private static boolean sameGroup(Input a, Input b) {
    return key(a).equals(key(b));
  }

  private static String key(Input in) {
    return in.periodType() + " " + in.period() + " " + in.rankingGroup();
  }

  private static Score scoreOne(Input in, Map<String, Indicator> scheme, ScoringScheme all) {
    BigDecimal available = BigDecimal.ZERO;
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Indicator> e : scheme.entrySet()) {
      if (in.indicators().get(e.getKey()) == null) {
        missing.add(e.getKey());
      } else {
        available = available.add(e.getValue().weight());
      }
    }
    BigDecimal penalty = BigDecimal.ZERO.setScale(SCALE);
    for (Map.Entry<String, Long> p : in.penalties().entrySet()) {
      penalty = penalty.add(all.penaltyPoints().getOrDefault(p.getKey(), BigDecimal.ZERO).multiply(BigDecimal.valueOf(p.getValue())));
    }
    BigDecimal bonus = all.bonusMax().min(all.bonusPerEarlyTask().multiply(BigDecimal.valueOf(in.earlyCompletions())))
        .setScale(SCALE);
    String missingList = missing.isEmpty() ? null : String.join(",", missing);
    if (available.signum() == 0) {
      return new Score(in.entityId(), in.rankingGroup(), in.periodType(), in.period(), null, null, penalty, bonus,
          missingList, "none of the scheme's indicators is available", null, null, null, null, null, null, List.of());
    }
    List<IndicatorPoints> parts = new ArrayList<>();
    BigDecimal points = BigDecimal.ZERO.setScale(SCALE);
    for (Map.Entry<String, Indicator> e : scheme.entrySet()) {
      Ratio value = in.indicators().get(e.getKey());
      if (value == null) {
        continue;
      }
      Ratio effectiveWeight = new Ratio(e.getValue().weight().multiply(HUNDRED), available);
      Ratio share = e.getValue().curve().share(value);
      BigDecimal earned = effectiveWeight.times(share).rounded(SCALE, RoundingMode.HALF_UP);
      parts.add(new IndicatorPoints(e.getKey(), value.doubleValue(), e.getValue().weight(), effectiveWeight.decimal(),
          share.decimal(), earned));
      points = points.add(earned);
    }
    BigDecimal score = points.subtract(penalty).add(bonus).max(BigDecimal.ZERO.setScale(SCALE)).min(HUNDRED.setScale(SCALE));
    return new Score(in.entityId(), in.rankingGroup(), in.periodType(), in.period(), score, points, penalty, bonus,
        missingList, null, null, null, null, null, null, null, List.copyOf(parts));
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

  /** The period after {@code period}: 2025-12 → 2026-01, 2025-Q4 → 2026-Q1, 2025 → 2026 ({@link #previousPeriod}'s inverse). */
  public static String nextPeriod(String type, String period) {
    return switch (type) {
      case "MONTH" -> YearMonth.parse(period).plusMonths(1).toString();
      case "QUARTER" -> {
        int year = Integer.parseInt(period.substring(0, 4));
        int q = Integer.parseInt(period.substring(6));
        yield q == 4 ? (year + 1) + "-Q1" : year + "-Q" + (q + 1);
      }
      case "YEAR" -> Integer.toString(Integer.parseInt(period) + 1);
      default -> throw new IllegalArgumentException("unknown period type " + type);
    };
  }

  /** The period before {@code period}: 2025-03 → 2025-02, 2025-Q1 → 2024-Q4, 2025 → 2024. */
  public static String previousPeriod(String type, String period) {
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
}
