package org.kaoping.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.udf;

import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.kaoping.jobs.scoring.GradeRules;
import org.kaoping.jobs.scoring.Ratio;
import org.kaoping.jobs.scoring.Scorer;
import org.kaoping.jobs.scoring.Scorer.Input;
import org.kaoping.jobs.scoring.Scorer.Score;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.jobs.scoring.ScoringScheme.Indicator;

/**
 * Builds the score marts from their input marts with the indicator scheme (see {@link Scorer}):
 * units ranked within their peer group, people (the contribution index) ranked within their unit, and
 * the points of every indicator that make each score ({@code mart.score_indicator_points}).
 */
public final class ScoreMarts {
  /** Penalty type → the input column counting it (units: their items; people: the items they answer for). */
  private static final Map<String, String> PENALTY_COLUMNS = Map.of("REMINDER", "penalty_reminders", "TALK", "penalty_talks",
      "NOTICE", "penalty_notices", "ADMONITION", "penalty_admonitions", "ACCOUNTABILITY", "penalty_accountabilities");

  /** Formulas of the score columns, as the serving database's column comments show them. */
  private static final String SCORE_DOC = """
      -- score = indicator_points − penalty_points + bonus_points, clamped to 0..100 (scheme: scoring-scheme.yaml)
      -- indicator_points = Σ over the scheme's indicators of points (see mart.score_indicator_points)
      -- penalty_points = Σ penalties × the scheme's points per penalty type
      -- bonus_points = early completions × the scheme's bonus per task, capped at its maximum
      -- score_change = score − previous_score, the same entity's score in the previous period of the same type
      --     (null without one)
      -- grade_before_rules = the grade the score earns by the scheme's grading alone
      -- grade = grade_before_rules, limited by the strictest grade cap of the scheme's grade_rules whose penalty the
      --     entity drew in the period (诫勉 bars EXCELLENT, 追责 makes it ADEQUATE; a person draws those of the
      --     supervised items they are responsible for)
      -- grade_rule = the name of the cap that set the grade (admonition, accountability; null: none lowered it)
      -- place = FIRST (dense rank 1) or LAST (the highest dense rank) when at least two are scored and not all tie
      -- previous_grade, previous_place = grade and place in the previous period of the same type
      """;

  static final SqlModel UNIT_SCORES = new SqlModel("ScoreMarts", "mart.unit_score_by_period",
      "one row per unit per period", List.of("unit_id", "period_type", "period"),
      List.of("score BETWEEN 0 AND 100", "rank_in_group <= group_size", "grade_rule IS NULL OR grade <> grade_before_rules",
          "rank_in_group = CASE WHEN score IS NOT NULL THEN dense_rank() OVER (PARTITION BY peer_group, period_type, period"
              + " ORDER BY score DESC) END"), List.of(), SqlModel.Refresh.WHOLE, SCORE_DOC + """
      -- rank_in_group = dense rank of the score within the unit's peer group and period (null: no score)
      -- rank_change = previous_rank − rank_in_group (positive: moved up; null without a previous rank)
      -- consequences = the scheme's grade_rules consequences the unit's standing flags in a period of their type
      --     (YEAR): promotion_recommendation, rectification_report, leadership_action, comma-separated (null: none)
      """);
  static final SqlModel PERSON_SCORES = new SqlModel("ScoreMarts", "mart.person_score_by_period",
      "one row per person per period", List.of("staff_id", "period_type", "period"),
      List.of("score BETWEEN 0 AND 100", "rank_in_unit <= unit_size",
          "rank_in_unit = CASE WHEN score IS NOT NULL THEN dense_rank() OVER (PARTITION BY ranked_in_unit, period_type, period"
              + " ORDER BY score DESC) END"), List.of(), SqlModel.Refresh.WHOLE, SCORE_DOC + """
      -- rank_in_unit = dense rank of the contribution index among the unit's people in the period (null: no score)
      -- rank_change = previous_rank − rank_in_unit (positive: moved up; null without a previous rank)
      -- consequences = null: the grade rules' consequences are the units' (seed 004)
      """);

