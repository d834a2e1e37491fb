package org.kaoping.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
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
   * Compares this build's staging tables with the snapshots the previous build recorded.
   *
   * @param previousStaging staging table → snapshot id written by the previous build
   */
  static RefreshScope since(SparkSession spark, Map<String, Long> previousStaging, LocalDate previousAsOf, LocalDate asOf) {
    for (String table : ORGANISATION_TABLES) {
      Long before = previousStaging.get(table);
      if (before == null) {
        return full(table + " was not built before");
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
    spark.read().option("versionAsOf", logsBefore).table("staging.work_log").createOrReplaceTempView("work_log_before");
    spark.read().option("versionAsOf", reviewsBefore).table("staging.log_review").createOrReplaceTempView("log_review_before");
    List<Row> changed = spark.sql("""
        WITH logs AS (
          (SELECT * FROM staging.work_log EXCEPT ALL SELECT * FROM work_log_before)
          UNION ALL (SELECT * FROM work_log_before EXCEPT ALL SELECT * FROM staging.work_log)
        ),
        reviews AS (
          (SELECT * FROM staging.log_review EXCEPT ALL SELECT * FROM log_review_before)
          UNION ALL (SELECT * FROM log_review_before EXCEPT ALL SELECT * FROM staging.log_review)
        )
        SELECT DISTINCT trunc(d, 'MM') FROM (
          SELECT work_date AS d FROM logs
          UNION ALL SELECT CAST(r.reviewed_at AS DATE) FROM reviews r
          UNION ALL SELECT l.work_date FROM reviews r JOIN staging.work_log l ON l.log_id = r.log_id
          UNION ALL SELECT l.work_date FROM reviews r JOIN work_log_before l ON l.log_id = r.log_id
        ) WHERE d IS NOT NULL""").collectAsList();
    SortedSet<YearMonth> months = new TreeSet<>();
    changed.forEach(r -> months.add(YearMonth.from(r.getDate(0).toLocalDate())));
    YearMonth from = YearMonth.from(previousAsOf.isBefore(asOf) ? previousAsOf : asOf);
    YearMonth to = YearMonth.from(previousAsOf.isBefore(asOf) ? asOf : previousAsOf);
    for (YearMonth m = from; !m.isAfter(to) && !previousAsOf.equals(asOf); m = m.plusMonths(1)) {
      months.add(m);
    }
    return new RefreshScope(false, null, months);
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
