package org.kaoping.jobs;

/**
 * Golmud's three-level reminders (三级提醒) as data: when an open supervised item reaches the bell (警铃), the yellow
 * card (黄牌) and the red card (红牌), in calendar days around its deadline, and after how many separate spells of yellow
 * cards a target task's next one is red. A target task's levels otherwise follow its warning escalation (the metrics'
 * yellow- and red-card gap points). mart.reminder states the rule; docs/feed.md#reminders says who receives what.
 *
 * @param bellDaysBeforeDeadline the bell rings this many days before the deadline (0: on the deadline day)
 * @param yellowCardDaysOverdue  a yellow card once the item is still open this many days after its deadline
 * @param redCardDaysOverdue     a red card once it is still open this many days after its deadline
 * @param redCardOnYellowCount   a target task's yellow card in its Nth separate spell of yellow cards is also a red card
 *                               (0: never)
 */
public record ReminderRule(int bellDaysBeforeDeadline, int yellowCardDaysOverdue, int redCardDaysOverdue,
    int redCardOnYellowCount) {
  public static final int BELL_DAYS_BEFORE_DEADLINE_DEFAULT = 3;
  public static final int YELLOW_CARD_DAYS_OVERDUE_DEFAULT = 1;
  public static final int RED_CARD_DAYS_OVERDUE_DEFAULT = 10;
  public static final int RED_CARD_ON_YELLOW_COUNT_DEFAULT = 2;

  public ReminderRule {
    if (bellDaysBeforeDeadline < 0 || bellDaysBeforeDeadline > 365) {
      throw new IllegalArgumentException("reminders.bell-days-before-deadline must be between 0 and 365, was "
          + bellDaysBeforeDeadline);
    }
    if (!(1 <= yellowCardDaysOverdue && yellowCardDaysOverdue < redCardDaysOverdue && redCardDaysOverdue <= 365)) {
      throw new IllegalArgumentException("1 <= reminders.yellow-card-days-overdue (" + yellowCardDaysOverdue
          + ") < reminders.red-card-days-overdue (" + redCardDaysOverdue + ") <= 365 must hold");
    }
    if (redCardOnYellowCount == 1 || redCardOnYellowCount < 0 || redCardOnYellowCount > 12) {
      throw new IllegalArgumentException("reminders.red-card-on-yellow-count must be 0 (never) or between 2 and 12, was "
          + redCardOnYellowCount);
    }
  }

  public static ReminderRule defaults() {
    return new ReminderRule(BELL_DAYS_BEFORE_DEADLINE_DEFAULT, YELLOW_CARD_DAYS_OVERDUE_DEFAULT,
        RED_CARD_DAYS_OVERDUE_DEFAULT, RED_CARD_ON_YELLOW_COUNT_DEFAULT);
  }
}