  static final SqlModel INDICATOR_POINTS = new SqlModel("ScoreMarts", "mart.score_indicator_points",
      "one row per scored unit or person per period per indicator it has: the points that make its score",
      List.of("level", "entity_id", "period_type", "period", "indicator"),
      List.of("points BETWEEN 0 AND 100", "share BETWEEN 0 AND 1", "effective_weight >= weight"), List.of(),
      SqlModel.Refresh.WHOLE, """
      -- points = share of the indicator's curve reached × effective_weight (the indicator's part of the score)
      -- effective_weight = weight rescaled so the weights of the indicators present sum to 100
      """);

  /** The three score marts as the model catalog registers them: computed here, together, from the two input marts. */
  static final List<ComputedModel> COMPUTED = java.util.stream.Stream.of(UNIT_SCORES, PERSON_SCORES, INDICATOR_POINTS)
      .map(m -> new ComputedModel(m, List.of("mart.unit_score_inputs", "mart.person_score_inputs"))).toList();

  /** Scores and points: exact decimals to the cent. */
  private static final DecimalType POINTS = DataTypes.createDecimalType(5, Scorer.SCALE);
  /** One indicator's part of a score, as {@code mart.score_indicator_points} shows it. */
  private static final StructType INDICATOR_PART = new StructType().add("indicator", DataTypes.StringType)
      .add("value", DataTypes.DoubleType).add("weight", POINTS).add("effective_weight", DataTypes.createDecimalType(7, 4))
      .add("share", DataTypes.createDecimalType(7, 6)).add("points", POINTS);
  /** The scored row's indicator parts, until they are exploded into {@code mart.score_indicator_points}. */
  private static final String PARTS = "indicator_parts";

  /** Who is scored: the columns of its inputs and of its score table. */
  enum Level {
    UNIT("unit_id", "unit_name", "peer_group", "peer_group", "rank_in_group", "group_size", ScoringScheme.UNIT_INDICATORS),
    PERSON("staff_id", "display_name", "unit_id", "ranked_in_unit", "rank_in_unit", "unit_size",
        ScoringScheme.PERSON_INDICATORS);

    final String id;
    final String name;
    /** The input column whose value is the ranking group: a unit's peer group, a person's unit. */
    final String groupInput;
    final String group;
    final String rank;
    final String size;
    final Set<String> indicators;

    Level(String id, String name, String groupInput, String group, String rank, String size, Set<String> indicators) {
      this.id = id;
      this.name = name;
      this.groupInput = groupInput;
      this.group = group;
      this.rank = rank;
      this.size = size;
      this.indicators = indicators;
    }

    Map<String, Indicator> indicatorsOf(ScoringScheme scheme, String group) {
      return this == UNIT ? scheme.unitIndicators(group) : scheme.people();
    }

    /** A ranking group's score rows, before the previous period is joined to them. */
    StructType scoredSchema() {
      return new StructType().add(id, DataTypes.LongType).add(name, DataTypes.StringType).add(group, DataTypes.StringType)
          .add("period_type", DataTypes.StringType).add("period", DataTypes.StringType)
          .add("is_complete", DataTypes.BooleanType).add("score", POINTS)
          .add("indicator_points", POINTS).add("penalty_points", POINTS)
          .add("bonus_points", POINTS).add("missing_indicators", DataTypes.StringType)
          .add("score_null_reason", DataTypes.StringType).add(rank, DataTypes.IntegerType)
          .add(size, DataTypes.IntegerType).add("grade", DataTypes.StringType)
          .add("grade_before_rules", DataTypes.StringType).add("grade_rule", DataTypes.StringType)
          .add("place", DataTypes.StringType)
          .add(PARTS, DataTypes.createArrayType(INDICATOR_PART));
    }
  }

  private ScoreMarts() {}

