package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three-level reminders (三级提醒, mart.reminder) on the marts fixture plus unit 4 (reminders-fixture.sql), as of
 * 2025-04-30 with the default rule: bell 3 days before the deadline, yellow card 1 and red card 10 days after it; a
 * target task's card gaps 20 and 40 points, its second spell of yellow cards red. Principal4 (401) leads unit 4 until
 * 04-15, NewPrincipal (405) from 04-16; Deputy4 (402) supervises section 41 (Staff41, 403); section 42 (Staff42, 404) has
 * no supervising leader.
 */
class ReminderMartTest extends WithSpark {
  @BeforeAll
  static void buildMarts() throws Exception {
    MartsFixtureTest.buildOn("/marts-fixture.sql", "/reminders-fixture.sql");
  }

  /** Each reached level of an item of unit 4 as "level reached_on recipient role", by level. */
  private static List<String> levels(String kind, long item) {
    List<String> out = new ArrayList<>();
    for (Row r : spark.sql("SELECT level, reached_on, recipient_staff_id, recipient_role FROM mart.reminder WHERE item_kind = '"
        + kind + "' AND item_id = " + item + " ORDER BY level_rank").collectAsList()) {
      out.add(r.getString(0) + " " + r.get(1) + " " + r.get(2) + " " + r.getString(3));
    }
    return out;
  }

  private static String reason(String kind, long item, String level) {
    return MartsFixtureTest.one("SELECT reason FROM mart.reminder WHERE item_kind = '" + kind + "' AND item_id = " + item
        + " AND level = '" + level + "'").getString(0);
  }

  /**
   * 71, due 04-10 and still open: the bell on 04-07 to Staff41, the yellow card on 04-11 to her supervising leader, the
   * red card on 04-20 to the principal leader of that day (NewPrincipal since 04-16).
   */
  @Test
  void anOpenItemEscalatesFromTheResponsiblePersonToTheSupervisingThenThePrincipalLeader() {
    assertEquals(List.of("BELL 2025-04-07 403 RESPONSIBLE", "YELLOW_CARD 2025-04-11 402 SUPERVISING_LEADER",
        "RED_CARD 2025-04-20 405 PRINCIPAL_LEADER"), levels("SUPERVISION", 71));
    assertEquals("督办事项《防汛检查》2025-04-10到期，尚未办结", reason("SUPERVISION", 71, "BELL"));
    assertEquals("督办事项《防汛检查》已超过办结时限（2025-04-10）1天仍未办结", reason("SUPERVISION", 71, "YELLOW_CARD"));
    assertEquals("督办事项《防汛检查》已超过办结时限（2025-04-10）10天仍未办结", reason("SUPERVISION", 71, "RED_CARD"));
  }

  /**
   * 72, due 04-28, completed on 04-29: the bell (04-25) and the yellow card (04-29, the day it was completed: it was open
   * that morning); its red card would fall on 05-08, after the as-of date. 73, due 04-20, was completed on 04-16, before
   * its bell (04-17): nothing. 77 is cancelled; 78's bell rings on 06-27.
   */
  @Test
  void aLevelIsReachedOnlyWhileTheItemIsOpenAndByTheAsOfDate() {
    assertEquals(List.of("BELL 2025-04-25 403 RESPONSIBLE", "YELLOW_CARD 2025-04-29 402 SUPERVISING_LEADER"),
        levels("SUPERVISION", 72));
    assertEquals(List.of(), levels("SUPERVISION", 73));
    assertEquals(List.of(), levels("SUPERVISION", 77));
    assertEquals(List.of(), levels("SUPERVISION", 78));
  }

