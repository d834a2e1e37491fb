package org.kaoping.app;

import java.util.concurrent.Callable;

import org.kaoping.config.KaopingConfig;
import org.kaoping.config.cli.ConfigOptions;
import org.kaoping.delivery.reminder.ReminderDelivery;
import org.kaoping.delivery.reminder.ReminderException;
import org.kaoping.delivery.reminder.ReminderSettings;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "remind", mixinStandardHelpOptions = true,
    description = {"Deliver the new bells, yellow and red cards (三级提醒).",
        "Golmud's three-level reminders: an open supervised item or a target task falling behind rings the bell (警铃)",
        "for the person responsible, then a yellow card (黄牌) goes to the supervising leader (分管领导) and a red card",
        "(红牌) to the principal leader (主要领导). The latest build found them (mart.reminder: who, which item, which level,",
        "since when, why; the rule is the reminders.* configuration, see 'kaoping config').",
        "This delivers those never delivered, each item and level once: to table reminder_notification of the feed's",
        "target database (feed.target-url; default: database 'cadre' of the embedded server in <home>/sources) and as",
        "JSON Lines and CSV to <home>/reminders/d<N>/ (reminders.drop-dir), one directory per delivery, written whole or",
        "not at all. An escalation is a new notification; a run with nothing new delivers nothing and says so; a run",
        "stopped midway loses and repeats nothing (the next run finishes it). Exit 1 with the reason when nothing could",
        "be delivered. See docs/feed.md#reminders."})
final class RemindCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    ReminderSettings settings = config.reminderSettings();
    try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.REMIND, "kaoping remind")) {
      if (settings.targetUrl() != null || config.sourcesConfigured()) {
        return deliver(config, settings);
      }
      try (EmbeddedSourceServer server = EmbeddedSourceServer.start(config.home().resolve("sources"))) {
        return deliver(config, settings.withTarget(server.ensureFeedDatabase(), EmbeddedSourceServer.USER, null));
      }
    }
  }

  private static int deliver(KaopingConfig config, ReminderSettings settings) throws Exception {
    try (WarehouseCatalog warehouse = new Pipeline(config, System.out::println).openWarehouse()) {
      ReminderDelivery.Summary s = ReminderDelivery.deliver(warehouse, settings, System.out::println);
      System.out.println(s.deliveryId() == null ? "No new reminder (" + s.reached() + " reached, all delivered before)."
          : "Delivery " + s.deliveryId() + ": " + s.deliveredCount() + " new reminder(s) of " + s.reached() + " reached.");
      return 0;
    } catch (ReminderException e) {
      System.err.println("kaoping: " + e.getMessage());
      return 1;
    }
  }
}
