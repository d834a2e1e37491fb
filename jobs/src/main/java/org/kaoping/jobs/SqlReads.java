package org.kaoping.jobs;

import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a model's SQL reads: warehouse tables ({@code staging.x}, {@code mart.x}, {@code ops.x}) and the raw views the
 * build registers for each captured table ({@code latest_x}: its live rows, {@code raw_x}: its change events).
 * Comments and string literals are left out, so a table named in a message or a note is not a read.
 */
final class SqlReads {
  private static final Pattern NAME = Pattern.compile("\\b(?:(?:staging|mart|ops)\\.[a-z0-9_]+|(?:latest|raw)_[a-z0-9_]+)\\b");
  private static final Pattern RAW_VIEW = Pattern.compile("^(latest|raw)_([a-z0-9_]+)$");

  private SqlReads() {}

  /** The tables and raw views {@code sql} reads, other than {@code ownTable}. */
  static SortedSet<String> of(String sql, String ownTable) {
    SortedSet<String> reads = new TreeSet<>();
    Matcher m = NAME.matcher(code(sql).toLowerCase(Locale.ROOT));
    while (m.find()) {
      reads.add(m.group());
    }
    reads.remove(ownTable);
    return reads;
  }

  /** Whether {@code read} is a raw view ({@code latest_x} or {@code raw_x}) rather than a warehouse table. */
  static boolean isRawView(String read) {
    return RAW_VIEW.matcher(read).matches();
  }

  /** The raw table behind a raw view: {@code worklog_staff} for {@code latest_worklog_staff}. */
  static String rawTable(String rawView) {
    Matcher m = RAW_VIEW.matcher(rawView);
    if (!m.matches()) {
      throw new IllegalArgumentException(rawView + " is not a raw view (latest_<table> or raw_<table>)");
    }
    return m.group(2);
  }

  /** {@code sql} with its comments and string literals blanked out (line breaks kept). */
  static String code(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '-' && sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 2;
        out.append(' ');
      } else if (c == '\'' || c == '"') {
        i = endOfLiteral(sql, i, c);
        out.append(c).append(c); // an empty literal keeps the expression's shape
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The index after the literal opening at {@code start}; Spark escapes a quote with a backslash or by doubling it. */
  private static int endOfLiteral(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return i;
  }
}
