package org.kaoping.delivery.reminder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.kaoping.delivery.SyncedFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reminders' file drop: {@code <drop>/d<N>/} per delivery N, holding {@code kaoping-reminders_d<N>.jsonl} (one
 * notification a line) and {@code kaoping-reminders_d<N>.csv} (UTF-8 with a byte-order mark, so Excel reads Chinese). A
 * delivery's directory is written whole under a temporary name and renamed in one atomic step: a reader sees all of it
 * or nothing. It is written from what the target recorded, so writing it again after a crash gives the same files.
 */
final class ReminderFiles {
  private static final ObjectMapper LINES = new ObjectMapper();

  private final Path root;

  ReminderFiles(Path root) {
    this.root = root;
  }

  Path deliveryDir(long deliveryId) {
    return root.resolve("d" + deliveryId);
  }

  boolean has(long deliveryId) {
    return Files.isDirectory(deliveryDir(deliveryId));
  }

  /** Writes delivery {@code deliveryId}'s notifications, atomically; an existing delivery directory is left as it is. */
  Path write(ReminderTarget.Delivery delivery, List<Notification> notifications) {
    Path target = deliveryDir(delivery.deliveryId());
    Path tmp = root.resolve(".tmp-d" + delivery.deliveryId() + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      String base = "kaoping-reminders_d" + delivery.deliveryId();
      SyncedFiles.write(tmp.resolve(base + ".jsonl"), jsonl(delivery, notifications));
      SyncedFiles.write(tmp.resolve(base + ".csv"), csv(delivery, notifications));
      SyncedFiles.syncDirectory(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IllegalStateException("Cannot move " + tmp + " to " + target + " in one step (" + e + "); the next"
            + " delivery writes it again.", e);
      }
      SyncedFiles.syncDirectory(root);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the reminders' drop " + tmp + ": " + e.getMessage()
          + ". Check reminders.drop-dir is writable; the notifications are recorded in the target and the next delivery"
          + " writes their files.", e);
    } finally {
      SyncedFiles.deleteQuietly(tmp);
    }
  }

  /** A notification as the files write it: its columns, then the delivery's id and time. */
  private static Map<String, Object> row(ReminderTarget.Delivery delivery, Notification n) {
    Map<String, Object> m = new LinkedHashMap<>(n.columns());
    m.put("delivery_id", delivery.deliveryId());
    m.put("delivered_at", delivery.deliveredAt().toString());
    return m;
  }

  /** JSON Lines: one object per notification; ids as numbers, dates and times as ISO text. */
  static byte[] jsonl(ReminderTarget.Delivery delivery, List<Notification> notifications) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Notification n : notifications) {
      ObjectNode o = LINES.createObjectNode();
      row(delivery, n).forEach((k, v) -> {
        if (v == null) {
          o.putNull(k);
        } else if (v instanceof Long l) {
          o.put(k, l);
        } else {
          o.put(k, v.toString());
        }
      });
      b.append(LINES.writeValueAsString(o)).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** CSV: UTF-8 with BOM, CRLF, a header; empty for null. A delivery holds at least one notification. */
  static byte[] csv(ReminderTarget.Delivery delivery, List<Notification> notifications) {
    StringBuilder b = new StringBuilder("\uFEFF");
    b.append(String.join(",", row(delivery, notifications.get(0)).keySet())).append("\r\n");
    for (Notification n : notifications) {
      b.append(String.join(",", row(delivery, n).values().stream().map(ReminderFiles::csvCell).toList())).append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String csvCell(Object v) {
    if (v == null) {
      return "";
    }
    String s = v.toString();
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
