package org.kaoping.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class WorkingCalendarTest {
  private final WorkingCalendar calendar = WorkingCalendar.builtIn();

  @Test
  void officialSchedule2025HasTheAnnouncedWorkingDays() {
    // 261 weekdays − 18 holidays falling on weekdays + 5 make-up weekend days = 248, as announced
    assertEquals(248, calendar.workingDays(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)).size());
    assertFalse(calendar.isWorkingDay(LocalDate.of(2025, 10, 8)), "National Day holiday on a Wednesday");
    assertTrue(calendar.isWorkingDay(LocalDate.of(2025, 10, 11)), "make-up working Saturday");
    assertTrue(calendar.isWorkingDay(LocalDate.of(2025, 1, 26)), "make-up working Sunday");
    assertEquals(WorkingCalendar.DayKind.HOLIDAY, calendar.day(LocalDate.of(2025, 5, 1)).kind());
  }

  @Test
  void officialSchedule2026HasTheAnnouncedWorkingDays() {
    // 261 weekdays − 19 holidays on weekdays + 6 make-up weekend days = 248
    assertEquals(248, calendar.workingDays(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)).size());
    assertTrue(calendar.isWorkingDay(LocalDate.of(2026, 1, 4)), "make-up working Sunday after New Year");
    assertEquals(LocalDate.of(2026, 1, 4), calendar.plusWorkingDays(LocalDate.of(2025, 12, 31), 1));
  }

  @Test
  void plusWorkingDaysSkipsHolidaysAndWeekends() {
    assertEquals(LocalDate.of(2025, 10, 9), calendar.plusWorkingDays(LocalDate.of(2025, 9, 30), 1));
    assertEquals(LocalDate.of(2025, 10, 13), calendar.plusWorkingDays(LocalDate.of(2025, 10, 11), 1));
    assertEquals(LocalDate.of(2025, 10, 11), calendar.plusWorkingDays(LocalDate.of(2025, 10, 10), 1));
  }

  @Test
  void uncoveredYearsAreReported() {
    assertEquals(List.of(2024, 2027), calendar.uncoveredYears(2024, 2027));
  }

  @Test
  void malformedLineNamesTheLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkingCalendar.parse("year,2026\n2026-01-01,HOLIDAY,元旦\n2026-02-30,HOLIDAY,x\n", "my.csv"));
    assertTrue(e.getMessage().contains("my.csv line 3"), e.getMessage());
    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
        () -> WorkingCalendar.parse("2026-01-01,OFF,x\n", "my.csv"));
    assertTrue(kind.getMessage().contains("kind must be HOLIDAY or WORKDAY"), kind.getMessage());
  }
}
