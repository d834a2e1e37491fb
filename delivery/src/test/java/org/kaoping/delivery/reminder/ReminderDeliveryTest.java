package org.kaoping.delivery.reminder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.jobs.SparkSessions;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Reminders reach a real PostgreSQL target and the file drop once each: a repeated run delivers nothing, an escalation is
 * a new notification, and a run stopped after recording a delivery but before its files has them written by the next,
 * the same bytes, with nothing recorded twice. The tests run in order, each on what the one before delivered.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReminderDeliveryTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static WarehouseCatalog warehouse;
  static EmbeddedSourceServer server;
  static ReminderSettings settings;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> catalog = Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString());
    spark = SparkSessions.create("local[1]", catalog, Map.of());
    warehouse = WarehouseCatalog.open(catalog);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS mart");
    spark.sql("CREATE TABLE mart.dim_unit USING iceberg AS SELECT 4L AS unit_id, '提醒局' AS unit_name");
    spark.sql("CREATE TABLE mart.dim_staff USING iceberg AS SELECT * FROM VALUES (402L, 'Deputy4'), (403L, 'Staff41')"
        + " AS t(staff_id, staff_name)");
    server = EmbeddedSourceServer.start(dir.resolve("pg"));
    settings = new ReminderSettings(server.ensureFeedDatabase(), EmbeddedSourceServer.USER, null, dir.resolve("drop"));
  }

  @AfterAll
  static void stop() throws Exception {
    spark.close();
    warehouse.close();
    server.close();
  }

  /** mart.reminder as a build would leave it: these (item kind, item id, level, reached on, recipient, role) rows. */
  private static void reached(String... rows) {
    spark.sql("CREATE OR REPLACE TABLE mart.reminder USING iceberg AS SELECT item_kind, item_id, 4L AS unit_id,"
        + " concat('事项', item_id) AS item_title, DATE '2025-04-10' AS deadline, level, level_rank,"
        + " CAST(reached_on AS DATE) AS reached_on, recipient_staff_id, recipient_role, 403L AS responsible_staff_id,"
        + " concat('理由', item_id, level) AS reason FROM VALUES " + String.join(", ", rows)
        + " AS t(item_kind, item_id, level, level_rank, reached_on, recipient_staff_id, recipient_role)");
  }

  private static List<String> recorded() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(settings.targetUrl(), EmbeddedSourceServer.USER, null);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT delivery_id, item_kind, item_id, level, recipient_staff_id, message FROM "
             + ReminderTarget.NOTIFICATION_TABLE + " ORDER BY delivery_id, item_kind, item_id, reached_on")) {
      while (rs.next()) {
        out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getLong(3) + " " + rs.getString(4) + " " + rs.getLong(5)
            + " " + rs.getString(6));
      }
    }
    return out;
  }

  private static List<String> lines(long delivery) throws Exception {
    return Files.readAllLines(dir.resolve("drop").resolve("d" + delivery).resolve("kaoping-reminders_d" + delivery + ".jsonl"),
        StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void theFirstRunDeliversEveryReachedReminderToTheTableAndTheDrop() throws Exception {
    reached("('SUPERVISION', 71L, 'BELL', 1, '2025-04-07', 403L, 'RESPONSIBLE')",
        "('TARGET_TASK', 82L, 'BELL', 1, '2025-03-31', 402L, 'RESPONSIBLE')");
    ReminderDelivery.Summary s = ReminderDelivery.deliver(warehouse, settings, System.out::println);
    assertEquals(1L, s.deliveryId());
    assertEquals(Map.of("BELL", 2), s.delivered());
    assertEquals(List.of(1L), s.filesWritten());
    assertEquals(List.of("1 SUPERVISION 71 BELL 403 【警铃】提醒局 Staff41（责任人）：理由71BELL",
        "1 TARGET_TASK 82 BELL 402 【警铃】提醒局 Deputy4（责任人）：理由82BELL"), recorded());
    List<String> lines = lines(1);
    assertEquals(2, lines.size());
    assertTrue(lines.get(0).contains("\"item_id\":82") && lines.get(0).contains("\"reached_on\":\"2025-03-31\""),
        "in the order they were reached: " + lines.get(0));
    assertTrue(Files.readString(dir.resolve("drop/d1/kaoping-reminders_d1.csv")).startsWith("\uFEFFitem_kind,item_id,level,"));
  }

  @Test
  @Order(2)
  void aRepeatedRunWithNothingNewDeliversNothingAndSaysSo() throws Exception {
    List<String> said = new ArrayList<>();
    ReminderDelivery.Summary s = ReminderDelivery.deliver(warehouse, settings, said::add);
    assertNull(s.deliveryId());
    assertEquals(0, s.deliveredCount());
    assertEquals(List.of(), s.filesWritten());
    assertTrue(said.get(0).startsWith("nothing new to deliver: the 2 reminder(s) reached were all delivered before"), said.toString());
    assertEquals(2, recorded().size());
    assertFalse(Files.exists(dir.resolve("drop/d2")));
  }

  @Test
  @Order(3)
  void anEscalationIsANewNotification() throws Exception {
    reached("('SUPERVISION', 71L, 'BELL', 1, '2025-04-07', 403L, 'RESPONSIBLE')",
        "('SUPERVISION', 71L, 'YELLOW_CARD', 2, '2025-04-11', 402L, 'SUPERVISING_LEADER')",
        "('TARGET_TASK', 82L, 'BELL', 1, '2025-03-31', 402L, 'RESPONSIBLE')");
    ReminderDelivery.Summary s = ReminderDelivery.deliver(warehouse, settings, System.out::println);
    assertEquals(2L, s.deliveryId());
    assertEquals(Map.of("YELLOW_CARD", 1), s.delivered());
    List<String> all = recorded();
    assertEquals(3, all.size());
    assertEquals("2 SUPERVISION 71 YELLOW_CARD 402 【黄牌】提醒局 Deputy4（分管领导）：理由71YELLOW_CARD", all.get(2));
    assertEquals(1, lines(2).size());
  }

  @Test
  @Order(4)
  void aDeliveryStoppedBeforeItsFilesHasThemWrittenByTheNextRunAndNothingTwice() throws Exception {
    Path d2 = dir.resolve("drop/d2/kaoping-reminders_d2.jsonl");
    byte[] before = Files.readAllBytes(d2);
    byte[] csvBefore = Files.readAllBytes(dir.resolve("drop/d2/kaoping-reminders_d2.csv"));
    Files.delete(d2); // as if the run had stopped after the target's commit, before the drop's rename
    Files.delete(dir.resolve("drop/d2/kaoping-reminders_d2.csv"));
    Files.delete(dir.resolve("drop/d2"));
    ReminderDelivery.Summary s = ReminderDelivery.deliver(warehouse, settings, System.out::println);
    assertNull(s.deliveryId(), "nothing new");
    assertEquals(List.of(2L), s.filesWritten());
    assertArrayEquals(before, Files.readAllBytes(d2), "the same notifications, the same bytes");
    assertArrayEquals(csvBefore, Files.readAllBytes(dir.resolve("drop/d2/kaoping-reminders_d2.csv")));
    assertEquals(3, recorded().size());
    try (var files = Files.list(dir.resolve("drop"))) {
      assertEquals(List.of("d1", "d2"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary left");
    }
  }

  @Test
  @Order(5)
  void withoutATargetNothingIsDeliveredAndTheKeyIsNamed() {
    ReminderException e = assertThrows(ReminderException.class, () -> ReminderDelivery.deliver(warehouse,
        settings.withTarget(null, null, null), System.out::println));
    assertTrue(e.getMessage().contains("feed.target-url"), e.getMessage());
  }
}
