package org.kaoping.jobs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A staging table whose changed rows say which months an incremental mart rewrites, as the mart's header declares it:
 *
 * <pre>
 * -- driver: staging.work_log (work_date)
 * -- driver: staging.log_review (log_work_date, reviewed_at)
 * </pre>
 *
 * A changed row (compared on the table's key with the previous build's snapshot, before and after the change) brings
 * the months of each named date or timestamp column. A date the mart reads through a reference is carried on the
 * driver's own rows (as {@code staging.log_review} carries its log's {@code log_work_date}), so that a day's changed
 * rows alone say which months to rewrite.
 */
record RefreshDriver(String table, List<String> dateColumns) {

  private static final Pattern DECLARATION = Pattern.compile("^([a-z0-9_]+\\.[a-z0-9_]+)\\s*\\(([^)]*)\\)$");
  private static final Pattern DATE_COLUMN = Pattern.compile("^[a-z0-9_]+$");

  /** The drivers a mart's header declares ({@code -- driver:} lines); a line of another shape is refused. */
  static List<RefreshDriver> declaredBy(SqlModel mart) {
    List<RefreshDriver> drivers = new ArrayList<>();
    for (String declaration : mart.drivers()) {
      Matcher m = DECLARATION.matcher(declaration);
      if (!m.matches()) {
        throw new IllegalArgumentException(mart.table() + ": '-- driver: " + declaration
            + "' is not '<staging table> (<date column>, ...)'");
      }
      if (m.group(2).isBlank()) {
        throw new IllegalArgumentException(mart.table() + ": driver " + m.group(1)
            + " names no column: which dates of its changed rows give the months to rewrite?");
      }
      List<String> dates = new ArrayList<>();
      for (String item : m.group(2).strip().split("\\s*,\\s*")) {
        if (!DATE_COLUMN.matcher(item).matches()) {
          throw new IllegalArgumentException(mart.table() + ": driver " + m.group(1) + " names '" + item
              + "', which is not a column name: name the driver's own date columns");
        }
        dates.add(item);
      }
      drivers.add(new RefreshDriver(m.group(1), List.copyOf(dates)));
    }
    return drivers;
  }

  /** This driver and {@code other} (the same table, declared by another mart) as one: the months of both. */
  RefreshDriver with(RefreshDriver other) {
    if (!other.table.equals(table)) {
      throw new IllegalArgumentException("Cannot merge the drivers " + table + " and " + other.table);
    }
    LinkedHashSet<String> dates = new LinkedHashSet<>(dateColumns);
    dates.addAll(other.dateColumns);
    return new RefreshDriver(table, List.copyOf(dates));
  }
}
