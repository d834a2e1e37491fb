package org.kaoping.dashboards.report;

import java.awt.Color;
import java.util.List;

/** The report's charts, drawn as vector paths (nothing rasterised, so they print sharp at any size). */
final class Charts {
  private static final Color LINE = new Color(0x1F, 0x4E, 0x79);
  private static final Color RED = new Color(0xC0, 0x39, 0x2B);
  private static final Color AMBER = new Color(0xD6, 0x8A, 0x00);
  private static final Color BAR = new Color(0x5B, 0x8D, 0xBE);

  private Charts() {}

  /** A month's printed value: its size and how far above its point it stands. */
  private static final float VALUE_SIZE = 6.5f;
  private static final float VALUE_RISE = 5;

  /** Monthly workload ratio (percent) with the 90 % and 100 % lines; a month without a ratio leaves a gap. */
  static PdfPages.Drawing workloadTrend(List<String> months, List<Double> percents) {
    return (c, x, y, w, h) -> {
      float left = x + 34;
      float bottom = y + 20;
      float plotW = w - 44;
      float plotH = h - 30;
      double max = Math.max(110, percents.stream().filter(p -> p != null).mapToDouble(Double::doubleValue).max().orElse(110) + 5);
      double min = Math.min(70, percents.stream().filter(p -> p != null).mapToDouble(Double::doubleValue).min().orElse(70) - 5);
      min = Math.floor(min / 10) * 10;
      max = Math.ceil(max / 10) * 10;
      for (double v = min; v <= max + 0.01; v += 10) {
        float gy = (float) (bottom + (v - min) / (max - min) * plotH);
        c.line(left, gy, left + plotW, gy, new Color(0xE4, 0xE4, 0xE4), 0.4f);
        String label = String.format("%.0f%%", v);
        c.text(label, left - 4 - c.width(label, 7), gy - 2.5f, 7, PdfPages.MUTED);
      }
      c.line(left, bottom, left, bottom + plotH, PdfPages.RULE, 0.6f);
      c.line(left, bottom, left + plotW, bottom, PdfPages.RULE, 0.6f);
      float y100 = (float) (bottom + (100 - min) / (max - min) * plotH);
      float y90 = (float) (bottom + (90 - min) / (max - min) * plotH);
      c.dashed(left, y100, left + plotW, y100, RED, 0.9f);
      c.dashed(left, y90, left + plotW, y90, AMBER, 0.9f);
      float step = plotW / Math.max(1, months.size());
      // each month's point (NaN without a ratio) and its printed value, placed once for the line, dots and labels
      float[] pxs = new float[months.size()];
      float[] pys = new float[months.size()];
      List<float[]> valueLabels = new java.util.ArrayList<>(); // x0, y0, x1, y1 of each month's printed value
      for (int i = 0; i < months.size(); i++) {
        Double p = percents.get(i);
        pxs[i] = left + step * (i + 0.5f);
        pys[i] = p == null ? Float.NaN : (float) (bottom + (p - min) / (max - min) * plotH);
        if (p != null) {
          float half = c.width(String.format("%.1f", p), VALUE_SIZE) / 2;
          valueLabels.add(new float[] {pxs[i] - half - 2, pys[i] - 3, pxs[i] + half + 2, pys[i] + VALUE_RISE + VALUE_SIZE});
        }
      }
      lineLabel(c, "100% 满负荷线", y100, left, plotW, RED, valueLabels);
      lineLabel(c, "90% 线", y90, left, plotW, AMBER, valueLabels);
      float[] xs = new float[months.size()];
      float[] ys = new float[months.size()];
      int n = 0;
      for (int i = 0; i < months.size(); i++) {
        c.centred(months.get(i), pxs[i], bottom - 11, 7, PdfPages.MUTED);
        if (Float.isNaN(pys[i])) {
          if (n > 1) {
            c.polyline(java.util.Arrays.copyOf(xs, n), java.util.Arrays.copyOf(ys, n), LINE, 1.4f);
          }
          n = 0;
          continue;
        }
        xs[n] = pxs[i];
        ys[n] = pys[i];
        n++;
      }
      if (n > 1) {
        c.polyline(java.util.Arrays.copyOf(xs, n), java.util.Arrays.copyOf(ys, n), LINE, 1.4f);
      }
      for (int i = 0; i < months.size(); i++) {
        if (!Float.isNaN(pys[i])) {
          c.dot(pxs[i], pys[i], 2, LINE);
          c.centred(String.format("%.1f", percents.get(i)), pxs[i], pys[i] + VALUE_RISE, VALUE_SIZE, PdfPages.INK);
        }
      }
    };
  }

  /**
   * A reference line's label where no month's value is printed: above the line at its right end, else at its left end,
   * else below it (a value printed on the label made "90.0" unreadable).
   */
  private static void lineLabel(Canvas c, String label, float lineY, float left, float plotW, Color color,
      List<float[]> valueLabels) throws java.io.IOException {
    float w = c.width(label, 7);
    float[][] candidates = {{left + plotW - w - 2, lineY + 3}, {left + 4, lineY + 3}, {left + plotW - w - 2, lineY - 9},
        {left + 4, lineY - 9}};
    for (float[] at : candidates) {
      boolean free = valueLabels.stream().noneMatch(v -> at[0] < v[2] && at[0] + w > v[0] && at[1] < v[3] && at[1] + 7 > v[1]);
      if (free) {
        c.text(label, at[0], at[1], 7, color);
        return;
      }
    }
    c.text(label, candidates[0][0], candidates[0][1], 7, color);
  }

  /** Horizontal bars, one per label, with the value printed after the bar; {@code max} is the full bar. */
  static PdfPages.Drawing bars(List<String> labels, List<Double> values, double max, String unit) {
    return (c, x, y, w, h) -> {
      float rowH = h / Math.max(1, labels.size());
      float labelW = 120;
      float barMax = w - labelW - 60;
      for (int i = 0; i < labels.size(); i++) {
        float top = y + h - i * rowH;
        c.text(labels.get(i), x, top - rowH + 3, 8, PdfPages.INK);
        float bw = (float) (values.get(i) / max * barMax);
        c.rect(x + labelW, top - rowH + 2, Math.max(0.5f, bw), rowH - 4, BAR);
        c.text(String.format("%.1f", values.get(i)) + unit, x + labelW + bw + 4, top - rowH + 3, 8, PdfPages.INK);
      }
    };
  }

  /** Vertical bars of counts (a distribution), with the count above each bar. */
  static PdfPages.Drawing histogram(List<String> labels, List<Integer> counts, List<Color> colours) {
    return (c, x, y, w, h) -> {
      float bottom = y + 16;
      float plotH = h - 30;
      int max = Math.max(1, counts.stream().mapToInt(Integer::intValue).max().orElse(1));
      float step = w / labels.size();
      c.line(x, bottom, x + w, bottom, PdfPages.RULE, 0.6f);
      for (int i = 0; i < labels.size(); i++) {
        float bh = plotH * counts.get(i) / max;
        float bx = x + step * i + step * 0.2f;
        c.rect(bx, bottom, step * 0.6f, Math.max(0.5f, bh), colours.get(i));
        c.centred(counts.get(i) + " 个", x + step * (i + 0.5f), bottom + bh + 3, 8, PdfPages.INK);
        c.centred(labels.get(i), x + step * (i + 0.5f), bottom - 11, 8, PdfPages.MUTED);
      }
    };
  }

  static Color red() {
    return RED;
  }

  static Color amber() {
    return AMBER;
  }

  static Color bar() {
    return BAR;
  }
}
