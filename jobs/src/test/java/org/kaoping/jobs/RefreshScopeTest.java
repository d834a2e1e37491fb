package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.kaoping.jobs.scoring.PeriodType;

/** Which months and periods an incremental build rewrites. */
class RefreshScopeTest {
  @Test
  void aChangedMonthBringsItsPeriods() {
    RefreshScope scope = RefreshScope.ofMonths(new TreeSet<>(List.of(YearMonth.of(2025, 11), YearMonth.of(2025, 12))));
    assertEquals(Map.of("MONTH", Set.of("2025-11", "2025-12"), "QUARTER", Set.of("2025-Q4"), "HALF", Set.of("2025-H2"),
        "YEAR", Set.of("2025")), scope.periodLabels());
    assertEquals(Map.of("MONTH", Set.of(), "QUARTER", Set.of(), "HALF", Set.of(), "YEAR", Set.of()),
        RefreshScope.ofMonths(new TreeSet<>()).periodLabels());
  }

  @Test
  void theAsOfDateChangesTheMonthsItCrossesAndThoseItCompletes() {
    // with a 2-day lag November is complete from 3 December: a move from the 2nd to the 3rd completes it
    assertEquals(new TreeSet<>(List.of(YearMonth.of(2025, 11), YearMonth.of(2025, 12))),
        RefreshScope.asOfMonths(LocalDate.of(2025, 12, 2), LocalDate.of(2025, 12, 3), 2));
    // a move inside December, long after November completed, still reaches back by the lag (harmless: recomputed alike)
    assertEquals(new TreeSet<>(List.of(YearMonth.of(2025, 12))),
        RefreshScope.asOfMonths(LocalDate.of(2025, 12, 10), LocalDate.of(2025, 12, 11), 2));
    assertEquals(new TreeSet<>(List.of(YearMonth.of(2025, 10), YearMonth.of(2025, 11), YearMonth.of(2025, 12))),
        RefreshScope.asOfMonths(LocalDate.of(2025, 11, 1), LocalDate.of(2025, 12, 1), 0));
    assertEquals(new TreeSet<>(), RefreshScope.asOfMonths(LocalDate.of(2025, 12, 3), LocalDate.of(2025, 12, 3), 2));
  }

  /**
   * A changed month rewrites its quarter, half-year and year, and every ISO week overlapping it: December 2024's run
   * from Monday 11-25 (2024-W48) to Monday 12-30, which is 2025-W01; March 2025's from Monday 02-24 (2025-W09) to
   * Monday 03-31 (2025-W14).
   */
  @Test
  void aMonthBringsItsPeriodsAndTheWeeksOverlappingIt() {
    TreeSet<YearMonth> months = new TreeSet<>(List.of(YearMonth.of(2024, 12), YearMonth.of(2025, 3)));
    assertEquals(List.of("2024-W48", "2024-W49", "2024-W50", "2024-W51", "2024-W52", "2025-W01", "2025-W09",
        "2025-W10", "2025-W11", "2025-W12", "2025-W13", "2025-W14"), List.copyOf(RefreshScope.ofMonths(months).weeks()));
    assertEquals(List.of("2025-03", "2025-Q1", "2025-H1", "2025"), java.util.Arrays.stream(PeriodType.values())
        .map(t -> t.label(YearMonth.of(2025, 3))).toList());
    assertEquals(List.of("2024-12", "2024-Q4", "2024-H2", "2024"), java.util.Arrays.stream(PeriodType.values())
        .map(t -> t.label(YearMonth.of(2024, 12))).toList());
  }
}
