package org.kaoping.delivery.reminder;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Delivers the reminders the latest build reached (mart.reminder) that were never delivered: each (item, level) once,
 * so an escalation is a new notification and a repeated run with nothing new delivers nothing. The target database is
 * the ledger: the new notifications and their delivery are recorded in one transaction, then the delivery's files are
 * written to the drop from that record; any recorded delivery whose files are missing (a run stopped between the two)
 * has them written by the next run. A crash therefore neither loses nor repeats a notification.
 */
public final class ReminderDelivery {
  /**
   * A delivery's outcome.
   *
   * @param deliveryId   the new delivery, null when nothing was new
   * @param delivered    notifications delivered now, by level (BELL, YELLOW_CARD, RED_CARD)
   * @param reached      reminders mart.reminder holds
   * @param filesWritten deliveries whose files were written now (the new one, and any a stopped run left without)
   */
  public record Summary(Long deliveryId, Map<String, Integer> delivered, int reached, List<Long> filesWritten) {
    public int deliveredCount() {
      return delivered.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private ReminderDelivery() {}

  /** Where notifications go, for a reader to look: the target's notification table and the file drop. */
  public static String places(ReminderSettings settings) {
    return settings.targetDisplay() + " " + ReminderTarget.NOTIFICATION_TABLE + " and " + settings.dropDir();
  }

  /**
   * Delivers what is new since the last delivery.
   *
   * @throws ReminderException when no target is configured, it is unreachable or refuses, or nothing was built yet;
   *     nothing is delivered then
   */
  public static Summary deliver(WarehouseCatalog warehouse, ReminderSettings settings, Consumer<String> progress) {
    if (settings.targetUrl() == null) {
      throw new ReminderException("Reminders are delivered once each, and the target database records which: set"
          + " feed.target-url (the feed's target; or KAOPING_FEED_URL) to a database the notifications may go to. Nothing"
          + " was delivered.");
    }
    ReminderSource.Reached reached = ReminderSource.read(warehouse);
    ReminderFiles files = new ReminderFiles(settings.dropDir());
    try (ReminderTarget target = ReminderTarget.open(settings)) {
      Set<String> delivered = target.deliveredKeys();
      List<Notification> fresh = reached.notifications().stream().filter(n -> !delivered.contains(n.key())).toList();
      Map<String, Integer> byLevel = fresh.stream().collect(Collectors.groupingBy(Notification::level, TreeMap::new,
          Collectors.summingInt(n -> 1)));
      Long deliveryId = null;
      if (fresh.isEmpty()) {
        progress.accept("nothing new to deliver: the " + reached.notifications().size() + " reminder(s) reached were all"
            + " delivered before (" + settings.targetDisplay() + " " + ReminderTarget.NOTIFICATION_TABLE + ")");
      } else {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        deliveryId = target.record(fresh, now, reached.snapshotId()).deliveryId();
        progress.accept("delivery " + deliveryId + ": " + fresh.size() + " new notification(s) (" + byLevel.entrySet()
            .stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ") -> "
            + settings.targetDisplay() + " " + ReminderTarget.NOTIFICATION_TABLE);
      }
      List<Long> written = new ArrayList<>();
      for (ReminderTarget.Delivery d : target.deliveries()) {
        if (!files.has(d.deliveryId())) {
          String dir = files.write(d, target.notifications(d.deliveryId())).toString();
          written.add(d.deliveryId());
          progress.accept("delivery " + d.deliveryId() + ": " + d.notifications() + " notification(s) -> " + dir
              + (deliveryId != null && d.deliveryId() == deliveryId ? ""
                  : " (its files were missing: a delivery stopped after recording it)"));
        }
      }
      return new Summary(deliveryId, byLevel, reached.notifications().size(), written);
    }
  }
}
