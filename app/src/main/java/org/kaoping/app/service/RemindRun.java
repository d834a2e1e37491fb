package org.kaoping.app.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.kaoping.delivery.reminder.ReminderDelivery;
import org.kaoping.delivery.reminder.ReminderSettings;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.warehouse.WarehouseLock;

/** Delivers the new reminders (三级提醒); to the demo's own {@code cadre} database when no target is configured. */
record RemindRun(RunContext context) implements RunJob {
  @Override
  public RunKind kind() {
    return RunKind.REMIND;
  }

  @Override
  public Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception {
    ReminderSettings settings = context.config().reminderSettings();
    EmbeddedSourceServer server = context.server();
    if (settings.targetUrl() == null && server != null && !context.config().sourcesConfigured()) {
      settings = settings.withTarget(server.ensureFeedDatabase(), EmbeddedSourceServer.USER, null);
    }
    try (WarehouseLock lock = context.awaitLock(WarehouseLock.Kind.REMIND, "kaoping serve: remind", progress)) {
      ReminderDelivery.Summary s = ReminderDelivery.deliver(context.warehouse(), settings, progress);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("deliveryId", s.deliveryId());
      result.put("delivered", s.delivered());
      result.put("reached", s.reached());
      result.put("filesWritten", s.filesWritten());
      return result;
    }
  }
}
