package org.kaoping.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.kaoping.jobs.scoring.PeriodType;

/**
 * Which months a build must recompute: everything (a full rebuild), or the months whose inputs
 * changed since the previous build.
 *
 * <p>What drives it is declared in the models' headers and read from the {@link ModelCatalog}: a change in a
 * staging table marked {@code -- on-change: full rebuild} (the organisation), or in the metric settings or
 * calendar, means a full rebuild; otherwise the changed months are those of the rows of each refresh driver
 * ({@code -- driver:} of the incremental marts, see {@link RefreshDriver}) that differ between the previous build's
 * staging snapshot and this one, read from the dates the drivers name, plus every month from the previous as-of
 * date to the new one (expected days move with it), reaching back by the completeness lag (a month is complete
 * once its grace has passed, so the as-of date completes an earlier month). A month brings its periods with it: its
 * month, quarter, half-year and year ({@link PeriodType}), and the ISO weeks that overlap it.
 */
final class RefreshScope implements SqlModel.RefreshDates {
  /** The period type of the weekly marts (mart.self_check_by_week): ISO weeks, not a period scores are computed for. */
  static final String WEEK = "WEEK";

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

  /** An incremental scope of the given months (the build derives them with {@link #since}). */
  static RefreshScope ofMonths(SortedSet<YearMonth> months) {
    return new RefreshScope(false, null, new TreeSet<>(months));
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
   * @param touchedRows     staging table → its only rows that may differ, before and after, in the
   *                        {@link #columnsRead columns the drivers read} (refreshed by groups), if known
   * @param completenessLag days after its end a period becomes complete (is_complete of mart.calendar_period)
   */
  static RefreshScope since(SparkSession spark, ModelCatalog catalog, Map<String, Long> previousStaging,
      Function<String, Long> currentSnapshot, LocalDate previousAsOf, LocalDate asOf, int completenessLag,
      Map<String, Dataset<Row>> touchedRows) {
    for (String table : catalog.fullRebuildTables()) {
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
    List<RefreshDriver> drivers = catalog.refreshDrivers();
    Set<String> compared = new TreeSet<>();
    drivers.forEach(d -> compared.add(d.table()));
    for (String table : compared) {
      Long before = previousStaging.get(table);
      if (before == null) {
        return full("no previous " + table);
      }
      // rows of another shape cannot be compared, and a new column may hold anything in any month
      if (!before.equals(currentSnapshot.apply(table))
          && !spark.table(table).schema().equals(spark.read().option("versionAsOf", before).table(table).schema())) {
        return full("the columns of " + table + " changed");
      }
    }
    SortedSet<YearMonth> months = new TreeSet<>();
    if (compared.stream().anyMatch(t -> !previousStaging.get(t).equals(currentSnapshot.apply(t)))) {
      for (RefreshDriver d : drivers) {
        changedRows(spark, catalog, d, previousStaging.get(d.table()), currentSnapshot, touchedRows);
      }
      changedMonths(spark, drivers).forEach(months::add);
    }
    months.addAll(asOfMonths(previousAsOf, asOf, completenessLag));
    return new RefreshScope(false, null, months);
  }

  /**
   * The months a move of the as-of date changes without a changed row: those it passes through (expected days) and
   * those whose completeness it decides (a period ending on day e is complete from e + 1 + lag on).
   */
  static SortedSet<YearMonth> asOfMonths(LocalDate previousAsOf, LocalDate asOf, int completenessLag) {
    SortedSet<YearMonth> months = new TreeSet<>();
    if (previousAsOf.equals(asOf)) {
      return months;
    }
    LocalDate earlier = previousAsOf.isBefore(asOf) ? previousAsOf : asOf;
    YearMonth to = YearMonth.from(previousAsOf.isBefore(asOf) ? asOf : previousAsOf);
    for (YearMonth m = YearMonth.from(earlier.minusDays(completenessLag + 1L)); !m.isAfter(to); m = m.plusMonths(1)) {
      months.add(m);
    }
    return months;
  }

  /** The columns of {@code table} the refresh drivers read: its date columns. */
  static List<String> columnsRead(ModelCatalog catalog, String table) {
    Set<String> columns = new LinkedHashSet<>();
    catalog.refreshDrivers().stream().filter(d -> d.table().equals(table)).forEach(d -> columns.addAll(d.dateColumns()));
    return List.copyOf(columns);
  }

  /** Months of the drivers' changed rows (each row as it was and as it is, in the {@link #columnsRead columns read}). */
  private static List<YearMonth> changedMonths(SparkSession spark, List<RefreshDriver> drivers) {
    List<String> dates = new ArrayList<>();
    for (RefreshDriver d : drivers) {
      for (String c : d.dateColumns()) {
        dates.add("SELECT CAST(" + c + " AS DATE) AS d FROM changed_" + name(d.table()));
      }
    }
    if (dates.isEmpty()) {
      return List.of();
    }
    List<Row> changed = spark.sql("SELECT DISTINCT trunc(d, 'MM') FROM (" + String.join("\nUNION ALL ", dates)
        + ") WHERE d IS NOT NULL").collectAsList();
    return changed.stream().map(r -> YearMonth.from(r.getDate(0).toLocalDate())).toList();
  }

  /** The table's name without its layer: {@code work_log} for {@code staging.work_log}. */
  private static String name(String table) {
    return table.substring(table.indexOf('.') + 1);
  }

  /**
   * Registers {@code changed_<table>}: the driver's rows that differ from the previous build's snapshot, each as
   * it was and as it is, in the columns read. Those of a table refreshed by groups are its touched groups' rows
   * (unchanged ones among them add months already changed or harmlessly recomputed); otherwise rows are matched
   * by key and compared whole, none when the table still stands at that snapshot.
   */
  private static void changedRows(SparkSession spark, ModelCatalog catalog, RefreshDriver d, long before,
      Function<String, Long> currentSnapshot, Map<String, Dataset<Row>> touchedRows) {
    String table = d.table();
    List<String> columns = columnsRead(catalog, table);
    Dataset<Row> touched = touchedRows.get(table);
    if (Long.valueOf(before).equals(currentSnapshot.apply(table))) {
      spark.table(table).selectExpr(columns.toArray(String[]::new)).limit(0)
          .createOrReplaceTempView("changed_" + name(table));
    } else if (touched != null) {
      touched.createOrReplaceTempView("changed_" + name(table));
    } else {
      String key = catalog.model(table).key().get(0);
      spark.table(table).createOrReplaceTempView("compared_now");
      spark.read().option("versionAsOf", before).table(table).createOrReplaceTempView("compared_before");
      String version = "named_struct(" + columns.stream().map(c -> "'" + c + "', %1$s." + c)
          .collect(Collectors.joining(", ")) + ")";
      spark.sql("SELECT inline(array(" + version.formatted("n") + ", " + version.formatted("b") + ")) FROM compared_now n"
          + " FULL OUTER JOIN compared_before b ON n." + key + " = b." + key + " WHERE NOT (struct(n.*) <=> struct(b.*))")
          .localCheckpoint().createOrReplaceTempView("changed_" + name(table));
    }
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

  /**
   * SQL true for the dates of {@code dateColumn} in the months this build recomputes: every date in a full build,
   * none when nothing changed ({@code ${in_refresh_months:<column>}} of the models, see {@link SqlModel#inRefreshMonths}).
   */
  @Override
  public String monthsPredicate(String dateColumn) {
    if (full) {
      return "TRUE";
    }
    return months.isEmpty() ? "FALSE" : months.stream()
        .map(m -> dateColumn + " BETWEEN DATE '" + m.atDay(1) + "' AND DATE '" + m.atEndOfMonth() + "'")
        .collect(Collectors.joining(" OR "));
  }
  /** SQL true for the dates of the ISO weeks (Monday to Sunday) overlapping the months this build recomputes. */
  @Override
  public String weeksPredicate(String dateColumn) {
    if (full) {
      return "TRUE";
    }
    return months.isEmpty() ? "FALSE" : months.stream()
        .map(m -> dateColumn + " BETWEEN DATE '" + m.atDay(1).with(java.time.DayOfWeek.MONDAY) + "' AND DATE '"
            + m.atEndOfMonth().with(java.time.DayOfWeek.SUNDAY) + "'")
        .collect(Collectors.joining(" OR "));
  }


  /** Rows of a by-period table to rewrite: the periods of every type that hold a changed month, and its weeks. */
  Column periods() {
    Map<String, SortedSet<String>> labels = periodLabels();
    labels.put(WEEK, weeks());
    return inPeriods(labels);
  }

  /** Period type → the labels of the periods holding a changed month (the types scores are computed for). */
  Map<String, SortedSet<String>> periodLabels() {
    Map<String, SortedSet<String>> labels = new TreeMap<>();
    for (PeriodType type : PeriodType.values()) {
      labels.put(type.name(), months.stream().map(type::label).collect(Collectors.toCollection(TreeSet::new)));
    }
    return labels;
  }

  /** The labels of the ISO weeks (Monday to Sunday) that overlap the changed months: 2025-W14. */
  SortedSet<String> weeks() {
    SortedSet<String> weeks = new TreeSet<>();
    for (YearMonth m : months) {
      for (LocalDate d = m.atDay(1).with(DayOfWeek.MONDAY); !d.isAfter(m.atEndOfMonth()); d = d.plusWeeks(1)) {
        weeks.add(weekLabel(d));
      }
    }
    return weeks;
  }

  /** The ISO week of {@code day} as the weekly marts label it: its week-based year, -W and its week number (2025-W01). */
  static String weekLabel(LocalDate day) {
    return String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /** A predicate of literals (Iceberg prunes and overwrites partitions by it): period_type and period among {@code labels}. */
  static Column inPeriods(Map<String, ? extends java.util.Collection<String>> labels) {
    Column any = lit(false);
    for (Map.Entry<String, ? extends java.util.Collection<String>> type : labels.entrySet()) {
      if (!type.getValue().isEmpty()) {
        any = any.or(col("period_type").equalTo(lit(type.getKey())).and(col("period").isin(type.getValue().toArray())));
      }
    }
    return any;
  }

}
