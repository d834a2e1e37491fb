package org.kaoping.config;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.Function;
import java.util.function.Supplier;

import org.kaoping.jobs.MetricSettings;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.WorkingCalendar;

/** What the indicators and scores are computed with: the metric parameters, the working calendar, the scheme. */
public final class MetricKeys {
  public static final ConfigArea AREA = new ConfigArea("metrics");
  public static final ConfigKey<Integer> FULL_DAY_MINUTES = AREA.add(ConfigKey.integer("metrics.full-day-minutes",
      MetricSettings.FULL_DAY_MINUTES_DEFAULT, "Minutes of the 100 % working day"));
  public static final ConfigKey<Integer> FILL_GRACE = AREA.add(ConfigKey.integer("metrics.fill-grace-working-days",
      MetricSettings.FILL_GRACE_WORKING_DAYS_DEFAULT,
      "A day's log is filed on time if submitted by the end of this many working days after it"));
  public static final ConfigKey<java.util.List<String>> COUNTED_STATUSES = AREA.add(ConfigKey.list(
      "metrics.counted-statuses", MetricSettings.COUNTED_STATUSES_DEFAULT, "Log statuses whose minutes count"));
  public static final ConfigKey<Integer> REVIEW_ON_TIME = AREA.add(ConfigKey.integer("metrics.review-on-time-working-days",
      MetricSettings.REVIEW_ON_TIME_WORKING_DAYS_DEFAULT,
      "A review level is on time if it decides within this many working days"));
  public static final ConfigKey<Integer> TARGET_TOLERANCE = AREA.add(ConfigKey.integer("metrics.target-tolerance-points",
      MetricSettings.TARGET_TOLERANCE_POINTS_DEFAULT,
      "Target progress within this many percentage points of plan is on plan (GREEN)"));
  public static final ConfigKey<Integer> YELLOW_CARD = AREA.add(ConfigKey.integer("metrics.target-yellow-card-gap-points",
      MetricSettings.YELLOW_CARD_GAP_POINTS_DEFAULT, "Points behind plan that earn a yellow card"));
  public static final ConfigKey<Integer> RED_CARD = AREA.add(ConfigKey.integer("metrics.target-red-card-gap-points",
      MetricSettings.RED_CARD_GAP_POINTS_DEFAULT, "Points behind plan that earn a red card"));
  public static final ConfigKey<LocalDate> AS_OF_DATE = AREA.add(ConfigKey.date("metrics.as-of-date",
      "Date the data stands at (yyyy-MM-dd); default: the day of the latest work-log change"));
  public static final ConfigKey<Path> CALENDAR_FILE = AREA.add(ConfigKey.path("calendar.file", null,
      "Working-calendar exceptions file (see the built-in calendar-cn.csv); default: built-in"));
  public static final ConfigKey<Path> SCORING_SCHEME = AREA.add(ConfigKey.path("scoring.scheme-file", null,
      "Indicator scheme of the composite scores (YAML, see the built-in scoring-scheme.yaml); default: built-in"));

  private MetricKeys() {}

  /** The metric parameters; their ranges and order are {@link MetricSettings}'s to check. */
  public static MetricSettings bind(KaopingConfig config) {
    try {
      return new MetricSettings(config.get(FULL_DAY_MINUTES), config.get(FILL_GRACE), config.get(COUNTED_STATUSES),
          config.get(REVIEW_ON_TIME), config.get(TARGET_TOLERANCE), config.get(YELLOW_CARD), config.get(RED_CARD),
          ReminderKeys.rule(config), config.get(AS_OF_DATE));
    } catch (IllegalArgumentException e) {
      throw new KaopingConfig.ConfigException(e.getMessage() + " (" + config.origin() + ").");
    }
  }

  public static WorkingCalendar calendar(KaopingConfig config) {
    return fromFile(config, CALENDAR_FILE, WorkingCalendar::builtIn, WorkingCalendar::load);
  }

  public static ScoringScheme scoringScheme(KaopingConfig config) {
    return fromFile(config, SCORING_SCHEME, ScoringScheme::builtIn, ScoringScheme::load);
  }

  /** What the file of {@code key} holds, or the built-in one; a file it cannot read stops start-up naming the key. */
  private static <T> T fromFile(KaopingConfig config, ConfigKey<Path> key, Supplier<T> builtIn, Function<Path, T> load) {
    Path file = config.get(key);
    try {
      return file == null ? builtIn.get() : load.apply(file);
    } catch (IllegalArgumentException e) {
      throw new KaopingConfig.ConfigException(e.getMessage() + " (configuration key '" + key.name() + "').");
    }
  }
}
