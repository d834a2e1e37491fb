package org.kaoping.jobs.scoring;

import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;

/**
 * The period types the marts compute ({@code mart.calendar_period}), in Java: their labels and the period before one.
 * Scores, refreshes, the feed's settings and the commands' period arguments take the types from here.
 */
public enum PeriodType {
  MONTH, QUARTER, HALF, YEAR;

  /** A label of any type: 2025-03, 2025-Q1, 2025-H1 or 2025. */
  public static final String LABEL_PATTERN = "\\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?";

  /** Every type's name, in this order: MONTH, QUARTER, HALF, YEAR. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }

  /** The type named {@code name}; refuses an unknown one with its name. */
  public static PeriodType of(String name) {
    return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown period type " + name));
  }

  /** The label of this type's period that holds {@code month}: 2025-03, 2025-Q1, 2025-H1, 2025. */
  public String label(YearMonth month) {
    int m = month.getMonthValue();
    return switch (this) {
      case MONTH -> month.toString();
      case QUARTER -> month.getYear() + "-Q" + ((m - 1) / 3 + 1);
      case HALF -> month.getYear() + "-H" + ((m - 1) / 6 + 1);
      case YEAR -> Integer.toString(month.getYear());
    };
  }

  /** The period before {@code period}: 2025-03 → 2025-02, 2025-Q1 → 2024-Q4, 2025-H1 → 2024-H2, 2025 → 2024. */
  public String previous(String period) {
    return switch (this) {
      case MONTH -> YearMonth.parse(period).minusMonths(1).toString();
      case QUARTER -> label(firstMonth(period, 'Q', 3).minusMonths(3));
      case HALF -> label(firstMonth(period, 'H', 6).minusMonths(6));
      case YEAR -> Integer.toString(Integer.parseInt(period) - 1);
    };
  }

  /** The period after {@code period}: 2025-12 → 2026-01, 2025-Q4 → 2026-Q1, 2025-H2 → 2026-H1, 2025 → 2026. */
  public String next(String period) {
    return switch (this) {
      case MONTH -> YearMonth.parse(period).plusMonths(1).toString();
      case QUARTER -> label(firstMonth(period, 'Q', 3).plusMonths(3));
      case HALF -> label(firstMonth(period, 'H', 6).plusMonths(6));
      case YEAR -> Integer.toString(Integer.parseInt(period) + 1);
    };
  }

  /** The first month of a quarter (2025-Q3, 'Q', 3) or half-year (2025-H2, 'H', 6). */
  private static YearMonth firstMonth(String period, char letter, int months) {
    if (period.length() != 7 || period.charAt(5) != letter) {
      throw new IllegalArgumentException("not a period label like 2025-" + letter + "1: '" + period + "'");
    }
    return YearMonth.of(Integer.parseInt(period.substring(0, 4)), (period.charAt(6) - '1') * months + 1);
  }
}
