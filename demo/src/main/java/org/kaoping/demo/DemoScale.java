package org.kaoping.demo;

/**
 * Size and seed of the demo world.
 *
 * @param seed  generator seed: the same seed and scale give the same world
 * @param units number of units (three quarters city units, the rest county and township)
 * @param year  the year of work logs (the built-in calendar covers 2025)
 */
public record DemoScale(long seed, int units, int year) {
  public static final long DEFAULT_SEED = 20250101L;
  public static final int DEFAULT_UNITS = 16;
  public static final int DEFAULT_YEAR = 2025;

  public DemoScale {
    if (units < 1 || units > 5000) {
      throw new IllegalArgumentException("demo units must be between 1 and 5000, was " + units);
    }
  }

  public static DemoScale defaults() {
    return new DemoScale(DEFAULT_SEED, DEFAULT_UNITS, DEFAULT_YEAR);
  }
}
