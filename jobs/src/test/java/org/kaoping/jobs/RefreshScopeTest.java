package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Which periods an incremental build rewrites: those of the changed months, and for the scores the ones after them. */
class RefreshScopeTest {
  @Test
  void aChangedMonthBringsItsPeriodsAndTheScoresTheNextOnes() {
    RefreshScope scope = RefreshScope.ofMonths(new TreeSet<>(List.of(YearMonth.of(2025, 11), YearMonth.of(2025, 12))));
    assertEquals(Map.of("MONTH", Set.of("2025-11", "2025-12"), "QUARTER", Set.of("2025-Q4"), "YEAR", Set.of("2025")),
        scope.periodLabels(false));
    // 2025-12 is followed by 2026-01, 2025-Q4 by 2026-Q1, 2025 by 2026; 2025-11's next month changed already
    assertEquals(Map.of("MONTH", Set.of("2025-11", "2025-12", "2026-01"), "QUARTER", Set.of("2025-Q4", "2026-Q1"),
        "YEAR", Set.of("2025", "2026")), scope.periodLabels(true));
  }

  @Test
  void noChangedMonthRewritesNothing() {
    RefreshScope scope = RefreshScope.ofMonths(new TreeSet<>());
    assertEquals(Map.of("MONTH", Set.of(), "QUARTER", Set.of(), "YEAR", Set.of()), scope.periodLabels(true));
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
