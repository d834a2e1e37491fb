package org.kaoping.jobs.scoring;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Golmud's rules on units' grades, as the scheme's {@code grade_rules} section states them (see
 * scoring-scheme.yaml): caps, a penalty in the period limiting the grade, and consequences, a unit's standing in
 * this period (and the one before) flagging what follows from it. Every rule is required under its name, so a
 * scheme cannot drop one by misspelling it.
 */
public record GradeRules(Map<String, Cap> caps, String periodType, Map<String, Consequence> consequences)
    implements Serializable {

  /** The cap rules a scheme must state, by name. */
  public static final List<String> CAP_NAMES = List.of("admonition", "accountability");
  /** The consequence rules a scheme must state, by name, in the order they are listed on a row. */
  public static final List<String> CONSEQUENCE_NAMES = List.of("promotion_recommendation", "rectification_report",
      "leadership_action");
  /** Grades, best first. */
  public static final List<String> GRADES = List.of("EXCELLENT", "GOOD", "ADEQUATE");
  public static final String FIRST = "FIRST";
  public static final String LAST = "LAST";
  /** No rules: a scheme recorded before grade rules existed is reproduced as it was computed. */
  public static final GradeRules NONE = new GradeRules(Map.of(), null, Map.of());

  /** A penalty in the period limits the grade to {@code atMost}. */
  public record Cap(String name, String penalty, String atMost, String description) implements Serializable {}

  /** Holds when in each of the last {@code years} periods the unit stood at {@code place} or had {@code grade}. */
  public record Condition(String place, String grade, int years) implements Serializable {
    boolean holds(Standing now, Standing previous) {
      return fits(now) && (years == 1 || previous != null && fits(previous));
    }

    private boolean fits(Standing s) {
      return place != null && place.equals(s.place()) || grade != null && grade.equals(s.grade());
    }
  }

  /** A consequence and the conditions of which any one flags it. */
  public record Consequence(String name, String description, List<Condition> when) implements Serializable {}

  /** A unit's place in its group (FIRST, LAST or null) and its grade after the caps, in one period. */
  public record Standing(String place, String grade) implements Serializable {}

  /**
   * The strictest cap among the penalties present that lowers {@code grade}, or null when none does.
   *
   * @param penalties penalty type → items carrying it in the period
   */
  public Cap capFor(Map<String, Long> penalties, String grade) {
    Cap strictest = null;
    for (Cap c : caps.values()) {
      Long n = penalties.get(c.penalty());
      if (n != null && n > 0 && GRADES.indexOf(c.atMost()) > GRADES.indexOf(grade)
          && (strictest == null || GRADES.indexOf(c.atMost()) > GRADES.indexOf(strictest.atMost()))) {
        strictest = c;
      }
    }
    return strictest;
  }

  /**
   * The consequences a unit's standing flags in a period of {@code type}, comma-separated in the order of
   * {@link #CONSEQUENCE_NAMES}; null when none (or the period is not of the rules' type, or the unit has no grade).
   *
   * @param previous the standing in the period before, null when the unit had no score then
   */
  public String consequencesOf(String type, Standing now, Standing previous) {
    if (!type.equals(periodType) || now == null || now.grade() == null) {
      return null;
    }
    List<String> flagged = new ArrayList<>();
    for (Consequence c : consequences.values()) {
      if (c.when().stream().anyMatch(w -> w.holds(now, previous))) {
        flagged.add(c.name());
      }
    }
    return flagged.isEmpty() ? null : String.join(",", flagged);
  }

  @SuppressWarnings("unchecked")
  static GradeRules parse(Object spec, String at, Set<String> penalties) {
    if (!(spec instanceof Map<?, ?> root)) {
      throw new SchemeException(at + ": section 'grade_rules' is missing or not a mapping (it states the caps "
          + CAP_NAMES + " and the consequences " + CONSEQUENCE_NAMES + ")");
    }
    keys((Map<String, Object>) root, Set.of("caps", "consequences"), at + " grade_rules");
    Map<String, Object> capSpecs = section((Map<String, Object>) root, "caps", at + " grade_rules");
    keys(capSpecs, Set.copyOf(CAP_NAMES), at + " grade_rules.caps");
    Map<String, Cap> caps = new LinkedHashMap<>();
    for (String name : CAP_NAMES) {
      String where = at + " grade_rules.caps." + name;
      Map<String, Object> c = section(capSpecs, name, at + " grade_rules.caps");
      keys(c, Set.of("penalty", "at_most", "description"), where);
      String penalty = oneOf(c.get("penalty"), penalties, where + ".penalty");
      String atMost = oneOf(c.get("at_most"), Set.of("GOOD", "ADEQUATE"), where + ".at_most");
      caps.put(name, new Cap(name, penalty, atMost, description(c, where)));
    }
    Map<String, Object> consequenceSpecs = section((Map<String, Object>) root, "consequences", at + " grade_rules");
    Set<String> allowed = new TreeSet<>(CONSEQUENCE_NAMES);
    allowed.add("period_type");
    keys(consequenceSpecs, allowed, at + " grade_rules.consequences");
    String periodType = oneOf(consequenceSpecs.get("period_type"), Set.copyOf(PeriodType.names()),
        at + " grade_rules.consequences.period_type");
    Map<String, Consequence> consequences = new LinkedHashMap<>();
    for (String name : CONSEQUENCE_NAMES) {
      String where = at + " grade_rules.consequences." + name;
      Map<String, Object> c = section(consequenceSpecs, name, at + " grade_rules.consequences");
      keys(c, Set.of("description", "when"), where);
      if (!(c.get("when") instanceof List<?> when) || when.isEmpty()) {
        throw new SchemeException(where + ".when must be a list of at least one condition {place, grade, years}");
      }
      List<Condition> conditions = new ArrayList<>();
      for (Object w : when) {
        conditions.add(condition(w, where + ".when"));
      }
      consequences.put(name, new Consequence(name, description(c, where), List.copyOf(conditions)));
    }
    return new GradeRules(caps, periodType, consequences);
  }

  @SuppressWarnings("unchecked")
  private static Condition condition(Object spec, String at) {
    if (!(spec instanceof Map<?, ?> m)) {
      throw new SchemeException(at + ": a condition is a mapping {place, grade, years}, was '" + spec + "'");
    }
    Map<String, Object> c = (Map<String, Object>) m;
    keys(c, Set.of("place", "grade", "years"), at);
    String place = c.containsKey("place") ? oneOf(c.get("place"), Set.of(FIRST, LAST), at + ".place") : null;
    String grade = c.containsKey("grade") ? oneOf(c.get("grade"), Set.copyOf(GRADES), at + ".grade") : null;
    if (place == null && grade == null) {
      throw new SchemeException(at + ": a condition needs a place, a grade or both");
    }
    // the score job joins one previous period, so a streak spans at most two
    if (!(c.get("years") instanceof Integer years) || years < 1 || years > 2) {
      throw new SchemeException(at + ".years must be 1 or 2, was '" + c.get("years") + "'");
    }
    return new Condition(place, grade, years);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> parent, String key, String at) {
    if (!(parent.get(key) instanceof Map<?, ?> m)) {
      throw new SchemeException(at + ": '" + key + "' is missing or not a mapping");
    }
    return (Map<String, Object>) m;
  }

  private static void keys(Map<String, Object> m, Set<String> allowed, String at) {
    Set<String> unknown = new TreeSet<>(m.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new SchemeException(at + ": unknown key(s) " + unknown + " (expected " + new TreeSet<>(allowed) + ")");
    }
  }

  private static String oneOf(Object v, Set<String> allowed, String at) {
    if (!(v instanceof String s) || !allowed.contains(s)) {
      throw new SchemeException(at + " must be one of " + new TreeSet<>(allowed) + ", was '" + v + "'");
    }
    return s;
  }

  private static String description(Map<String, Object> m, String at) {
    if (!(m.get("description") instanceof String d) || d.isBlank()) {
      throw new SchemeException(at + ".description is missing: each rule says in Chinese what it is");
    }
    return d;
  }
}
