package org.kaoping.jobs.scoring;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;

/**
 * A scoring curve: breakpoints (indicator value → share of the weight earned), linear between them
 * and flat beyond the first and last. Decimal throughout: the breakpoints are the scheme's digits.
 */
public record Curve(BigDecimal[] values, BigDecimal[] shares) implements Serializable {

  /** Builds a curve from {@code [[value, share], …]}; refuses overlapping or out-of-range points, naming {@code where}. */
  static Curve of(Object spec, String where) {
    if (!(spec instanceof List<?> points) || points.size() < 2) {
      throw new SchemeException(where + ": curve needs at least two points [value, share], e.g. [[0.7, 0], [1.0, 1]]");
    }
    BigDecimal[] values = new BigDecimal[points.size()];
    BigDecimal[] shares = new BigDecimal[points.size()];
    for (int i = 0; i < points.size(); i++) {
      if (!(points.get(i) instanceof List<?> p) || p.size() != 2 || !(p.get(0) instanceof Number)
          || !(p.get(1) instanceof Number)) {
        throw new SchemeException(where + ": curve point " + (i + 1) + " must be [value, share], was " + points.get(i));
      }
      values[i] = ScoringScheme.decimal((Number) p.get(0));
      shares[i] = ScoringScheme.decimal((Number) p.get(1));
      if (shares[i].signum() < 0 || shares[i].compareTo(BigDecimal.ONE) > 0) {
        throw new SchemeException(where + ": curve share " + shares[i] + " must be between 0 and 1");
      }
      if (i > 0 && values[i].compareTo(values[i - 1]) <= 0) {
        throw new SchemeException(where + ": curve values must increase strictly, but " + values[i - 1] + " is followed by "
            + values[i] + " (overlapping segments)");
      }
    }
    return new Curve(values, shares);
  }

  /** Share of the weight earned at {@code x}, to 34 significant digits. */
  public BigDecimal share(BigDecimal x) {
    return share(Ratio.of(x)).decimal();
  }

  /** Share of the weight earned at {@code x}, exactly. */
  public Ratio share(Ratio x) {
    if (x.compareTo(values[0]) <= 0) {
      return Ratio.of(shares[0]);
    }
    for (int i = 1; i < values.length; i++) {
      if (x.compareTo(values[i]) <= 0) {
        Ratio t = x.minus(Ratio.of(values[i - 1])).over(Ratio.of(values[i].subtract(values[i - 1])));
        return Ratio.of(shares[i - 1]).plus(t.times(Ratio.of(shares[i].subtract(shares[i - 1]))));
      }
    }
    return Ratio.of(shares[shares.length - 1]);
  }
}