  /**
   * 74 is in section 42, which names no supervising leader: its yellow card (04-26) goes to the principal leader. 75 names
   * someone outside the unit: every level goes to the principal leader of its day (Principal4 up to 04-15, the red card's
   * day). 76 is the deputy's own, assigned on 04-28 a day before its deadline: the bell rings on 04-28 (not before it was
   * assigned), and the yellow card (04-30) is his too, as the supervising leader.
   */
  @Test
  void theRecipientsStandInWhenTheChainHasAGap() {
    assertEquals(List.of("BELL 2025-04-22 404 RESPONSIBLE", "YELLOW_CARD 2025-04-26 405 PRINCIPAL_LEADER"),
        levels("SUPERVISION", 74));
    assertEquals(List.of("BELL 2025-04-02 401 PRINCIPAL_LEADER", "YELLOW_CARD 2025-04-06 401 PRINCIPAL_LEADER",
        "RED_CARD 2025-04-15 401 PRINCIPAL_LEADER"), levels("SUPERVISION", 75));
    assertEquals(List.of("BELL 2025-04-28 402 RESPONSIBLE", "YELLOW_CARD 2025-04-30 402 SUPERVISING_LEADER"),
        levels("SUPERVISION", 76));
  }

  /**
   * Task 81 (Staff41's): February 30 planned, 8 reported, 22 behind: a yellow card (≥ 20), so the bell and the yellow card
   * both on 02-28; March 8 behind (a bell again); April 55 planned, still 32: 23 behind, its second spell of yellow cards,
   * so the red card on 04-30 (the as-of date, April's last day) to the principal leader.
   */
  @Test
  void aTargetTasksSecondYellowCardIsRed() {
    assertEquals(List.of("BELL 2025-02-28 403 RESPONSIBLE", "YELLOW_CARD 2025-02-28 402 SUPERVISING_LEADER",
        "RED_CARD 2025-04-30 405 PRINCIPAL_LEADER"), levels("TARGET_TASK", 81));
    assertEquals("目标任务《数字档案》2025年2月完成进度8%，落后计划（30%）22个百分点（计划2025-12-31完成）",
        reason("TARGET_TASK", 81, "YELLOW_CARD"));
    assertEquals("目标任务《数字档案》2025年4月第2次被亮黄牌（计划2025-12-31完成）", reason("TARGET_TASK", 81, "RED_CARD"));
  }

  /**
   * Task 82 (the deputy's) never started: March 20 behind, a yellow card, so the bell too (to him as responsible, the
   * yellow card to him as the supervising leader, 03-31); April 50 behind (≥ 40): the red card on 04-30.
   */
  @Test
  void aTargetTaskFallingBehindReachesEveryLevelUpToItsGap() {
    assertEquals(List.of("BELL 2025-03-31 402 RESPONSIBLE", "YELLOW_CARD 2025-03-31 402 SUPERVISING_LEADER",
        "RED_CARD 2025-04-30 405 PRINCIPAL_LEADER"), levels("TARGET_TASK", 82));
    assertEquals("目标任务《营商环境》2025年4月完成进度0%，落后计划（50%）50个百分点（计划2025-06-30完成）",
        reason("TARGET_TASK", 82, "RED_CARD"));
  }

  /** Unit 4 reached 12 levels of supervised items (71: 3, 72: 2, 74: 2, 75: 3, 76: 2) and 6 of target tasks. */
  @Test
  void everyReachedLevelIsOneRow() {
    assertEquals(List.of(12L, 6L), List.of(
        spark.sql("SELECT * FROM mart.reminder WHERE unit_id = 4 AND item_kind = 'SUPERVISION'").count(),
        spark.sql("SELECT * FROM mart.reminder WHERE unit_id = 4 AND item_kind = 'TARGET_TASK'").count()));
  }

  /** Unit 2 has no principal leader: 53's bell (03-28; its person is outside the unit) reaches no one, and says so. */
  @Test
  void aUnitWithoutAPrincipalLeaderLeavesTheRecipientEmpty() {
    assertEquals(List.of("BELL 2025-03-28 null PRINCIPAL_LEADER", "YELLOW_CARD 2025-04-01 null PRINCIPAL_LEADER",
        "RED_CARD 2025-04-10 null PRINCIPAL_LEADER"), levels("SUPERVISION", 53));
  }
}
