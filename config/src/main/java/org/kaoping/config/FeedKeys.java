package org.kaoping.config;

import java.nio.file.Path;
import java.util.List;

import org.kaoping.delivery.feed.FeedSettings;
import org.kaoping.jobs.scoring.PeriodType;

/** Where and what the cadre-management feed delivers (docs/feed.md); environment variables stand in for unset keys. */
public final class FeedKeys {
  public static final ConfigArea AREA = new ConfigArea("feed");
  public static final ConfigKey<String> TARGET_URL = AREA.add(ConfigKey.text("feed.target-url", null,
      "JDBC URL of the feed's target database (or env KAOPING_FEED_URL); none: files only")
      .env("KAOPING_FEED_URL")
      .check(u -> u.startsWith("jdbc:"), "must be a JDBC URL like jdbc:postgresql://host:5432/cadre"));
  public static final ConfigKey<String> TARGET_USER = AREA.add(ConfigKey.text("feed.target-user", null,
      "User for feed.target-url (or env KAOPING_FEED_USER)").env("KAOPING_FEED_USER"));
  public static final ConfigKey<String> TARGET_PASSWORD = AREA.add(ConfigKey.text("feed.target-password", null,
      "Password for feed.target-url (better: env KAOPING_FEED_PASSWORD)").env("KAOPING_FEED_PASSWORD").secret());
  public static final ConfigKey<Path> DROP_DIR = AREA.add(ConfigKey.path("feed.drop-dir", null,
      "Directory of the feed's file drop (CSV, JSON Lines, manifest per period and version); default <home>/feed"));
  public static final ConfigKey<List<String>> PERIOD_TYPES = AREA.add(ConfigKey.choices("feed.period-types",
      PeriodType.names(), List.of("QUARTER", "YEAR"),
      "Period types the feed delivers by default: QUARTER, YEAR, MONTH, HALF, comma-separated"));

  private FeedKeys() {}

  public static FeedSettings bind(KaopingConfig config) {
    Path drop = config.get(DROP_DIR);
    List<String> types = config.get(PERIOD_TYPES);
    return new FeedSettings(config.get(TARGET_URL), config.get(TARGET_USER), config.get(TARGET_PASSWORD),
        drop != null ? drop : config.home().resolve("feed"), types == null ? List.of() : types);
  }
}
