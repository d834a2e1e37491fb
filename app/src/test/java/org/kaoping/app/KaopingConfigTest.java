package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.kaoping.config.ConfigKey;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.KaopingConfig.ConfigException;
import org.kaoping.config.MaintenanceKeys;
import org.kaoping.config.ServiceSettings;
import org.kaoping.config.SourceSettings;
import org.kaoping.config.WarehouseSettings;

/** Keys declared once with their type: a wrongly typed value names the key, and every area binds its own settings. */
class KaopingConfigTest {
  @Test
  void aWronglyTypedValueNamesTheKeyAndWhatItTakes() {
    Map<String, String> wrong = Map.of(
        "metrics.full-day-minutes", "'metrics.full-day-minutes' must be a whole number, was 'seven hours' (defaults).",
        "metrics.as-of-date", "'metrics.as-of-date' must be a date like 2025-12-31, was '31.12.2025' (defaults).",
        "maintain.orphan-min-age-hours", "'maintain.orphan-min-age-hours' must be a whole number, was '3d' (defaults).",
        "feed.period-types", "'feed.period-types' must list some of MONTH, QUARTER, HALF, YEAR, comma-separated, was 'WEEK'",
        "service.port", "'service.port' must be a whole number, was 'eighty'");
    Map<String, String> values = Map.of("metrics.full-day-minutes", "seven hours", "metrics.as-of-date", "31.12.2025",
        "maintain.orphan-min-age-hours", "3d", "feed.period-types", "WEEK", "service.port", "eighty");
    wrong.forEach((key, sentence) -> {
      ConfigException e = assertThrows(ConfigException.class, () -> KaopingConfig.load(null, Map.of(key, values.get(key))));
      assertTrue(e.getMessage().contains("Configuration key " + sentence), key + ": " + e.getMessage());
    });
    ConfigException range = assertThrows(ConfigException.class,
        () -> KaopingConfig.load(null, Map.of("maintain.keep-snapshots", "0")));
    assertEquals("Configuration key 'maintain.keep-snapshots' must be at least 1, was 0 (defaults).", range.getMessage());
  }

  @Test
  void eachAreaBindsItsSettingsFromTheDeclarations() {
    KaopingConfig config = KaopingConfig.load(null, Map.of("home", "/tmp/kp", "maintain.orphan-min-age-hours", "48",
        "service.token", "0123456789abcdef0", "service.port", "9000", "sources", "worklog", "spark.sql.shuffle.partitions", "4"));
    assertEquals(Duration.ofHours(48), MaintenanceKeys.bind(config).orphanMinAge());
    assertEquals(new ServiceSettings("127.0.0.1", 9000, "0123456789abcdef0", 20), ServiceSettings.bind(config, null));
    assertEquals(List.of("worklog"), SourceSettings.bind(config).names());
    WarehouseSettings warehouse = WarehouseSettings.bind(config);
    assertEquals("/tmp/kp/warehouse", warehouse.catalogProperties().get("warehouse"));
    assertEquals(Map.of("spark.sql.shuffle.partitions", "4"), warehouse.sparkConf());
    assertEquals("local[*]", warehouse.sparkMaster());
  }

  @Test
  void everyKeyIsDeclaredOnceAndListedByKaopingConfig() {
    Set<String> names = new HashSet<>();
    KaopingConfig.keys().forEach(k -> assertTrue(names.add(k.name()), "declared twice: " + k));
    PrintStream was = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      exit = Kaoping.commandLine().execute("config", "--set", "serving.password=s3cret-writer",
          "--set", "warehouse.catalog.s3.secret-access-key=s3cret-key", "--set", "warehouse.catalog.jdbc.password=s3cret-catalog");
    } finally {
      System.setOut(was);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, text);
    for (ConfigKey<?> k : KaopingConfig.keys()) {
      assertTrue(text.contains(k.name() + " "), k + " listed:\n" + text);
    }
    assertTrue(text.contains("whole number; default: 8765"), text);
    assertFalse(text.contains("s3cret-writer"), "secrets hidden:\n" + text);
    assertFalse(text.contains("s3cret-key") || text.contains("s3cret-catalog"), "catalog secrets hidden:\n" + text);
    assertTrue(text.contains("s3.secret-access-key=***"), text);
  }
}
