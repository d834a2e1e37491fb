package org.kaoping.jobs;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The metric definitions' parameters (DOMAIN.md: defaults are configuration, not constants).
 *
 * @param fullDayMinutes            minutes of the 100 % working day (seeds: 7 hours)
 * @param fillGraceWorkingDays      a day's log is on time if submitted by the end of this many working days after it
 * @param countedStatuses           log statuses whose minutes count
 * @param reviewOnTimeWorkingDays   a review level is on time if it decides within this many working days
 * @param targetTolerancePoints     target progress within this many points of plan is on plan (GREEN)
 * @param yellowCardGapPoints       a target task this many points behind plan gets a yellow card
 * @param redCardGapPoints          a target task this many points behind plan gets a red card
 * @param reminders                 when items reach the bell, the yellow card and the red card (mart.reminder)
 * @param asOfDate                  the date the data stands at; null: the day of the latest work-log change
 */
public record MetricSettings(int fullDayMinutes, int fillGraceWorkingDays, List<String> countedStatuses,
    int reviewOnTimeWorkingDays, int targetTolerancePoints, int yellowCardGapPoints, int redCardGapPoints,
    ReminderRule reminders, LocalDate asOfDate) {
  public static final int FULL_DAY_MINUTES_DEFAULT = 420;
  public static final int FILL_GRACE_WORKING_DAYS_DEFAULT = 1;
  public static final List<String> COUNTED_STATUSES_DEFAULT = List.of("SUBMITTED", "APPROVED");
  public static final int REVIEW_ON_TIME_WORKING_DAYS_DEFAULT = 3;
  public static final int TARGET_TOLERANCE_POINTS_DEFAULT = 5;
  public static final int YELLOW_CARD_GAP_POINTS_DEFAULT = 20;
  public static final int RED_CARD_GAP_POINTS_DEFAULT = 40;
  private static final List<String> STATUSES = List.of("DRAFT", "SUBMITTED", "APPROVED", "RETURNED");

  public MetricSettings {
    check(fullDayMinutes, 60, 1440, "metrics.full-day-minutes");
    check(fillGraceWorkingDays, 0, 30, "metrics.fill-grace-working-days");
    check(reviewOnTimeWorkingDays, 0, 60, "metrics.review-on-time-working-days");
    check(targetTolerancePoints, 0, 100, "metrics.target-tolerance-points");
    check(yellowCardGapPoints, 0, 100, "metrics.target-yellow-card-gap-points");
    check(redCardGapPoints, 0, 100, "metrics.target-red-card-gap-points");
    if (!(targetTolerancePoints < yellowCardGapPoints && yellowCardGapPoints < redCardGapPoints)) {
      throw new IllegalArgumentException("metrics.target-tolerance-points (" + targetTolerancePoints
          + ") < metrics.target-yellow-card-gap-points (" + yellowCardGapPoints
          + ") < metrics.target-red-card-gap-points (" + redCardGapPoints + ") must hold");
    }
    if (countedStatuses.isEmpty() || !STATUSES.containsAll(countedStatuses)) {
      throw new IllegalArgumentException("metrics.counted-statuses must be some of " + STATUSES + ", was " + countedStatuses);
    }
    countedStatuses = List.copyOf(countedStatuses);
    java.util.Objects.requireNonNull(reminders, "reminders");
  }

  private static void check(int value, int min, int max, String key) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  public static MetricSettings defaults() {
    return new MetricSettings(FULL_DAY_MINUTES_DEFAULT, FILL_GRACE_WORKING_DAYS_DEFAULT, COUNTED_STATUSES_DEFAULT,
        REVIEW_ON_TIME_WORKING_DAYS_DEFAULT, TARGET_TOLERANCE_POINTS_DEFAULT, YELLOW_CARD_GAP_POINTS_DEFAULT,
        RED_CARD_GAP_POINTS_DEFAULT, ReminderRule.defaults(), null);
  }

  /** The same settings with the as-of date fixed. */
  public MetricSettings asOf(LocalDate date) {
    return new MetricSettings(fullDayMinutes, fillGraceWorkingDays, countedStatuses, reviewOnTimeWorkingDays,
        targetTolerancePoints, yellowCardGapPoints, redCardGapPoints, reminders, date);
  }

  /** Values for the {@code ${...}} placeholders of the SQL models. */
  Map<String, String> sqlParameters(LocalDate asOf) {
    return Map.ofEntries(
        Map.entry("full_day_minutes", Integer.toString(fullDayMinutes)),
        Map.entry("fill_grace_working_days", Integer.toString(fillGraceWorkingDays)),
        Map.entry("counted_statuses", countedStatuses.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "))),
        Map.entry("review_on_time_working_days", Integer.toString(reviewOnTimeWorkingDays)),
        Map.entry("target_tolerance_points", Integer.toString(targetTolerancePoints)),
        Map.entry("yellow_card_gap_points", Integer.toString(yellowCardGapPoints)),
        Map.entry("red_card_gap_points", Integer.toString(redCardGapPoints)),
        Map.entry("bell_days_before_deadline", Integer.toString(reminders.bellDaysBeforeDeadline())),
        Map.entry("yellow_card_days_overdue", Integer.toString(reminders.yellowCardDaysOverdue())),
        Map.entry("red_card_days_overdue", Integer.toString(reminders.redCardDaysOverdue())),
        Map.entry("red_card_on_yellow_count", Integer.toString(reminders.redCardOnYellowCount())),
        Map.entry("as_of_date", asOf.toString()));
  }
}