  /**
   * Writes the three score tables: every period when {@code rescored} is null, else only the periods it selects (a
   * predicate of literals on period_type and period: the changed periods and those that follow them), each beside the
   * previous period's score, read from the table where that period was not rescored. Returns each table's rows.
   */
  static Map<String, Long> build(SparkSession spark, ScoringScheme scheme, Column rescored,
      java.util.function.Consumer<String> progress) {
    Dataset<Row> unitInputs = spark.table("mart.unit_score_inputs");
    Dataset<Row> personInputs = spark.table("mart.person_score_inputs");
    Map<String, Dataset<Row>> scored;
    if (rescored == null) {
      scored = compute(spark, unitInputs, personInputs, scheme);
    } else {
      Dataset<Row> units = scored(unitInputs.where(rescored), Level.UNIT, scheme);
      Dataset<Row> people = scored(personInputs.where(rescored), Level.PERSON, scheme);
      scored = Map.of(
          UNIT_SCORES.table(), withChanges(units, spark.table(UNIT_SCORES.table()).where(not(rescored)), Level.UNIT, scheme),
          PERSON_SCORES.table(), withChanges(people, spark.table(PERSON_SCORES.table()).where(not(rescored)), Level.PERSON,
              scheme),
          INDICATOR_POINTS.table(), indicatorPoints(units, Level.UNIT).unionByName(indicatorPoints(people, Level.PERSON)));
      for (Map.Entry<String, Dataset<Row>> table : scored.entrySet()) {
        if (!TableShape.fits(table.getValue().schema(), spark.table(table.getKey()).schema())) {
          progress.accept("scores: every period (the columns of " + table.getKey() + " changed)");
          return build(spark, scheme, null, progress);
        }
      }
    }
    Map<String, Long> rows = new HashMap<>();
    for (SqlModel model : List.of(UNIT_SCORES, PERSON_SCORES, INDICATOR_POINTS)) {
      Dataset<Row> df = scored.get(model.table());
      String checked = model.table();
      if (rescored == null) {
        df.writeTo(model.table()).tableProperty("format-version", "2").partitionedBy(col("period_type"), col("period"))
            .createOrReplace();
      } else {
        try {
          df.writeTo(model.table()).overwrite(rescored);
        } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
          throw new IllegalStateException(model.table() + " vanished during the build", e);
        }
        // a rank is checked within its period, so only the rewritten periods can break a check
        spark.table(model.table()).where(rescored).createOrReplaceTempView("scores_rewritten");
        checked = "scores_rewritten";
      }
      ModelChecks.enforce(spark, model, checked);
      rows.put(model.table(), spark.table(model.table()).count());
    }
    return rows;
  }

  /**
   * The scoring code's own fingerprint: the SHA-256 of the compiled classes that compute a score (this class, the
   * scorer, the grade rules, ratios and period types, with their nested classes), so that a build with other scoring
   * code rescores every period even where the inputs did not change.
   */
  static String codeFingerprint() {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (Class<?> top : List.of(ScoreMarts.class, Scorer.class, GradeRules.class, Ratio.class,
          org.kaoping.jobs.scoring.PeriodType.class)) {
        for (Class<?> c : top.getNestMembers()) {
          try (java.io.InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            if (in == null) {
              throw new IllegalStateException("the class file of " + c.getName() + " is not on the class path");
            }
            sha.update(in.readAllBytes());
          }
        }
      }
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint the scoring code: " + e.getMessage(), e);
    }
  }

  /**
   * The periods to rescore after the score inputs changed from the snapshots {@code before} (input table → snapshot
   * the previous build wrote) to now: those whose input rows differ (both ways), and the periods after them (a
   * score's change and previous grade and place read the period before), period type → labels; null when it cannot be
   * told (an input new, or of other columns), and every period is rescored.
   */
  static Map<String, java.util.SortedSet<String>> periodsToRescore(SparkSession spark, Map<String, Long> before,
      java.util.function.Function<String, Long> currentSnapshot) {
    Map<String, java.util.SortedSet<String>> periods = new java.util.TreeMap<>();
    for (String input : COMPUTED.get(0).reads()) {
      Long then = before.get(input);
      if (then == null) {
        return null;
      }
      if (then.equals(currentSnapshot.apply(input))) {
        continue; // kept by this build: nothing to compare
      }
      Dataset<Row> now = spark.table(input);
      Dataset<Row> previous = spark.read().option("versionAsOf", then).table(input);
      if (!TableShape.fits(now.schema(), previous.schema())) {
        return null;
      }
      for (Row r : now.except(previous).union(previous.except(now)).select("period_type", "period").distinct()
          .collectAsList()) {
        String type = r.getString(0);
        java.util.SortedSet<String> labels = periods.computeIfAbsent(type, t -> new java.util.TreeSet<>());
        labels.add(r.getString(1));
        labels.add(Scorer.nextPeriod(type, r.getString(1)));
      }
    }
    return periods;
  }

  /**
   * The three score tables ({@code mart.unit_score_by_period}, {@code mart.person_score_by_period},
   * {@code mart.score_indicator_points}) computed from the given inputs, not written: the build writes
   * them, {@code kaoping reproduce} compares them with what a publication recorded.
   *
   * <p>A Spark job, nothing collected to the driver: the inputs are grouped by period and ranking group, each group
   * is scored and ranked by {@link Scorer#scoreGroup}, and each score is joined to the same entity's score of the
   * previous period for its change.
   */
  public static Map<String, Dataset<Row>> compute(SparkSession spark, Dataset<Row> unitInputs, Dataset<Row> personInputs,
      ScoringScheme scheme) {
    Dataset<Row> units = scored(unitInputs, Level.UNIT, scheme);
    Dataset<Row> people = scored(personInputs, Level.PERSON, scheme);
    return Map.of(UNIT_SCORES.table(), withChanges(units, null, Level.UNIT, scheme), PERSON_SCORES.table(),
        withChanges(people, null, Level.PERSON, scheme),
        INDICATOR_POINTS.table(), indicatorPoints(units, Level.UNIT).unionByName(indicatorPoints(people, Level.PERSON)));
  }

  /** Every input scored and ranked within its group; computed once (the score tables and the points read it). */
  private static Dataset<Row> scored(Dataset<Row> inputs, Level level, ScoringScheme scheme) {
    List<String> columns = List.of(inputs.columns());
    boolean hasPenalties = columns.contains("penalty_reminders"); // person inputs recorded before responsibility lack them
    boolean hasCounts = columns.stream().anyMatch(c -> c.endsWith("_numerator"));
    String groupInput = level.groupInput;
    return inputs
        .groupByKey((MapFunction<Row, String>) r -> r.getAs("period_type") + "|" + r.getAs("period") + "|"
            + r.getAs(groupInput), Encoders.STRING())
        .flatMapGroups(new ScoreGroup(level, scheme, hasCounts, hasPenalties), Encoders.row(level.scoredSchema()))
        .localCheckpoint();
  }

  /** Scores one ranking group of one period (on an executor): its input rows become its score rows. */
  private record ScoreGroup(Level level, ScoringScheme scheme, boolean hasCounts, boolean hasPenalties)
      implements FlatMapGroupsFunction<String, Row, Row> {

    @Override
    public Iterator<Row> call(String key, Iterator<Row> rows) {
      Map<Long, Row> inputRows = new HashMap<>();
      List<Input> inputs = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        Input in = input(r);
        inputs.add(in);
        inputRows.put(in.entityId(), r);
      }
      List<Row> out = new ArrayList<>(inputs.size());
      for (Score s : Scorer.scoreGroup(inputs, group -> level.indicatorsOf(scheme, group), scheme)) {
        Row in = inputRows.get(s.entityId());
        Row[] parts = s.indicators().stream().map(p -> RowFactory.create(p.indicator(), p.value(), p.weight(),
            p.effectiveWeight().setScale(4, RoundingMode.HALF_UP), p.share().setScale(6, RoundingMode.HALF_UP),
            p.points())).toArray(Row[]::new); // an array: the row encoder takes no java.util.List
        out.add(RowFactory.create(s.entityId(), in.getAs(level.name), s.rankingGroup(), s.periodType(), s.period(),
            in.getAs("is_complete"), s.score(), s.indicatorPoints(), s.penaltyPoints(), s.bonusPoints(),
            s.missingIndicators(), s.nullReason(), s.rank(), s.groupSize(), s.grade(), s.gradeBeforeRules(),
            s.gradeRule(), s.place(), parts));
      }
      return out.iterator();
    }

    private Input input(Row r) {
      Map<String, Ratio> values = new HashMap<>();
      for (String indicator : level.indicators) {
        values.put(indicator, ratio(r, indicator, hasCounts));
      }
      Map<String, Long> penalties = new HashMap<>();
      if (hasPenalties) {
        PENALTY_COLUMNS.forEach((type, column) -> penalties.put(type, r.<Long>getAs(column)));
      }
      long early = hasPenalties ? r.<Long>getAs("early_completions") : 0;
      String group = String.valueOf(r.<Object>getAs(level.groupInput));
      return new Input(r.<Long>getAs(level.id), group, group, r.getAs("period_type"), r.getAs("period"), values, penalties,
          early);
    }
  }

  /**
   * The score table: each score beside the same entity's score and rank in the previous period of its type
   * ({@link Scorer#previousPeriod}) and the changes (SCORE_DOC; rank_change = previous_rank − rank, positive: moved up).
   * {@code earlier}: rows of the score table of the periods not in {@code scored} (null: {@code scored} holds every period).
   */
  private static Dataset<Row> withChanges(Dataset<Row> scored, Dataset<Row> earlier, Level level, ScoringScheme scheme) {
    UserDefinedFunction previousPeriod = udf((UDF2<String, String, String>) Scorer::previousPeriod, DataTypes.StringType);
    GradeRules rules = scheme.gradeRules();
    UserDefinedFunction consequences = udf((UDF5<String, String, String, String, String, String>) (type, place, grade,
        previousPlace, previousGrade) -> rules.consequencesOf(type, new GradeRules.Standing(place, grade),
        previousGrade == null ? null : new GradeRules.Standing(previousPlace, previousGrade)), DataTypes.StringType);
    Column[] previousColumns = {col(level.id).as("previous_id"), col("period_type").as("previous_type"),
        col("period").as("previous_period"), col("score").as("previous_score"), col(level.rank).as("previous_rank"),
        col("grade").as("previous_grade"), col("place").as("previous_place")};
    Dataset<Row> previous = scored.select(previousColumns);
    if (earlier != null) {
      previous = previous.unionByName(earlier.select(previousColumns));
    }
    return scored.withColumn("previous_of", previousPeriod.apply(col("period_type"), col("period")))
        .join(previous, col(level.id).equalTo(col("previous_id")).and(col("period_type").equalTo(col("previous_type")))
            .and(col("previous_of").equalTo(col("previous_period"))), "left")
        .select(col(level.id), col(level.name), col(level.group), col("period_type"), col("period"), col("is_complete"),
            col("score"), col("indicator_points"), col("penalty_points"), col("bonus_points"), col("missing_indicators"),
            col("score_null_reason"), col(level.rank), col(level.size), col("grade"), col("previous_score"),
            col("previous_rank"), col("score").minus(col("previous_score")).cast(DataTypes.createDecimalType(6, Scorer.SCALE))
                .as("score_change"), col("previous_rank").minus(col(level.rank)).as("rank_change"),
            col("grade_before_rules"), col("grade_rule"), col("place"), col("previous_grade"), col("previous_place"),
            (level == Level.UNIT ? consequences.apply(col("period_type"), col("place"), col("grade"), col("previous_place"),
                col("previous_grade")) : lit(null).cast(DataTypes.StringType)).as("consequences"));
  }

  /** One row per indicator a score has: its value, weights, share and points. */
  private static Dataset<Row> indicatorPoints(Dataset<Row> scored, Level level) {
    return scored.select(lit(level.name()).as("level"), col(level.id).as("entity_id"), col("period_type"), col("period"),
            explode(col(PARTS)).as("part"))
        .select(col("level"), col("entity_id"), col("period_type"), col("period"), col("part.*"));
  }

  /**
   * An indicator as the counts it divides (null when there is nothing to divide by, as in the SQL models). Score
   * inputs written before the counts were published carry only the indicator's double: it enters as its shortest
   * decimal, as it did when those scores were computed, so reproducing an older publication still agrees. Inputs
   * written before an indicator existed lack it: null, as their scheme did not weigh it.
   */
  static Ratio ratio(Row r, String indicator, boolean hasCounts) {
    if (!java.util.Arrays.asList(r.schema().fieldNames()).contains(indicator)) {
      return null;
    }
    if (!hasCounts) {
      int value = r.fieldIndex(indicator);
      return r.isNullAt(value) ? null : Ratio.of(java.math.BigDecimal.valueOf(r.getDouble(value)));
    }
    int num = r.fieldIndex(indicator + "_numerator");
    int den = r.fieldIndex(indicator + "_denominator");
    if (r.isNullAt(num) || r.isNullAt(den)) {
      return null;
    }
    return Ratio.of(decimal(r.get(num)), decimal(r.get(den)));
  }

  /** A count as it is, or a sum of scores to the cent (special assessments, mutual evaluation): never truncated. */
  private static java.math.BigDecimal decimal(Object n) {
    return n instanceof java.math.BigDecimal d ? d : java.math.BigDecimal.valueOf(((Number) n).longValue());
  }
}
