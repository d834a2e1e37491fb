package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.kaoping.jobs.scoring.Ratio;

/** How an indicator enters scoring from a score-input row: its counts when recorded, else its double (older inputs). */
class ScoreMartsInputTest {
  private static final StructType WITH_COUNTS = new StructType().add("workload_ratio", DataTypes.DoubleType)
      .add("workload_ratio_numerator", DataTypes.LongType).add("workload_ratio_denominator", DataTypes.LongType);
  private static final StructType DOUBLE_ONLY = new StructType().add("workload_ratio", DataTypes.DoubleType);

  @Test
  void countsEnterAsTheirExactFraction() {
    Ratio r = ScoreMarts.ratio(new GenericRowWithSchema(new Object[] {9779 / 8400.0, 9779L, 8400L}, WITH_COUNTS),
        "workload_ratio", true);
    assertEquals(BigDecimal.valueOf(9779), r.numerator());
    assertEquals(BigDecimal.valueOf(8400), r.denominator()); // ScorerTest scores this case: 58.93 points, not 58.92
    assertNull(ScoreMarts.ratio(new GenericRowWithSchema(new Object[] {null, 0L, 0L}, WITH_COUNTS), "workload_ratio", true));
  }

  /** A sum of scores to the cent (special assessments: Σ score / 100 × count) enters as it is, never truncated. */
  @Test
  void aSumOfScoresEntersAsItsDecimal() {
    StructType scores = new StructType().add("special_assessment_score", DataTypes.DoubleType)
        .add("special_assessment_score_numerator", DataTypes.createDecimalType(15, 2))
        .add("special_assessment_score_denominator", DataTypes.LongType);
    Ratio r = ScoreMarts.ratio(new GenericRowWithSchema(new Object[] {0.8775, new BigDecimal("175.50"), 200L}, scores),
        "special_assessment_score", true);
    assertEquals(new BigDecimal("0.8775"), r.rounded(4, RoundingMode.UNNECESSARY));
  }

  @Test
  void anIndicatorMissingFromOlderInputsIsMissing() {
    assertNull(ScoreMarts.ratio(new GenericRowWithSchema(new Object[] {1.0, 1L, 1L}, WITH_COUNTS),
        "responsibility_on_time_rate", true), "person inputs recorded before responsibility was scored");
  }

  @Test
  void olderInputsWithoutCountsEnterAsTheDoublesShortestDecimal() {
    Ratio r = ScoreMarts.ratio(new GenericRowWithSchema(new Object[] {9779 / 8400.0}, DOUBLE_ONLY), "workload_ratio", false);
    assertEquals(new BigDecimal("1.1641666666666666"), r.rounded(16, RoundingMode.UNNECESSARY)); // as those scores were computed
    assertNull(ScoreMarts.ratio(new GenericRowWithSchema(new Object[] {null}, DOUBLE_ONLY), "workload_ratio", false));
  }
}
