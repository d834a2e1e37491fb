package org.kaoping.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One model of the warehouse: a SQL file whose header says what it is.
 *
 * <pre>
 * -- table: mart.metrics_person_period
 * -- grain: one row per person per period
 * -- key: staff_id, period_type, period
 * -- check: filed_days &lt;= filing_days
 * </pre>
 *
 * The key and checks are enforced on every build ({@link ModelChecks}); {@code ${name}}
 * placeholders are filled from the metric configuration, and an unknown one is an error. The header is read here
 * only: the others ask the model ({@link #rebuildsMartsOnChange()}, {@link #drivers()}).
 */
public record SqlModel(String resource, String table, String grain, List<String> key, List<String> checks,
    List<String> inputs, Refresh refresh, String sql) {

  /** How a model is refreshed when only some periods changed (header {@code -- refresh:}). */
  public enum Refresh {
    /** Rebuilt whole on every build (small tables). */
    WHOLE,
    /** Partitioned by month of work_date; only the changed months are rewritten. */
    BY_MONTH_OF_WORK_DATE,
    /** Partitioned by period_type and period; only the changed periods are rewritten. */
    BY_PERIOD
  }

  private static final Pattern HEADER = Pattern.compile(
      "^--\\s*(table|grain|key|check|input|refresh|on-change|driver):\\s*(.+)$");
  private static final String FULL_REBUILD = "full rebuild";
  private static final Pattern PARAM = Pattern.compile("\\$\\{([a-z_]+)}");
  /** {@code ${in_refresh_months:<date column>}} and {@code ${in_refresh_weeks:<date column>}}. */
  private static final Pattern REFRESH_MONTHS = Pattern.compile("\\$\\{in_refresh_(months|weeks):([a-z_.]+)}");
  private static final Pattern UNALIASED_REFRESH_MONTHS = Pattern.compile(
      "FROM\\s+[a-z0-9_.]+\\s+WHERE\\s+\\$\\{in_refresh_(months|weeks):", Pattern.CASE_INSENSITIVE);
  private static final Pattern DOC_LINE = Pattern.compile("^--\\s{0,3}([a-z_][a-z0-9_]*(?:\\s*/\\s*[a-z_][a-z0-9_]*)?)\\s*=\\s*(.+)$");
  private static final Pattern CONTINUATION = Pattern.compile("^--\\s{4,}(.+)$");

  /** The model in the resource {@code resource} (relative to this package). */
  public static SqlModel load(String resource) {
    try (InputStream in = SqlModel.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("No SQL model at " + resource);
      }
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The model whose text is {@code text}; {@code resource} names it in messages. */
  public static SqlModel parse(String resource, String text) {
    String table = null;
    String grain = null;
    List<String> key = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    List<String> inputs = new ArrayList<>();
    Refresh refresh = Refresh.WHOLE;
    for (String line : text.split("\n")) {
      Matcher m = HEADER.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      String value = m.group(2).strip();
      switch (m.group(1)) {
        case "table" -> table = value;
        case "grain" -> grain = value;
        case "key" -> key.addAll(List.of(value.split("\\s*,\\s*")));
        case "check" -> checks.add(value);
        case "input" -> inputs.add(value);
        case "refresh" -> refresh = switch (value) {
          case "by month of work_date" -> Refresh.BY_MONTH_OF_WORK_DATE;
          case "by period" -> Refresh.BY_PERIOD;
          default -> throw new IllegalArgumentException(resource + ": unknown refresh '" + value + "'");
        };
        case "on-change" -> {
          if (!value.equals(FULL_REBUILD)) {
            throw new IllegalArgumentException(resource + ": '-- on-change: " + value + "' is not '-- on-change: "
                + FULL_REBUILD + "'");
          }
        }
        case "driver" -> { } // read by drivers(): a mart's and a staging model's drivers have their own shapes
        default -> throw new IllegalStateException();
      }
    }
    if (table == null || grain == null || key.isEmpty()) {
      throw new IllegalArgumentException(resource + " must declare '-- table:', '-- grain:' and '-- key:' in its header");
    }
    if (UNALIASED_REFRESH_MONTHS.matcher(text).find()) {
      throw new IllegalArgumentException(resource + " writes 'FROM <table> WHERE ${in_refresh_months:…}': Spark reads"
          + " 'WHERE (' after a table name as an alias of its columns; alias the table (FROM mart.x m WHERE …)");
    }
    if (refresh == Refresh.WHOLE && REFRESH_MONTHS.matcher(text).find()) {
      throw new IllegalArgumentException(resource + " uses ${in_refresh_months:…} but is rebuilt whole on every build:"
          + " declare '-- refresh: by month of work_date' or '-- refresh: by period', or read every month");
    }
    return new SqlModel(resource, table, grain, List.copyOf(key), List.copyOf(checks), List.copyOf(inputs), refresh, text);
  }

  /** This model with the placeholders of its SQL and checks filled. */
  public SqlModel render(Map<String, String> params) {
    return new SqlModel(resource, table, grain, key,
        checks.stream().map(c -> fill(c, params)).toList(), inputs, refresh, fill(sql, params));
  }

  private String fill(String text, Map<String, String> params) {
    Matcher m = PARAM.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = params.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(resource + " uses ${" + m.group(1) + "} but no such metric parameter is set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Whether a change in this staging model's rows rebuilds every mart in full rather than only the months it touched
   * ({@code -- on-change: full rebuild}: the organisation tables).
   */
  public boolean rebuildsMartsOnChange() {
    return !header("on-change").isEmpty();
  }

  /**
   * What its {@code -- driver:} lines declare, in order: an incremental mart's staging tables whose changed rows give
   * the months it rewrites ({@link RefreshDriver}), a grouped staging model's inputs whose changed rows give the groups
   * it recomputes ({@link GroupedStaging}).
   */
  public List<String> drivers() {
    return header("driver");
  }

  /** The values of the header lines {@code -- name: value}, in order. */
  private List<String> header(String name) {
    List<String> values = new ArrayList<>();
    for (String line : sql.split("\n")) {
      Matcher m = HEADER.matcher(line.strip());
      if (m.matches() && m.group(1).equals(name)) {
        values.add(m.group(2).strip());
      }
    }
    return values;
  }

  /** Whether its SQL narrows an input to the months the build recomputes ({@code ${in_refresh_months:<date column>}}). */
  public boolean readsRefreshMonths() {
    return REFRESH_MONTHS.matcher(sql).find();
  }

  /** The dates a build recomputes, as SQL conditions on a date column. */
  interface RefreshDates {
    /** True for the dates of the months the build recomputes (every date in a full build). */
    String monthsPredicate(String dateColumn);

    /** True for the dates of the weeks (Monday to Sunday) that overlap those months. */
    String weeksPredicate(String dateColumn);
  }

  /**
   * This model with each {@code ${in_refresh_months:<date column>}} and {@code ${in_refresh_weeks:<date column>}}
   * replaced by the condition {@code dates} gives for that column. A model refreshed by month or by period puts it on
   * its inputs' partition column so that a build reads only what it rewrites.
   */
  public SqlModel inRefreshMonths(RefreshDates dates) {
    Matcher m = REFRESH_MONTHS.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String predicate = m.group(1).equals("weeks") ? dates.weeksPredicate(m.group(2)) : dates.monthsPredicate(m.group(2));
      m.appendReplacement(out, Matcher.quoteReplacement("(" + predicate + ")"));
    }
    m.appendTail(out);
    return new SqlModel(resource, table, grain, key, checks, inputs, refresh, out.toString());
  }

  /** Column formulas from this model's header ({@code -- column = formula}, indented lines continue it). */
  public Map<String, String> columnDocs() {
    return columnDocs(sql);
  }

  static Map<String, String> columnDocs(String sql) {
    Map<String, String> docs = new LinkedHashMap<>();
    List<String> names = null;
    for (String line : sql.split("\n")) {
      String l = line.strip();
      if (!l.startsWith("--")) {
        if (!l.isEmpty()) {
          break; // the header ends at the first SQL line
        }
        continue;
      }
      Matcher m = DOC_LINE.matcher(l);
      Matcher cont = CONTINUATION.matcher(l);
      if (m.matches()) {
        names = List.of(m.group(1).split("\\s*/\\s*"));
        for (String n : names) {
          docs.put(n, m.group(1) + " = " + m.group(2).strip());
        }
      } else if (cont.matches() && names != null) {
        for (String n : names) {
          docs.put(n, docs.get(n) + " " + cont.group(1).strip());
        }
      } else {
        names = null;
      }
    }
    return docs;
  }
}
