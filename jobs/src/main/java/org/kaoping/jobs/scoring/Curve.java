package org.kaoping.jobs.scoring;

import java.util.List;

/**
 * A scoring curve: breakpoints (indicator value → share of the weight earned), linear between them
 * and flat beyond the first and last.
 */
public record Curve(double[] values, double[] shares) {

  /** Builds a curve from {@code [[value, share], …]}; refuses overlapping or out-of-range points, naming {@code where}. */
  static Curve of(Object spec, String where) {
    if (!(spec instanceof List<?> points) || points.size() < 2) {
      throw new SchemeException(where + ": curve needs at least two points [value, share], e.g. [[0.7, 0], [1.0, 1]]");
    }
    double[] values = new double[points.size()];
    double[] shares = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      if (!(points.get(i) instanceof List<?> p) || p.size() != 2 || !(p.get(0) instanceof Number)
          || !(p.get(1) instanceof Number)) {
        throw new SchemeException(where + ": curve point " + (i + 1) + " must be [value, share], was " + points.get(i));
      }
      values[i] = ((Number) p.get(0)).doubleValue();
      shares[i] = ((Number) p.get(1)).doubleValue();
      if (shares[i] < 0 || shares[i] > 1) {
        throw new SchemeException(where + ": curve share " + shares[i] + " must be between 0 and 1");
      }
      if (i > 0 && values[i] <= values[i - 1]) {
        throw new SchemeException(where + ": curve values must increase strictly, but " + values[i - 1] + " is followed by "
            + values[i] + " (overlapping segments)");
      }
    }
    return new Curve(values, shares);
  }

  /** Share of the weight earned at {@code x}. */
  public double share(double x) {
    if (x <= values[0]) {
      return shares[0];
    }
    for (int i = 1; i < values.length; i++) {
      if (x <= values[i]) {
        double t = (x - values[i - 1]) / (values[i] - values[i - 1]);
        return shares[i - 1] + t * (shares[i] - shares[i - 1]);
      }
    }
    return shares[shares.length - 1];
  }
}
