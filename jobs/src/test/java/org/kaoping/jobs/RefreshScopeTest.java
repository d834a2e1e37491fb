package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Which months and periods an incremental build rewrites. */
class RefreshScopeTest {
  @Test
  void aChangedMonthBringsItsPeriods() {
    RefreshScope scope = RefreshScope.ofMonths(new TreeSet<>(List.of(YearMonth.of(2025, 11), YearMonth.of(2025, 12))));
    assertEquals(Map.of("MONTH", Set.of("2025-11", "2025-12"), "QUARTER", Set.of("2025-Q4"), "YEAR", Set.of("2025")),
        scope.periodLabels());
    assertEquals(Map.of("MONTH", Set.of(), "QUARTER", Set.of(), "YEAR", Set.of()),
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
}
