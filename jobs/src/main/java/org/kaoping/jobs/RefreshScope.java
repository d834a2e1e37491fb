package org.kaoping.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>What drives it is declared in the models' headers and read from the {@link ModelCatalog}: a change in a
 * staging table marked {@code -- on-change: full rebuild} (the organisation), or in the metric settings or
 * calendar, means a full rebuild; otherwise the changed months are those of the rows of each refresh driver
 * ({@code -- driver:} of the incremental marts, see {@link RefreshDriver}) that differ between the previous build's
 * staging snapshot and this one, read from the dates the drivers name, plus every month from the previous as-of
 * date to the new one (expected days and completeness move with it). A month brings its quarter and year with it.
 */
final class RefreshScope {
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
   * @param touchedKeys     staging table → the keys of the only rows that may differ (refreshed by groups), if known
   */
  static RefreshScope since(SparkSession spark, ModelCatalog catalog, Map<String, Long> previousStaging,
      Function<String, Long> currentSnapshot, LocalDate previousAsOf, LocalDate asOf, Map<String, Dataset<Row>> touchedKeys) {
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
    drivers.forEach(d -> {
      compared.add(d.table());
      d.lookups().forEach(l -> compared.add(l.table()));
    });
    for (String table : compared) {
      if (previousStaging.get(table) == null) {
        return full("no previous " + table);
      }
    }
    SortedSet<YearMonth> months = new TreeSet<>();
    if (compared.stream().anyMatch(t -> !previousStaging.get(t).equals(currentSnapshot.apply(t)))) {
      for (RefreshDriver d : drivers) {
        compared(spark, d.table(), catalog.model(d.table()).key().get(0), previousStaging.get(d.table()), currentSnapshot,
            touchedKeys);
        d.lookups().forEach(l -> spark.read().option("versionAsOf", previousStaging.get(l.table())).table(l.table())
            .createOrReplaceTempView(name(l.table()) + "_then"));
      }
      changedMonths(spark, catalog, drivers).forEach(months::add);
    }
    YearMonth from = YearMonth.from(previousAsOf.isBefore(asOf) ? previousAsOf : asOf);
    YearMonth to = YearMonth.from(previousAsOf.isBefore(asOf) ? asOf : previousAsOf);
    for (YearMonth m = from; !m.isAfter(to) && !previousAsOf.equals(asOf); m = m.plusMonths(1)) {
      months.add(m);
    }
    return new RefreshScope(false, null, months);
  }

  /** Months of the drivers' rows that differ between the previous build's staging snapshots and now, by their dates. */
  private static List<YearMonth> changedMonths(SparkSession spark, ModelCatalog catalog, List<RefreshDriver> drivers) {
    // rows matched by key and compared whole (null-safe): one join per table instead of four set differences
    List<String> ctes = new ArrayList<>();
    List<String> dates = new ArrayList<>();
    for (RefreshDriver d : drivers) {
      String name = name(d.table());
      String key = catalog.model(d.table()).key().get(0);
      Set<String> columns = new LinkedHashSet<>(); // two lookups through one column share it
      Set<String> referenced = new LinkedHashSet<>();
      for (String c : d.dateColumns()) {
        columns.add("CAST(n." + c + " AS DATE) AS now_" + c + ", CAST(b." + c + " AS DATE) AS before_" + c);
        dates.add("SELECT now_" + c + " AS d FROM changed_" + name + " UNION ALL SELECT before_" + c + " FROM changed_" + name);
      }
      for (RefreshDriver.Lookup l : d.lookups()) {
        String ref = l.column();
        columns.add("n." + ref + " AS now_" + ref + ", b." + ref + " AS before_" + ref);
        String refs = "referenced_" + name + "_" + ref;
        referenced.add(refs + " AS (SELECT DISTINCT r FROM (SELECT explode(array(now_" + ref + ", before_" + ref + ")) AS r FROM changed_"
            + name + ") WHERE r IS NOT NULL)");
        String target = catalog.model(l.table()).key().get(0);
        for (String version : List.of(l.table(), name(l.table()) + "_then")) {
          dates.add("SELECT CAST(t." + l.dateColumn() + " AS DATE) AS d FROM " + refs + " r JOIN " + version + " t ON t." + target
              + " = r.r");
        }
      }
      ctes.add("changed_" + name + " AS (SELECT " + String.join(", ", columns) + " FROM " + name + "_now n FULL OUTER JOIN "
          + name + "_before b ON n." + key + " = b." + key + " WHERE NOT (struct(n.*) <=> struct(b.*)))");
      ctes.addAll(referenced); // they read changed_<name>
    }
    if (dates.isEmpty()) {
      return List.of();
    }
    List<Row> changed = spark.sql("WITH " + String.join(",\n", ctes) + "\nSELECT DISTINCT trunc(d, 'MM') FROM ("
        + String.join("\nUNION ALL ", dates) + ") WHERE d IS NOT NULL").collectAsList();
    return changed.stream().map(r -> YearMonth.from(r.getDate(0).toLocalDate())).toList();
  }

  /** The table's name without its layer: {@code work_log} for {@code staging.work_log}. */
  private static String name(String table) {
    return table.substring(table.indexOf('.') + 1);
  }

  /**
   * Registers {@code <table>_now} and {@code <table>_before} (at the previous build's snapshot): whole, only the
   * rows with a touched key when the table was refreshed by groups (no other row can differ), or none when the
   * table still stands at that snapshot.
   */
  private static void compared(SparkSession spark, String table, String key, long before,
      Function<String, Long> currentSnapshot, Map<String, Dataset<Row>> touchedKeys) {
    String name = name(table);
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

  /**
   * SQL true for the dates of {@code dateColumn} in the months this build recomputes: every date in a full build,
   * none when nothing changed ({@code ${in_refresh_months:<column>}} of the models, see {@link SqlModel#inRefreshMonths}).
   */
  String monthsPredicate(String dateColumn) {
    if (full) {
      return "TRUE";
    }
    return months.isEmpty() ? "FALSE" : months.stream()
        .map(m -> dateColumn + " BETWEEN DATE '" + m.atDay(1) + "' AND DATE '" + m.atEndOfMonth() + "'")
        .collect(Collectors.joining(" OR "));
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
