package org.kaoping.warehouse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Working days: weekdays, minus public holidays, plus make-up working days (调休).
 *
 * <p>Loaded from a CSV of exceptions that users edit: {@code year,YYYY} lines name the years the
 * file covers; {@code date,HOLIDAY|WORKDAY,name} lines list the exceptions. Years the file does
 * not cover are plain weekdays, and {@link #uncoveredYears} lets callers warn about them.
 */
public final class WorkingCalendar {
  /** The calendar shipped with Kaoping (official schedules the developers could confirm). */
  public static final String BUILT_IN_RESOURCE = "calendar-cn.csv";

  /** Kind of a calendar day, as shown in the calendar table. */
  public enum DayKind {
    WEEKDAY, WEEKEND, HOLIDAY, MAKEUP_WORKDAY
  }

  /** One day of the calendar. */
  public record Day(LocalDate date, DayKind kind, String name) {
    public boolean isWorkingDay() {
      return kind == DayKind.WEEKDAY || kind == DayKind.MAKEUP_WORKDAY;
    }
  }

  private final Set<Integer> coveredYears;
  private final Map<LocalDate, Day> exceptions;
  private final String origin;

  private WorkingCalendar(Set<Integer> coveredYears, Map<LocalDate, Day> exceptions, String origin) {
    this.coveredYears = Collections.unmodifiableSet(coveredYears);
    this.exceptions = Collections.unmodifiableMap(exceptions);
    this.origin = origin;
  }

  /** The built-in calendar (official 2025 and 2026 schedules). */
  public static WorkingCalendar builtIn() {
    try (InputStream in = WorkingCalendar.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in " + BUILT_IN_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads a user-supplied calendar file; a malformed line fails with its line number. */
  public static WorkingCalendar load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read calendar file " + file + ": " + e.getMessage(), e);
    }
  }

  static WorkingCalendar parse(String text, String origin) {
    Set<Integer> years = new TreeSet<>();
    Map<LocalDate, Day> exceptions = new TreeMap<>();
    int lineNo = 0;
    try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(",", 3);
        try {
          if (parts[0].equals("year")) {
            years.add(Integer.parseInt(parts[1].strip()));
            continue;
          }
          if (parts.length < 2) {
            throw new IllegalArgumentException("expected 'date,HOLIDAY|WORKDAY,name'");
          }
          LocalDate date = LocalDate.parse(parts[0].strip());
          String name = parts.length > 2 ? parts[2].strip() : "";
          DayKind kind = switch (parts[1].strip()) {
            case "HOLIDAY" -> DayKind.HOLIDAY;
            case "WORKDAY" -> DayKind.MAKEUP_WORKDAY;
            default -> throw new IllegalArgumentException(
                "kind must be HOLIDAY or WORKDAY, not '" + parts[1].strip() + "'");
          };
          exceptions.put(date, new Day(date, kind, name));
        } catch (DateTimeParseException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
          throw new IllegalArgumentException(
              "Calendar " + origin + " line " + lineNo + " is malformed ('" + line + "'): " + e.getMessage());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "Calendar " + origin + " line " + lineNo + " is malformed ('" + line + "'): " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new WorkingCalendar(years, exceptions, origin);
  }

  /** Where this calendar came from, for logs. */
  public String origin() {
    return origin;
  }

  /** A string that changes whenever the calendar's content does (covered years and exceptions). */
  public String fingerprint() {
    return coveredYears + "|" + exceptions.values();
  }

  /** The calendar entry for a date. */
  public Day day(LocalDate date) {
    Day exception = exceptions.get(date);
    if (exception != null) {
      return exception;
    }
    DayOfWeek dow = date.getDayOfWeek();
    boolean weekend = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
    return new Day(date, weekend ? DayKind.WEEKEND : DayKind.WEEKDAY, "");
  }

  public boolean isWorkingDay(LocalDate date) {
    return day(date).isWorkingDay();
  }

  /** Every day from {@code first} to {@code last}, both included. */
  public List<Day> days(LocalDate first, LocalDate last) {
    List<Day> days = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      days.add(day(d));
    }
    return days;
  }

  /** The working days from {@code first} to {@code last}, both included. */
  public List<LocalDate> workingDays(LocalDate first, LocalDate last) {
    return days(first, last).stream().filter(Day::isWorkingDay).map(Day::date).toList();
  }

  /** The n-th working day after {@code date} (n ≥ 1); {@code date} itself need not be a working day. */
  public LocalDate plusWorkingDays(LocalDate date, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, was " + n);
    }
    LocalDate d = date;
    int found = 0;
    while (found < n) {
      d = d.plusDays(1);
      if (isWorkingDay(d)) {
        found++;
      }
    }
    return d;
  }

  /** Years in [from, to] that the file does not cover: their holidays are unknown. */
  public List<Integer> uncoveredYears(int fromYear, int toYear) {
    List<Integer> missing = new ArrayList<>();
    for (int y = fromYear; y <= toYear; y++) {
      if (!coveredYears.contains(y)) {
        missing.add(y);
      }
    }
    return missing;
  }
}
