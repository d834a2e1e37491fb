package org.kaoping.jobs.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

public class ScoringSchemeTest {
  public static final String VALID = """
      grading: {method: THRESHOLDS, excellent: 90, good: 75}
      penalties: {REMINDER: 0.5, NOTICE: 2, ADMONITION: 3, ACCOUNTABILITY: 5}
      grade_rules:
        caps:
          admonition: {penalty: ADMONITION, at_most: GOOD, description: 被诫勉的不得评定为优秀}
          accountability: {penalty: ACCOUNTABILITY, at_most: ADEQUATE, description: 被追责的直接确定为一般}
        consequences:
          period_type: YEAR
          promotion_recommendation:
            description: 考核第一名或连续两年为优秀的推荐优秀干部
            when: [{place: FIRST, years: 1}, {grade: EXCELLENT, years: 2}]
          rectification_report:
            description: 居末位或一般等次的写出书面整改报告
            when: [{place: LAST, grade: ADEQUATE, years: 1}]
          leadership_action:
            description: 连续两年居末位或一般等次的降职、免职、责令辞职
            when: [{place: LAST, grade: ADEQUATE, years: 2}]
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
    assertEquals(6, s.unitIndicators("CITY_PARTY").size());
    assertEquals(8, s.unitIndicators("CITY_GOVERNMENT").size(), "groups without their own scheme use default");
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

  /** Golmud's grade rules are required by name: a scheme missing or misnaming one is refused naming the key. */
  @Test
  void gradeRulesAreRequiredByName() {
    assertRefused(VALID.replace("grade_rules:\n", "grade_rulez:\n"), "unknown section(s) [grade_rulez]");
    assertRefused(VALID.replace("admonition: {", "admonishment: {"),
        "grade_rules.caps: unknown key(s) [admonishment] (expected [accountability, admonition])");
    assertRefused(VALID.replace("    leadership_action:", "    leader_action:"),
        "grade_rules.consequences: unknown key(s) [leader_action]");
    assertRefused(VALID.replace("at_most: ADEQUATE", "at_most: EXCELLENT"),
        "grade_rules.caps.accountability.at_most must be one of [ADEQUATE, GOOD], was 'EXCELLENT'");
    assertRefused(VALID.replace("penalty: ADMONITION,", "penalty: WARNING,"), "grade_rules.caps.admonition.penalty must be one of");
    assertRefused(VALID.replace("{place: LAST, grade: ADEQUATE, years: 2}", "{place: LAST, grade: ADEQUATE, years: 3}"),
        "grade_rules.consequences.leadership_action.when.years must be 1 or 2, was '3'");
    assertRefused(VALID.replace("{place: FIRST, years: 1}", "{place: TOP, years: 1}"),
        "grade_rules.consequences.promotion_recommendation.when.place must be one of [FIRST, LAST], was 'TOP'");
    assertRefused(VALID.replace(", description: 被追责的直接确定为一般", ""),
        "grade_rules.caps.accountability.description is missing");
    assertRefused(VALID.replace("    period_type: YEAR\n", ""), "grade_rules.consequences.period_type must be one of");
    String withoutRules = VALID.substring(0, VALID.indexOf("grade_rules:")) + VALID.substring(VALID.indexOf("bonus:"));
    assertRefused(withoutRules, "section 'grade_rules' is missing");
    // a publication's recorded scheme from before the rules is reproduced without them, as it was computed
    assertEquals(GradeRules.NONE, ScoringScheme.fromText(withoutRules, "recorded").gradeRules());
    assertEquals("GOOD", ScoringScheme.builtIn().gradeRules().caps().get("admonition").atMost());
  }

  private static void assertRefused(String yaml, String expected) {
    SchemeException e = assertThrows(SchemeException.class, () -> ScoringScheme.parse(yaml, "my-scheme.yaml"));
    assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("my-scheme.yaml"), e.getMessage());
  }
}
