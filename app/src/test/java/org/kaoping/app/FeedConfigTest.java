package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.KaopingConfig.ConfigException;
import org.kaoping.delivery.feed.FeedSettings;

/** The feed.* keys: defaults, bad values named, passwords never printed. */
class FeedConfigTest {
  @Test
  void defaultsDeliverQuartersAndYearsToTheHomeFolderOnly() {
    FeedSettings s = KaopingConfig.load(null, Map.of("home", "/tmp/kp")).feedSettings();
    assertEquals(Path.of("/tmp/kp/feed"), s.dropDir());
    assertEquals(List.of("QUARTER", "YEAR"), s.periodTypes());
    if (System.getenv("KAOPING_FEED_URL") == null) {
      assertNull(s.targetUrl());
    }
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    ConfigException types = assertThrows(ConfigException.class,
        () -> KaopingConfig.load(null, Map.of("feed.period-types", "QUARTER,WEEK")));
    assertTrue(types.getMessage().contains("feed.period-types") && types.getMessage().contains("WEEK"), types.getMessage());
    ConfigException url = assertThrows(ConfigException.class,
        () -> KaopingConfig.load(null, Map.of("feed.target-url", "postgres://db/cadre")));
    assertTrue(url.getMessage().contains("feed.target-url"), url.getMessage());
  }

  @Test
  void aPasswordInTheUrlIsNeverPrinted() {
    FeedSettings s = KaopingConfig.load(null, Map.of("feed.target-url", "jdbc:postgresql://db/cadre?user=a&password=s3cret",
        "feed.target-password", "other", "feed.period-types", "month")).feedSettings();
    assertFalse(s.targetDisplay().contains("s3cret"), s.targetDisplay());
    assertFalse(s.toString().contains("s3cret") || s.toString().contains("other"), s.toString());
    assertEquals(List.of("MONTH"), s.periodTypes());
  }
}
