package org.kaoping.jobs.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

public class ScoringSchemeTest {
  public static final String VALID = """
      grading: {method: THRESHOLDS, excellent: 90, good: 75}
      penalties: {REMINDER: 0.5, NOTICE: 2}
      bonus: {target_task_completed_early: 1, max: 2}
      units:
        default:
          workload_ratio: {weight: 60, curve: [[0.7, 0], [1.0, 1]]}
          fill_rate: {weight: 40, curve: [[0.8, 0], [1.0, 1]]}
      people:
        workload_ratio: {weight: 100, curve: [[0, 0], [1, 1]]}
      """;

  @Test
  void builtInSchemeLoads() {
    ScoringScheme s = ScoringScheme.builtIn();
    assertEquals(4, s.unitIndicators("CITY_PARTY").size());
    assertEquals(5, s.unitIndicators("CITY_GOVERNMENT").size(), "groups without their own scheme use default");
  }

  @Test
  void curvesInterpolateLinearlyAndAreFlatOutside() {
    Curve c = ScoringScheme.parse(VALID, "t").unitIndicators("x").get("workload_ratio").curve();
    assertEquals(0, new BigDecimal("0.5").compareTo(c.share(new BigDecimal("0.85"))));
    assertEquals(0, BigDecimal.ZERO.compareTo(c.share(new BigDecimal("0.5"))));
    assertEquals(0, BigDecimal.ONE.compareTo(c.share(new BigDecimal("1.3"))));
    Curve three = ScoringScheme.builtIn().people().get("workload_ratio").curve(); // [0.7,0] [1.0,0.9] [1.2,1]
    assertEquals(0, new BigDecimal("0.95").compareTo(three.share(new BigDecimal("1.1"))));
  }

  @Test
  void invalidSchemesAreRefusedWithTheReason() {
    assertRefused(VALID.replace("weight: 40", "weight: 35"), "units.default: weights sum to 95, not 100");
    assertRefused(VALID.replace("fill_rate: {", "fil_rate: {"), "unknown indicator 'fil_rate'");
    assertRefused(VALID.replace("[[0.8, 0], [1.0, 1]]", "[[0.9, 0], [0.8, 1]]"), "must increase strictly, but 0.9 is followed by 0.8");
    assertRefused(VALID.replace("[[0.8, 0], [1.0, 1]]", "[[0.8, 0], [1.0, 1.5]]"), "share 1.5 must be between 0 and 1");
    assertRefused(VALID.replace("THRESHOLDS", "BEST_OF"), "method must be THRESHOLDS or QUOTA");
    assertRefused(VALID.replace("THRESHOLDS, excellent: 90, good: 75", "QUOTA, excellent: 0.6, good: 0.5"), "excellent + good <= 1");
    assertRefused(VALID.replace("NOTICE: 2", "FINE: 2"), "unknown penalty 'FINE'");
    assertRefused(VALID.replace("default:", "CITY:"), "needs a 'default' peer group");
    assertRefused("grading: [", "is not valid YAML");
    assertRefused(VALID.replace("NOTICE: 2", "NOTICE: 0.125"), "at most two decimal places");
  }

  private static void assertRefused(String yaml, String expected) {
    SchemeException e = assertThrows(SchemeException.class, () -> ScoringScheme.parse(yaml, "my-scheme.yaml"));
    assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("my-scheme.yaml"), e.getMessage());
  }
}
