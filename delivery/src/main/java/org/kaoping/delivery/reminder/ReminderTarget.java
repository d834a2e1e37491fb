package org.kaoping.delivery.reminder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.kaoping.delivery.DatabaseFailure;
import org.kaoping.delivery.JdbcTarget;

/**
 * The reminders' JDBC target, the ledger of what was delivered (created when missing; see docs/feed.md#reminders):
 * <ul>
 *   <li>{@code reminder_notification}: every notification ever delivered, keyed by (item_kind, item_id, level), so an
 *   item reaches each level once however often, and however interrupted, deliveries run;</li>
 *   <li>{@code reminder_delivery}: one row per delivery that delivered something (its id, time, count, the snapshot of
 *   mart.reminder it read).</li>
 * </ul>
 * A delivery is one transaction: its notifications and its record commit together or not at all.
 */
final class ReminderTarget implements AutoCloseable {
  static final String NOTIFICATION_TABLE = "reminder_notification";
  static final String DELIVERY_TABLE = "reminder_delivery";
  private static final Map<String, String> COLUMNS = columns();

  private final Connection connection;
  private final String url;
  private final String user;

  private ReminderTarget(Connection connection, String url, String user) {
    this.connection = connection;
    this.url = url;
    this.user = user;
  }

  /**
   * Connects and creates the tables when missing, before anything is written.
   *
   * @throws ReminderException a sentence naming the configuration key and what to do
   */
  static ReminderTarget open(ReminderSettings settings) {
    Connection c;
    try {
      c = JdbcTarget.connect(settings.targetUrl(), settings.targetUser(), settings.targetPassword());
    } catch (SQLException e) {
      throw new ReminderException(DatabaseFailure.feedConnectSentence(e, settings.targetDisplay(), settings.targetUser()));
    }
    ReminderTarget t = new ReminderTarget(c, settings.targetDisplay(), settings.targetUser());
    try {
      t.ensureTables();
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private static Map<String, String> columns() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("item_kind", "VARCHAR(20) NOT NULL");
    m.put("item_id", "BIGINT NOT NULL");
    m.put("level", "VARCHAR(20) NOT NULL");
    m.put("level_label", "VARCHAR(20) NOT NULL");
    m.put("reached_on", "DATE NOT NULL");
    m.put("unit_id", "BIGINT");
    m.put("unit_name", "VARCHAR(200)");
    m.put("item_title", "VARCHAR(1000)");
    m.put("deadline", "DATE");
    m.put("recipient_staff_id", "BIGINT");
    m.put("recipient_name", "VARCHAR(200)");
    m.put("recipient_role", "VARCHAR(30) NOT NULL");
    m.put("recipient_role_label", "VARCHAR(30) NOT NULL");
    m.put("responsible_staff_id", "BIGINT");
    m.put("reason", "VARCHAR(2000) NOT NULL");
    m.put("message", "VARCHAR(2500) NOT NULL");
    m.put("delivery_id", "BIGINT NOT NULL");
    m.put("delivered_at", "TIMESTAMP WITH TIME ZONE NOT NULL");
    return m;
  }

  private void ensureTables() {
    try {
      Set<String> present = new HashSet<>();
      try (ResultSet rs = connection.getMetaData().getTables(null, null, "reminder_%", new String[] {"TABLE"})) {
        while (rs.next()) {
          present.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        }
      }
      if (present.contains(NOTIFICATION_TABLE) && present.contains(DELIVERY_TABLE)) {
        return;
      }
      if (present.contains(NOTIFICATION_TABLE) || present.contains(DELIVERY_TABLE)) {
        throw new ReminderException("The reminder target " + url + " holds only one of " + NOTIFICATION_TABLE + " and "
            + DELIVERY_TABLE + ", so Kaoping cannot tell what was delivered and will not write to it: restore the other"
            + " or point feed.target-url at another database. Nothing was delivered.");
      }
      List<String> defs = new ArrayList<>();
      COLUMNS.forEach((name, type) -> defs.add(name + " " + type));
      JdbcTarget.inTransaction(connection, () -> {
        try (Statement st = connection.createStatement()) {
          st.execute("CREATE TABLE " + DELIVERY_TABLE + " (delivery_id BIGINT NOT NULL PRIMARY KEY,"
              + " delivered_at TIMESTAMP WITH TIME ZONE NOT NULL, notifications INTEGER NOT NULL,"
              + " mart_snapshot_id BIGINT NOT NULL)");
          st.execute("CREATE TABLE " + NOTIFICATION_TABLE + " (" + String.join(", ", defs)
              + ", PRIMARY KEY (item_kind, item_id, level), FOREIGN KEY (delivery_id) REFERENCES " + DELIVERY_TABLE + ")");
        }
        return null;
      });
    } catch (SQLException e) {
      throw failure("prepare the reminder tables", e);
    }
  }

  /** The keys ({@link Notification#key()}) of every notification delivered so far. */
  Set<String> deliveredKeys() {
    Set<String> out = new HashSet<>();
    try (Statement st = connection.createStatement();
         ResultSet rs = st.executeQuery("SELECT item_kind, item_id, level FROM " + NOTIFICATION_TABLE)) {
      while (rs.next()) {
        out.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
      }
    } catch (SQLException e) {
      throw failure("read the delivered reminders", e);
    }
    return out;
  }

  /** A delivery recorded in the target. */
  record Delivery(long deliveryId, OffsetDateTime deliveredAt, int notifications) {}

  /** Every delivery, oldest first. */
  List<Delivery> deliveries() {
    List<Delivery> out = new ArrayList<>();
    try (Statement st = connection.createStatement();
         ResultSet rs = st.executeQuery("SELECT delivery_id, delivered_at, notifications FROM " + DELIVERY_TABLE
             + " ORDER BY delivery_id")) {
      while (rs.next()) {
        out.add(new Delivery(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getInt(3)));
      }
    } catch (SQLException e) {
      throw failure("read the reminder deliveries", e);
    }
    return out;
  }

  /** The notifications one delivery brought, in the order they were reached. */
  List<Notification> notifications(long deliveryId) {
    List<Notification> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM " + NOTIFICATION_TABLE
        + " WHERE delivery_id = ? ORDER BY reached_on, item_kind, item_id, CASE level WHEN 'BELL' THEN 1"
        + " WHEN 'YELLOW_CARD' THEN 2 ELSE 3 END")) {
      ps.setLong(1, deliveryId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Notification(rs.getString("item_kind"), rs.getLong("item_id"), rs.getString("level"),
              rs.getObject("reached_on", LocalDate.class), nullableLong(rs, "unit_id"), rs.getString("unit_name"),
              rs.getString("item_title"), rs.getObject("deadline", LocalDate.class), nullableLong(rs, "recipient_staff_id"),
              rs.getString("recipient_name"), rs.getString("recipient_role"), nullableLong(rs, "responsible_staff_id"),
              rs.getString("reason")));
        }
      }
    } catch (SQLException e) {
      throw failure("read delivery " + deliveryId, e);
    }
    return out;
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /**
   * Records {@code fresh} as the next delivery, in one transaction; its id is one more than the last.
   *
   * @throws ReminderException when the target refuses, e.g. a concurrent delivery recorded one of them first (nothing
   *     of this delivery is then recorded; the next run delivers what is still new)
   */
  Delivery record(List<Notification> fresh, OffsetDateTime at, long martSnapshotId) {
    try {
      connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      return JdbcTarget.inTransaction(connection, () -> {
        long id;
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(delivery_id), 0) + 1 FROM " + DELIVERY_TABLE)) {
          rs.next();
          id = rs.getLong(1);
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + DELIVERY_TABLE
            + " (delivery_id, delivered_at, notifications, mart_snapshot_id) VALUES (?, ?, ?, ?)")) {
          ps.setLong(1, id);
          ps.setTimestamp(2, Timestamp.from(at.toInstant()));
          ps.setInt(3, fresh.size());
          ps.setLong(4, martSnapshotId);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + NOTIFICATION_TABLE + " ("
            + String.join(", ", COLUMNS.keySet()) + ") VALUES (" + String.join(", ", COLUMNS.keySet().stream()
                .map(c -> "?").toList()) + ")")) {
          for (Notification n : fresh) {
            int i = 1;
            for (Object value : n.columns().values()) {
              JdbcTarget.bind(ps, i++, value);
            }
            ps.setLong(i++, id);
            ps.setTimestamp(i, Timestamp.from(at.toInstant()));
            ps.addBatch();
          }
          ps.executeBatch();
        }
        return new Delivery(id, at, fresh.size());
      });
    } catch (SQLException e) {
      throw failure("record the reminders", e);
    }
  }

  private ReminderException failure(String what, SQLException e) {
    return new ReminderException(DatabaseFailure.feedStatementSentence(e, what, url, user,
        "the tables " + NOTIFICATION_TABLE + " and " + DELIVERY_TABLE));
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // closing a broken connection: nothing left to do
    }
  }
}
