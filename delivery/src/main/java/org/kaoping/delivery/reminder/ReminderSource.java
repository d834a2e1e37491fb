package org.kaoping.delivery.reminder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Reads the reminders the latest build reached (mart.reminder at its current snapshot, with the names of mart.dim_staff
 * and mart.dim_unit), with Iceberg's own reader: no Spark.
 */
final class ReminderSource {
  static final String REMINDERS = "mart.reminder";
  static final String STAFF = "mart.dim_staff";
  static final String UNITS = "mart.dim_unit";
  private static final Map<String, Integer> LEVEL_ORDER = Map.of("BELL", 1, "YELLOW_CARD", 2, "RED_CARD", 3);

  /** The reminders of one snapshot of mart.reminder, in the order they were reached. */
  record Reached(long snapshotId, List<Notification> notifications) {}

  private ReminderSource() {}

  static Reached read(WarehouseCatalog warehouse) {
    if (!warehouse.catalog().tableExists(TableIdentifier.parse(REMINDERS))) {
      throw new ReminderException("No " + REMINDERS + " in the warehouse yet: run 'kaoping build' first; the reminders"
          + " are what a build found reached. Nothing was delivered.");
    }
    Table reminders = warehouse.load(TableIdentifier.parse(REMINDERS));
    Snapshot snapshot = reminders.currentSnapshot();
    Map<Long, String> staff = names(warehouse, STAFF, "staff_id", "staff_name");
    Map<Long, String> units = names(warehouse, UNITS, "unit_id", "unit_name");
    List<Notification> out = new ArrayList<>();
    for (Record r : rows(reminders, snapshot)) {
      Long unit = (Long) r.getField("unit_id");
      Long recipient = (Long) r.getField("recipient_staff_id");
      out.add(new Notification((String) r.getField("item_kind"), (Long) r.getField("item_id"), (String) r.getField("level"),
          (LocalDate) r.getField("reached_on"), unit, units.get(unit), (String) r.getField("item_title"),
          (LocalDate) r.getField("deadline"), recipient, staff.get(recipient), (String) r.getField("recipient_role"),
          (Long) r.getField("responsible_staff_id"), (String) r.getField("reason")));
    }
    out.sort(Comparator.comparing(Notification::reachedOn).thenComparing(Notification::itemKind)
        .thenComparing(Notification::itemId).thenComparing(n -> LEVEL_ORDER.get(n.level())));
    return new Reached(snapshot == null ? 0 : snapshot.snapshotId(), out);
  }

  private static Map<Long, String> names(WarehouseCatalog warehouse, String table, String id, String name) {
    Map<Long, String> out = new HashMap<>();
    if (!warehouse.catalog().tableExists(TableIdentifier.parse(table))) {
      return out; // names are a courtesy: a notification without one still says who by id
    }
    Table t = warehouse.load(TableIdentifier.parse(table));
    for (Record r : rows(t, t.currentSnapshot())) {
      out.put((Long) r.getField(id), (String) r.getField(name));
    }
    return out;
  }

  private static List<Record> rows(Table table, Snapshot snapshot) {
    List<Record> out = new ArrayList<>();
    if (snapshot == null) {
      return out;
    }
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).build()) {
      for (Record r : it) {
        out.add(r.copy());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
