package org.kaoping.jobs.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The indicator scheme of the composite scores (see the commented default, scoring-scheme.yaml).
 * Loading validates everything: weights summing to 100, known indicators and penalties, strictly
 * increasing curves, sensible grading; a problem is refused with a sentence naming it.
 */
public record ScoringScheme(Grading grading, Map<String, BigDecimal> penaltyPoints, BigDecimal bonusPerEarlyTask,
    BigDecimal bonusMax, Map<String, Map<String, Indicator>> unitGroups, Map<String, Indicator> people,
    GradeRules gradeRules, String name, String yaml) implements Serializable {

  public static final String BUILT_IN = "/org/kaoping/jobs/scoring-scheme.yaml";
  /** Indicators a unit scheme may use (columns of mart.unit_score_inputs). */
  public static final Set<String> UNIT_INDICATORS = Set.of("workload_ratio", "fill_rate", "review_rate",
      "review_on_time_rate", "service_on_time_rate", "supervision_completion_rate", "target_on_plan_rate",
      "special_assessment_score", "mutual_evaluation_score", "satisfaction_rate");
  /** Indicators a person scheme may use (columns of mart.person_score_inputs). */
  public static final Set<String> PERSON_INDICATORS = Set.of("workload_ratio", "fill_rate", "reviewer_on_time_rate",
      "responsibility_on_time_rate");
  public static final Set<String> PENALTIES = Set.of("REMINDER", "TALK", "NOTICE", "ADMONITION", "ACCOUNTABILITY");
  public static final String DEFAULT_GROUP = "default";

  /** One indicator of a scheme: its weight (points out of 100) and its curve. */
  public record Indicator(BigDecimal weight, Curve curve) implements Serializable {}

  /** How scores become grades. */
  public record Grading(Method method, double excellent, double good) implements Serializable {
    public enum Method { THRESHOLDS, QUOTA }
  }

  public static ScoringScheme builtIn() {
    try (InputStream in = ScoringScheme.class.getResourceAsStream(BUILT_IN)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in scoring-scheme.yaml", true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ScoringScheme load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), true);
    } catch (IOException e) {
      throw new SchemeException("Cannot read scoring scheme " + file + ": " + e.getMessage());
    }
  }

  /** The scheme's version: the SHA-256 of its text, so a published score names exactly the rules it was computed with. */
  public String version() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses a scheme text recorded earlier (by a publication), e.g. to reproduce its scores; a text recorded before
   * grade rules existed has none (its grades were computed without them).
   */
  public static ScoringScheme fromText(String yaml, String name) {
    return parse(yaml, name, false);
  }

  /** Parses a scheme to score with: every grade rule is required. */
  static ScoringScheme parse(String yaml, String origin) {
    return parse(yaml, origin, true);
  }

  private static String schemeName(String origin) {
    return origin.startsWith("built-in") ? "built-in" : Path.of(origin).getFileName().toString();
  }

  /** Indicators for a unit of {@code peerGroup} (its own section, or {@code default}). */
  public Map<String, Indicator> unitIndicators(String peerGroup) {
    return unitGroups.getOrDefault(peerGroup, unitGroups.get(DEFAULT_GROUP));
  }

  @SuppressWarnings("unchecked")
  private static ScoringScheme parse(String yaml, String origin, boolean rulesRequired) {
    Map<String, Object> root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
    } catch (IOException e) {
      throw new SchemeException("Scoring scheme " + origin + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    String at = "Scoring scheme " + origin;
    Set<String> unknown = new TreeSet<>(root == null ? Set.of() : root.keySet());
    unknown.removeAll(Set.of("grading", "penalties", "grade_rules", "bonus", "units", "people"));
    if (!unknown.isEmpty()) {
      throw new SchemeException(at + ": unknown section(s) " + unknown
          + " (expected grading, penalties, grade_rules, bonus, units, people)");
    }
    Grading grading = grading(map(root, "grading", at), at + " grading");
    Map<String, BigDecimal> penalties = new LinkedHashMap<>();
    map(root, "penalties", at).forEach((k, v) -> {
      if (!PENALTIES.contains(k)) {
        throw new SchemeException(at + " penalties: unknown penalty '" + k + "' (known: " + new TreeSet<>(PENALTIES) + ")");
      }
      penalties.put(k, points(v, at + " penalties." + k));
    });
    Map<String, Object> bonus = root.containsKey("bonus") ? map(root, "bonus", at) : Map.of();
    BigDecimal perTask = bonus.containsKey("target_task_completed_early")
        ? points(bonus.get("target_task_completed_early"), at + " bonus.target_task_completed_early") : BigDecimal.ZERO;
    BigDecimal bonusMax = bonus.containsKey("max") ? points(bonus.get("max"), at + " bonus.max") : BigDecimal.ZERO;
    Map<String, Map<String, Indicator>> groups = new LinkedHashMap<>();
    map(root, "units", at).forEach((group, spec) ->
        groups.put(group, indicators(spec, UNIT_INDICATORS, at + " units." + group)));
    if (!groups.containsKey(DEFAULT_GROUP)) {
      throw new SchemeException(at + ": units needs a 'default' peer group for units whose group has no scheme of its own");
    }
    Map<String, Indicator> people = indicators(root.get("people"), PERSON_INDICATORS, at + " people");
    GradeRules rules = !rulesRequired && !root.containsKey("grade_rules") ? GradeRules.NONE
        : GradeRules.parse(root.get("grade_rules"), at, PENALTIES);
    return new ScoringScheme(grading, penalties, perTask, bonusMax, groups, people, rules, schemeName(origin), yaml);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key, String at) {
    Object v = parent == null ? null : parent.get(key);
    if (!(v instanceof Map<?, ?> m)) {
      throw new SchemeException(at + ": section '" + key + "' is missing or not a mapping");
    }
    return (Map<String, Object>) m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Indicator> indicators(Object spec, Set<String> known, String at) {
    if (!(spec instanceof Map<?, ?> m) || m.isEmpty()) {
      throw new SchemeException(at + ": needs at least one indicator with weight and curve");
    }
    Map<String, Indicator> out = new LinkedHashMap<>();
    BigDecimal total = BigDecimal.ZERO;
    for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new SchemeException(at + ": unknown indicator '" + e.getKey() + "' (known: " + new TreeSet<>(known) + ")");
      }
      if (!(e.getValue() instanceof Map<?, ?> def) || !def.containsKey("weight") || !def.containsKey("curve")) {
        throw new SchemeException(at + "." + e.getKey() + ": needs 'weight' and 'curve'");
      }
      BigDecimal weight = decimal(nonNegative(def.get("weight"), at + "." + e.getKey() + ".weight"));
      out.put(e.getKey(), new Indicator(weight, Curve.of(def.get("curve"), at + "." + e.getKey())));
      total = total.add(weight);
    }
    if (total.compareTo(BigDecimal.valueOf(100)) != 0) {
      throw new SchemeException(at + ": weights sum to " + total.stripTrailingZeros().toPlainString() + ", not 100");
    }
    return out;
  }

  private static Grading grading(Map<String, Object> g, String at) {
    Grading.Method method;
    try {
      method = Grading.Method.valueOf(String.valueOf(g.get("method")));
    } catch (IllegalArgumentException e) {
      throw new SchemeException(at + ": method must be THRESHOLDS or QUOTA, was '" + g.get("method") + "'");
    }
    double excellent = nonNegative(g.get("excellent"), at + ".excellent").doubleValue();
    double good = nonNegative(g.get("good"), at + ".good").doubleValue();
    if (method == Grading.Method.THRESHOLDS && !(excellent <= 100 && good < excellent)) {
      throw new SchemeException(at + ": THRESHOLDS needs good < excellent <= 100 (minimum scores), got good " + trim(good)
          + ", excellent " + trim(excellent));
    }
    if (method == Grading.Method.QUOTA && !(excellent > 0 && good > 0 && excellent + good <= 1)) {
      throw new SchemeException(at + ": QUOTA needs shares of the group with excellent + good <= 1 (e.g. 0.2 and 0.5), got "
          + trim(excellent) + " and " + trim(good));
    }
    return new Grading(method, excellent, good);
  }

  /** A number exactly as the scheme wrote it (0.7 is 0.7, not the nearest binary fraction). */
  static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
  }

  /** Penalty or bonus points: at most two decimal places, so a score stays exact to the cent without another rounding. */
  private static BigDecimal points(Object v, String at) {
    BigDecimal d = decimal(nonNegative(v, at));
    if (d.stripTrailingZeros().scale() > 2) {
      throw new SchemeException(at + " must have at most two decimal places (scores are kept to the cent), was " + v);
    }
    return d;
  }

  private static Number nonNegative(Object v, String at) {
    if (!(v instanceof Number n) || n.doubleValue() < 0) {
      throw new SchemeException(at + " must be a number >= 0, was '" + v + "'");
    }
    return n;
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
