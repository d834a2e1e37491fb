package org.kaoping.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Which months a build must recompute: everything (a full rebuild), or the months whose inputs
 * changed since the previous build.
 *
 * <p>Changed months: the work dates of work logs that differ between the previous build's staging
 * snapshot and this one, the work dates and decision dates of changed reviews, and every month from
 * the previous as-of date to the new one (expected days and completeness move with it). A change in
 * the organisation tables or in the metric settings or calendar means a full rebuild. A month
 * brings its quarter and year with it.
 */
final class RefreshScope {
  /** Staging tables whose any change forces a full rebuild. */
  static final List<String> ORGANISATION_TABLES = List.of("staging.unit", "staging.section", "staging.staff",
      "staging.staff_assignment", "staging.work_category");

  private final boolean full;
  private final String reason;
  private final SortedSet<YearMonth> months;

  private RefreshScope(boolean full, String reason, SortedSet<YearMonth> months) {
    this.full = full;
    this.reason = reason;
    this.months = months;
  }

  static RefreshScope full(String reason) {
    return new RefreshScope(true, reason, new TreeSet<>());
  }

  boolean isFull() {
    return full;
  }

  SortedSet<YearMonth> months() {
    return months;
  }

  String describe() {
    return full ? "full rebuild (" + reason + ")"
        : months.isEmpty() ? "nothing changed since the last build"
        : "incremental: " + months.size() + " changed month(s) " + months.first() + ".." + months.last();
  }

  /**
   * Compares this build's staging tables with the snapshots the previous build recorded; a table still at
   * its recorded snapshot (kept by the build) is unchanged without a look at its rows.
   *
   * @param previousStaging staging table → snapshot id written by the previous build
   * @param currentSnapshot staging table → its snapshot id now
   * @param touchedKeys     staging table → the keys of the only rows that may differ (refreshed by groups), if known
   */
  static RefreshScope since(SparkSession spark, Map<String, Long> previousStaging, Function<String, Long> currentSnapshot,
      LocalDate previousAsOf, LocalDate asOf, Map<String, Dataset<Row>> touchedKeys) {
    for (String table : ORGANISATION_TABLES) {
      Long before = previousStaging.get(table);
      if (before == null) {
        return full(table + " was not built before");
      }
      if (before.equals(currentSnapshot.apply(table))) {
        continue;
      }
      Dataset<Row> now = spark.table(table);
      Dataset<Row> then = spark.read().option("versionAsOf", before).table(table);
      if (!now.exceptAll(then).isEmpty() || !then.exceptAll(now).isEmpty()) {
        return full("the organisation changed (" + table + ")");
      }
    }
    Long logsBefore = previousStaging.get("staging.work_log");
    Long reviewsBefore = previousStaging.get("staging.log_review");
    if (logsBefore == null || reviewsBefore == null) {
      return full("no previous work logs or reviews");
    }
    SortedSet<YearMonth> months = new TreeSet<>();
    if (!logsBefore.equals(currentSnapshot.apply("staging.work_log"))
        || !reviewsBefore.equals(currentSnapshot.apply("staging.log_review"))) {
      compared(spark, "staging.work_log", "log_id", logsBefore, currentSnapshot, touchedKeys);
      compared(spark, "staging.log_review", "review_id", reviewsBefore, currentSnapshot, touchedKeys);
      spark.read().option("versionAsOf", logsBefore).table("staging.work_log").createOrReplaceTempView("work_log_then");
      changedMonths(spark).forEach(months::add);
    }
    YearMonth from = YearMonth.from(previousAsOf.isBefore(asOf) ? previousAsOf : asOf);
    YearMonth to = YearMonth.from(previousAsOf.isBefore(asOf) ? asOf : previousAsOf);
    for (YearMonth m = from; !m.isAfter(to) && !previousAsOf.equals(asOf); m = m.plusMonths(1)) {
      months.add(m);
    }
    return new RefreshScope(false, null, months);
  }

