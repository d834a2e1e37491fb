package org.kaoping.jobs;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The metric definitions' parameters (DOMAIN.md: defaults are configuration, not constants).
 *
 * @param fullDayMinutes        minutes of the 100 % working day (seeds: 7 hours)
 * @param fillGraceWorkingDays  a day's log is on time if submitted by the end of this many working days after it
 * @param countedStatuses       log statuses whose minutes count
 * @param asOfDate              the date the data stands at; null: the day of the latest work-log change
 */
public record MetricSettings(int fullDayMinutes, int fillGraceWorkingDays, List<String> countedStatuses, LocalDate asOfDate) {
  public static final int FULL_DAY_MINUTES_DEFAULT = 420;
  public static final int FILL_GRACE_WORKING_DAYS_DEFAULT = 1;
  public static final List<String> COUNTED_STATUSES_DEFAULT = List.of("SUBMITTED", "APPROVED");
  private static final List<String> STATUSES = List.of("DRAFT", "SUBMITTED", "APPROVED", "RETURNED");

  public MetricSettings {
    if (fullDayMinutes < 60 || fullDayMinutes > 1440) {
      throw new IllegalArgumentException("metrics.full-day-minutes must be between 60 and 1440, was " + fullDayMinutes);
    }
    if (fillGraceWorkingDays < 0 || fillGraceWorkingDays > 30) {
      throw new IllegalArgumentException("metrics.fill-grace-working-days must be between 0 and 30, was " + fillGraceWorkingDays);
    }
    if (countedStatuses.isEmpty() || !STATUSES.containsAll(countedStatuses)) {
      throw new IllegalArgumentException("metrics.counted-statuses must be some of " + STATUSES + ", was " + countedStatuses);
    }
    countedStatuses = List.copyOf(countedStatuses);
  }

  public static MetricSettings defaults() {
    return new MetricSettings(FULL_DAY_MINUTES_DEFAULT, FILL_GRACE_WORKING_DAYS_DEFAULT, COUNTED_STATUSES_DEFAULT, null);
  }

  /** Values for the {@code ${...}} placeholders of the SQL models. */
  Map<String, String> sqlParameters(LocalDate asOf) {
    return Map.of(
        "full_day_minutes", Integer.toString(fullDayMinutes),
        "fill_grace_working_days", Integer.toString(fillGraceWorkingDays),
        "counted_statuses", countedStatuses.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ")),
        "as_of_date", asOf.toString());
  }
}
