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
 * -- driver: staging.log_review (reviewed_at, log_id -&gt; staging.work_log.work_date)
 * </pre>
 *
 * A changed row (compared on the table's key with the previous build's snapshot, before and after the change) brings
 * the months of each named date or timestamp column, and of each {@code column -> table.date_column}: the date of the
 * row of that table whose key equals the column (as it stands now and as the previous build left it).
 */
record RefreshDriver(String table, List<String> dateColumns, List<Lookup> lookups) {
  /** A date read through a reference: the {@code dateColumn} of the row of {@code table} whose key is {@code column}. */
  record Lookup(String column, String table, String dateColumn) {}

  private static final Pattern DECLARATION = Pattern.compile("^([a-z0-9_]+\\.[a-z0-9_]+)\\s*\\(([^)]*)\\)$");
  private static final Pattern DATE_COLUMN = Pattern.compile("^[a-z0-9_]+$");
  private static final Pattern LOOKUP = Pattern.compile("^([a-z0-9_]+)\\s*->\\s*([a-z0-9_]+\\.[a-z0-9_]+)\\.([a-z0-9_]+)$");

  /** The drivers a mart's header declares ({@code -- driver:} lines); a line of another shape is refused. */
  static List<RefreshDriver> declaredBy(SqlModel mart) {
    List<RefreshDriver> drivers = new ArrayList<>();
    for (String declaration : mart.drivers()) {
      Matcher m = DECLARATION.matcher(declaration);
      if (!m.matches()) {
        throw new IllegalArgumentException(mart.table() + ": '-- driver: " + declaration
            + "' is not '<staging table> (<date column>, <column> -> <table>.<date column>, ...)'");
      }
      if (m.group(2).isBlank()) {
        throw new IllegalArgumentException(mart.table() + ": driver " + m.group(1)
            + " names no column: which dates of its changed rows give the months to rewrite?");
      }
      List<String> dates = new ArrayList<>();
      List<Lookup> lookups = new ArrayList<>();
      for (String item : m.group(2).strip().split("\\s*,\\s*")) {
        Matcher l = LOOKUP.matcher(item);
        if (l.matches()) {
          lookups.add(new Lookup(l.group(1), l.group(2), l.group(3)));
        } else if (DATE_COLUMN.matcher(item).matches()) {
          dates.add(item);
        } else {
          throw new IllegalArgumentException(mart.table() + ": driver " + m.group(1) + " names '" + item
              + "', neither a date column nor '<column> -> <table>.<date column>'");
        }
      }
      drivers.add(new RefreshDriver(m.group(1), List.copyOf(dates), List.copyOf(lookups)));
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
    LinkedHashSet<Lookup> both = new LinkedHashSet<>(lookups);
    both.addAll(other.lookups);
    return new RefreshDriver(table, List.copyOf(dates), List.copyOf(both));
  }
}
