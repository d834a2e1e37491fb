package org.kaoping.jobs.scoring;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * An exact quotient {@code numerator / denominator} of decimals (the denominator positive): an indicator
 * as counted, so points are rounded from the true value and a half cent is never misjudged.
 */
public record Ratio(BigDecimal numerator, BigDecimal denominator) implements Serializable {
  public Ratio {
    if (denominator.signum() <= 0) {
      throw new IllegalArgumentException("a ratio's denominator must be positive, was " + denominator);
    }
  }

  /** {@code numerator / denominator}, or null when there is nothing to divide by (the indicator is missing). */
  public static Ratio of(long numerator, long denominator) {
    return denominator <= 0 ? null : new Ratio(BigDecimal.valueOf(numerator), BigDecimal.valueOf(denominator));
  }

  /** {@code numerator / denominator} of decimals (a sum of scores), or null when there is nothing to divide by. */
  public static Ratio of(BigDecimal numerator, BigDecimal denominator) {
    return denominator.signum() <= 0 ? null : new Ratio(numerator, denominator);
  }

  /** A value known as a decimal: itself over one. */
  public static Ratio of(BigDecimal value) {
    return new Ratio(value, BigDecimal.ONE);
  }

  public Ratio plus(Ratio o) {
    return new Ratio(numerator.multiply(o.denominator).add(o.numerator.multiply(denominator)), denominator.multiply(o.denominator));
  }

  public Ratio minus(Ratio o) {
    return plus(new Ratio(o.numerator.negate(), o.denominator));
  }

  public Ratio times(Ratio o) {
    return new Ratio(numerator.multiply(o.numerator), denominator.multiply(o.denominator));
  }

  /** {@code this / o}; {@code o} must be positive. */
  public Ratio over(Ratio o) {
    return new Ratio(numerator.multiply(o.denominator), denominator.multiply(o.numerator));
  }

  public int compareTo(BigDecimal value) {
    return numerator.compareTo(value.multiply(denominator));
  }

  /** Rounded once from the exact quotient (BigDecimal divides with the true remainder). */
  public BigDecimal rounded(int scale, RoundingMode mode) {
    return numerator.divide(denominator, scale, mode);
  }

  /** To 34 significant digits, for display columns only. */
  public BigDecimal decimal() {
    return numerator.divide(denominator, MathContext.DECIMAL128);
  }

  /** As the SQL models compute it (the two sides as doubles, divided), for the value shown beside the points. */
  public double doubleValue() {
    return numerator.doubleValue() / denominator.doubleValue();
  }
}
