package org.kaoping.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
  private static final List<String> PENALTY_COLUMNS = List.of("REMINDER:penalty_reminders", "TALK:penalty_talks",
      "NOTICE:penalty_notices", "ADMONITION:penalty_admonitions", "ACCOUNTABILITY:penalty_accountabilities");

  /** Formulas of the score columns, as the serving database's column comments show them. */
  private static final String SCORE_DOC = """
      -- score = indicator_points − penalty_points + bonus_points, clamped to 0..100 (scheme: scoring-scheme.yaml)
      -- indicator_points = Σ over the scheme's indicators of points (see mart.score_indicator_points)
      -- penalty_points = Σ penalties × the scheme's points per penalty type
      -- bonus_points = early completions × the scheme's bonus per task, capped at its maximum
      """;

  static final SqlModel UNIT_SCORES = new SqlModel("ScoreMarts", "mart.unit_score_by_period",
      "one row per unit per period", List.of("unit_id", "period_type", "period"),
      List.of("score BETWEEN 0 AND 100", "rank_in_group <= group_size",
          "rank_in_group = CASE WHEN score IS NOT NULL THEN dense_rank() OVER (PARTITION BY peer_group, period_type, period"
              + " ORDER BY score DESC) END"), List.of(), SqlModel.Refresh.WHOLE, SCORE_DOC + """
      -- rank_in_group = dense rank of the score within the unit's peer group and period (null: no score)
      """);
  static final SqlModel PERSON_SCORES = new SqlModel("ScoreMarts", "mart.person_score_by_period",
      "one row per person per period", List.of("staff_id", "period_type", "period"),
      List.of("score BETWEEN 0 AND 100", "rank_in_unit <= unit_size",
          "rank_in_unit = CASE WHEN score IS NOT NULL THEN dense_rank() OVER (PARTITION BY ranked_in_unit, period_type, period"
              + " ORDER BY score DESC) END"), List.of(), SqlModel.Refresh.WHOLE, SCORE_DOC + """
      -- rank_in_unit = dense rank of the contribution index among the unit's people in the period (null: no score)
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
  private static final org.apache.spark.sql.types.DecimalType POINTS = DataTypes.createDecimalType(5, Scorer.SCALE);

  private ScoreMarts() {}

  static Map<String, Long> build(SparkSession spark, ScoringScheme scheme) {
    Map<String, Long> rows = new HashMap<>();
    Map<String, Dataset<Row>> scored = compute(spark, spark.table("mart.unit_score_inputs"),
        spark.table("mart.person_score_inputs"), scheme);
    for (SqlModel model : List.of(UNIT_SCORES, PERSON_SCORES, INDICATOR_POINTS)) {
      Dataset<Row> df = scored.get(model.table());
      df.writeTo(model.table()).tableProperty("format-version", "2").createOrReplace();
      ModelChecks.enforce(spark, model, model.table());
      rows.put(model.table(), spark.table(model.table()).count());
    }
    return rows;
  }

  /**
   * The three score tables ({@code mart.unit_score_by_period}, {@code mart.person_score_by_period},
   * {@code mart.score_indicator_points}) computed from the given inputs, not written: the build writes
   * them, {@code kaoping reproduce} compares them with what a publication recorded.
   */
  public static Map<String, Dataset<Row>> compute(SparkSession spark, Dataset<Row> unitInputs, Dataset<Row> personInputs,
      ScoringScheme scheme) {
    Map<String, Dataset<Row>> out = new HashMap<>();
    List<Row> indicatorRows = new ArrayList<>();
    out.put(UNIT_SCORES.table(), score(spark, "UNIT", unitInputs, "unit_id", "peer_group",
        "unit_name", ScoringScheme.UNIT_INDICATORS, scheme::unitIndicators, scheme, "rank_in_group",
        "group_size", indicatorRows));
    out.put(PERSON_SCORES.table(), score(spark, "PERSON", personInputs, "staff_id", "unit_id",
        "display_name", ScoringScheme.PERSON_INDICATORS, group -> scheme.people(), scheme,
        "rank_in_unit", "unit_size", indicatorRows));
    StructType schema = new StructType().add("level", DataTypes.StringType).add("entity_id", DataTypes.LongType)
        .add("period_type", DataTypes.StringType).add("period", DataTypes.StringType)
        .add("indicator", DataTypes.StringType).add("value", DataTypes.DoubleType).add("weight", POINTS)
        .add("effective_weight", DataTypes.createDecimalType(7, 4)).add("share", DataTypes.createDecimalType(7, 6))
        .add("points", POINTS);
    out.put(INDICATOR_POINTS.table(), spark.createDataFrame(indicatorRows, schema));
    return out;
  }

  /**
   * An indicator as the counts it divides (null when there is nothing to divide by, as in the SQL models). Score
   * inputs written before the counts were published carry only the indicator's double: it enters as its shortest
   * decimal, as it did when those scores were computed, so reproducing an older publication still agrees.
   */
  static Ratio ratio(Row r, String indicator, boolean hasCounts) {
    if (!hasCounts) {
      int value = r.fieldIndex(indicator);
      return r.isNullAt(value) ? null : Ratio.of(java.math.BigDecimal.valueOf(r.getDouble(value)));
    }
    int num = r.fieldIndex(indicator + "_numerator");
    int den = r.fieldIndex(indicator + "_denominator");
    if (r.isNullAt(num) || r.isNullAt(den)) {
      return null;
    }
    return Ratio.of(((Number) r.get(num)).longValue(), ((Number) r.get(den)).longValue());
  }

  private static Dataset<Row> score(SparkSession spark, String level, Dataset<Row> table, String idColumn,
      String groupColumn, String nameColumn, Set<String> indicators, Function<String, Map<String, Indicator>> indicatorsOf,
      ScoringScheme scheme, String rankColumn, String sizeColumn, List<Row> indicatorRows) {
    Map<String, Row> inputRows = new HashMap<>();
    List<Input> inputs = new ArrayList<>();
    boolean hasPenalties = List.of(table.columns()).contains("penalty_reminders"); // unit inputs only
    boolean hasCounts = List.of(table.columns()).stream().anyMatch(c -> c.endsWith("_numerator"));
    for (Row r : table.collectAsList()) {
      Map<String, Ratio> values = new HashMap<>();
      for (String indicator : indicators) {
        values.put(indicator, ratio(r, indicator, hasCounts));
      }
      Map<String, Long> penalties = new HashMap<>();
      if (hasPenalties) {
        for (String p : PENALTY_COLUMNS) {
          penalties.put(p.split(":")[0], r.<Long>getAs(p.split(":")[1]));
        }
      }
      long early = hasPenalties ? r.<Long>getAs("early_completions") : 0;
      long id = r.<Long>getAs(idColumn);
      String group = String.valueOf(r.<Object>getAs(groupColumn));
      String periodType = r.getAs("period_type");
      String period = r.getAs("period");
      inputs.add(new Input(id, group, group, periodType, period, values, penalties, early));
      inputRows.put(id + "|" + periodType + "|" + period, r);
    }
    List<Row> out = new ArrayList<>();
    List<Row> parts = new ArrayList<>();
    for (Score s : Scorer.score(inputs, indicatorsOf, scheme)) {
      Row in = inputRows.get(s.entityId() + "|" + s.periodType() + "|" + s.period());
      out.add(RowFactory.create(s.entityId(), in.getAs(nameColumn), s.rankingGroup(), s.periodType(), s.period(),
          in.getAs("is_complete"), s.score(), s.indicatorPoints(), s.penaltyPoints(), s.bonusPoints(),
          s.missingIndicators(), s.nullReason(), s.rank(), s.groupSize(), s.grade(), s.previousScore(), s.previousRank(),
          s.scoreChange(), s.rankChange()));
      for (Scorer.IndicatorPoints p : s.indicators()) {
        parts.add(RowFactory.create(level, s.entityId(), s.periodType(), s.period(), p.indicator(), p.value(), p.weight(),
            p.effectiveWeight().setScale(4, java.math.RoundingMode.HALF_UP), p.share().setScale(6, java.math.RoundingMode.HALF_UP),
            p.points()));
      }
    }
    indicatorRows.addAll(parts);
    StructType schema = new StructType().add(idColumn, DataTypes.LongType).add(nameColumn, DataTypes.StringType)
        .add(groupColumn.equals("unit_id") ? "ranked_in_unit" : "peer_group", DataTypes.StringType)
        .add("period_type", DataTypes.StringType).add("period", DataTypes.StringType)
        .add("is_complete", DataTypes.BooleanType).add("score", POINTS)
        .add("indicator_points", POINTS).add("penalty_points", POINTS)
        .add("bonus_points", POINTS).add("missing_indicators", DataTypes.StringType)
        .add("score_null_reason", DataTypes.StringType).add(rankColumn, DataTypes.IntegerType)
        .add(sizeColumn, DataTypes.IntegerType).add("grade", DataTypes.StringType)
        .add("previous_score", POINTS).add("previous_rank", DataTypes.IntegerType)
        .add("score_change", DataTypes.createDecimalType(6, Scorer.SCALE)).add("rank_change", DataTypes.IntegerType);
    return spark.createDataFrame(out, schema);
  }
}