  /** Months of the work logs and reviews that differ between the previous build's staging snapshots and now. */
  private static List<YearMonth> changedMonths(SparkSession spark) {
    // rows matched by key and compared whole (null-safe): one join per table instead of four set differences
    List<Row> changed = spark.sql("""
        WITH logs AS (
          SELECT n.work_date AS now_date, b.work_date AS before_date
          FROM work_log_now n FULL OUTER JOIN work_log_before b ON n.log_id = b.log_id
          WHERE NOT (struct(n.*) <=> struct(b.*))
        ),
        reviews AS (
          SELECT CAST(n.reviewed_at AS DATE) AS now_date, CAST(b.reviewed_at AS DATE) AS before_date,
                 n.log_id AS now_log_id, b.log_id AS before_log_id
          FROM log_review_now n FULL OUTER JOIN log_review_before b ON n.review_id = b.review_id
          WHERE NOT (struct(n.*) <=> struct(b.*))
        ),
        reviewed_logs AS (
          SELECT DISTINCT log_id FROM (SELECT explode(array(now_log_id, before_log_id)) AS log_id FROM reviews) WHERE log_id IS NOT NULL
        )
        SELECT DISTINCT trunc(d, 'MM') FROM (
          SELECT now_date AS d FROM logs UNION ALL SELECT before_date FROM logs
          UNION ALL SELECT now_date FROM reviews UNION ALL SELECT before_date FROM reviews
          UNION ALL SELECT l.work_date FROM reviewed_logs r JOIN staging.work_log l ON l.log_id = r.log_id
          UNION ALL SELECT l.work_date FROM reviewed_logs r JOIN work_log_then l ON l.log_id = r.log_id
        ) WHERE d IS NOT NULL""").collectAsList();
    return changed.stream().map(r -> YearMonth.from(r.getDate(0).toLocalDate())).toList();
  }

  /**
   * Registers {@code <table>_now} and {@code <table>_before} (at the previous build's snapshot): whole, only the
   * rows with a touched key when the table was refreshed by groups (no other row can differ), or none when the
   * table still stands at that snapshot.
   */
  private static void compared(SparkSession spark, String table, String key, long before,
      Function<String, Long> currentSnapshot, Map<String, Dataset<Row>> touchedKeys) {
    String name = table.substring(table.indexOf('.') + 1);
    Dataset<Row> now = spark.table(table);
    Dataset<Row> then = spark.read().option("versionAsOf", before).table(table);
    Dataset<Row> touched = touchedKeys.get(table);
    if (Long.valueOf(before).equals(currentSnapshot.apply(table))) {
      now = now.limit(0);
      then = then.limit(0);
    } else if (touched != null) {
      now = now.join(touched, now.col(key).equalTo(touched.col(key)), "left_semi");
      then = then.join(touched, then.col(key).equalTo(touched.col(key)), "left_semi");
    }
    now.createOrReplaceTempView(name + "_now");
    then.createOrReplaceTempView(name + "_before");
  }

  /** Rows of a by-month table to rewrite: whole months, so that whole partitions are replaced. */
  Column monthsOf(String dateColumn) {
    Column any = lit(false);
    for (YearMonth m : months) {
      any = any.or(col(dateColumn).geq(lit(java.sql.Date.valueOf(m.atDay(1))))
          .and(col(dateColumn).leq(lit(java.sql.Date.valueOf(m.atEndOfMonth())))));
    }
    return any;
  }

  /** Rows of a by-period table to rewrite: the changed months, their quarters and their years. */
  Column periods() {
    return col("period_type").equalTo(lit("MONTH")).and(col("period").isin(labels(m -> m.toString())))
        .or(col("period_type").equalTo(lit("QUARTER")).and(col("period").isin(
            labels(m -> m.getYear() + "-Q" + ((m.getMonthValue() - 1) / 3 + 1)))))
        .or(col("period_type").equalTo(lit("YEAR")).and(col("period").isin(labels(m -> Integer.toString(m.getYear())))));
  }

  private Object[] labels(java.util.function.Function<YearMonth, String> label) {
    return months.stream().map(label).collect(Collectors.toCollection(TreeSet::new)).toArray();
  }
}
