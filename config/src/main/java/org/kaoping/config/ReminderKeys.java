package org.kaoping.config;

import java.nio.file.Path;

import org.kaoping.delivery.reminder.ReminderSettings;
import org.kaoping.jobs.ReminderRule;

/**
 * Golmud's three-level reminders (三级提醒): when items reach each level (mart.reminder) and where the notifications go
 * (the feed's target database, and a file drop of their own; docs/feed.md#reminders).
 */
public final class ReminderKeys {
  public static final ConfigArea AREA = new ConfigArea("reminders");
  public static final ConfigKey<Integer> BELL_DAYS = AREA.add(ConfigKey.integer("reminders.bell-days-before-deadline",
      ReminderRule.BELL_DAYS_BEFORE_DEADLINE_DEFAULT,
      "The bell (警铃) rings for an open supervised item this many calendar days before its deadline"));
  public static final ConfigKey<Integer> YELLOW_DAYS = AREA.add(ConfigKey.integer("reminders.yellow-card-days-overdue",
      ReminderRule.YELLOW_CARD_DAYS_OVERDUE_DEFAULT,
      "A yellow card (黄牌) once a supervised item is still open this many calendar days after its deadline"));
  public static final ConfigKey<Integer> RED_DAYS = AREA.add(ConfigKey.integer("reminders.red-card-days-overdue",
      ReminderRule.RED_CARD_DAYS_OVERDUE_DEFAULT,
      "A red card (红牌) once a supervised item is still open this many calendar days after its deadline"));
  public static final ConfigKey<Integer> RED_ON_YELLOW_COUNT = AREA.add(ConfigKey.integer(
      "reminders.red-card-on-yellow-count", ReminderRule.RED_CARD_ON_YELLOW_COUNT_DEFAULT,
      "A target task's Nth separate spell of yellow cards is a red card (0: never)"));
  public static final ConfigKey<Path> DROP_DIR = AREA.add(ConfigKey.path("reminders.drop-dir", null,
      "Directory of the reminders' file drop (a JSON Lines and a CSV file per delivery); default <home>/reminders"));

  private ReminderKeys() {}

  /** When items reach each level; the order of the days is {@link ReminderRule}'s to check. */
  public static ReminderRule rule(KaopingConfig config) {
    try {
      return new ReminderRule(config.get(BELL_DAYS), config.get(YELLOW_DAYS), config.get(RED_DAYS),
          config.get(RED_ON_YELLOW_COUNT));
    } catch (IllegalArgumentException e) {
      throw new KaopingConfig.ConfigException(e.getMessage() + " (" + config.origin() + ").");
    }
  }

  /** Where notifications go: the feed's target database (feed.target-*) and the reminders' drop. */
  public static ReminderSettings bind(KaopingConfig config) {
    Path drop = config.get(DROP_DIR);
    return new ReminderSettings(config.get(FeedKeys.TARGET_URL), config.get(FeedKeys.TARGET_USER),
        config.get(FeedKeys.TARGET_PASSWORD), drop != null ? drop : config.home().resolve("reminders"));
  }
}
