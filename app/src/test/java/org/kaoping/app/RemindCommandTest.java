package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.KaopingConfig.ConfigException;
import org.kaoping.jobs.ReminderRule;

/** The reminders.* keys and {@code kaoping remind} before anything was built (delivery itself: ReminderDeliveryTest). */
class RemindCommandTest {
  @TempDir Path home;

  @Test
  void theRuleDefaultsToGolmudsDaysAndRefusesLevelsOutOfOrderNamingTheKeys() {
    KaopingConfig config = KaopingConfig.load(null, Map.of("home", home.toString()));
    assertEquals(new ReminderRule(3, 1, 10, 2), config.metricSettings().reminders());
    assertEquals(home.resolve("reminders"), config.reminderSettings().dropDir());
    ConfigException order = assertThrows(ConfigException.class, () -> KaopingConfig.load(null,
        Map.of("reminders.yellow-card-days-overdue", "10", "reminders.red-card-days-overdue", "5")));
    assertTrue(order.getMessage().contains("reminders.yellow-card-days-overdue (10) < reminders.red-card-days-overdue (5)"),
        order.getMessage());
    ConfigException once = assertThrows(ConfigException.class, () -> KaopingConfig.load(null,
        Map.of("reminders.red-card-on-yellow-count", "1")));
    assertTrue(once.getMessage().contains("reminders.red-card-on-yellow-count"), once.getMessage());
  }

  @Test
  void withNothingBuiltTheCommandExitsOneSayingWhatToRunFirst() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Kaoping.commandLine().execute("remind", "--home", home.toString(),
          "--set", "feed.target-url=jdbc:postgresql://127.0.0.1:1/cadre");
    } finally {
      System.setErr(before);
    }
    assertEquals(1, exit);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("No mart.reminder in the warehouse yet: run 'kaoping build'"
        + " first"), err.toString(StandardCharsets.UTF_8));
  }
}
