package org.kaoping.dashboards.report;

import java.awt.Color;
import java.io.IOException;

import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/** Vector drawing on one page in the report's font: text, lines, dashed lines, filled rectangles, polylines. */
final class Canvas {
  private final PDPageContentStream cs;
  private final PDType0Font font;
  private final CjkFont cjk;

  Canvas(PDPageContentStream cs, PDType0Font font, CjkFont cjk) {
    this.cs = cs;
    this.font = font;
    this.cjk = cjk;
  }

  void text(String text, float x, float y, float size, Color color) throws IOException {
    cs.beginText();
    cs.setFont(font, size);
    cs.setNonStrokingColor(color);
    cs.newLineAtOffset(x, y);
    cs.showText(cjk.checked(text));
    cs.endText();
  }

  /** Text centred on x. */
  void centred(String text, float x, float y, float size, Color color) throws IOException {
    text(text, x - width(text, size) / 2, y, size, color);
  }

  float width(String text, float size) throws IOException {
    return font.getStringWidth(cjk.checked(text)) / 1000 * size;
  }

  void line(float x1, float y1, float x2, float y2, Color color, float width) throws IOException {
    cs.setStrokingColor(color);
    cs.setLineWidth(width);
    cs.setLineDashPattern(new float[0], 0);
    cs.moveTo(x1, y1);
    cs.lineTo(x2, y2);
    cs.stroke();
  }

  void dashed(float x1, float y1, float x2, float y2, Color color, float width) throws IOException {
    cs.setStrokingColor(color);
    cs.setLineWidth(width);
    cs.setLineDashPattern(new float[] {4, 3}, 0);
    cs.moveTo(x1, y1);
    cs.lineTo(x2, y2);
    cs.stroke();
    cs.setLineDashPattern(new float[0], 0);
  }

  void rect(float x, float y, float w, float h, Color fill) throws IOException {
    cs.setNonStrokingColor(fill);
    cs.addRect(x, y, w, h);
    cs.fill();
  }

  void polyline(float[] xs, float[] ys, Color color, float width) throws IOException {
    cs.setStrokingColor(color);
    cs.setLineWidth(width);
    cs.setLineDashPattern(new float[0], 0);
    cs.moveTo(xs[0], ys[0]);
    for (int i = 1; i < xs.length; i++) {
      cs.lineTo(xs[i], ys[i]);
    }
    cs.stroke();
  }

  void dot(float x, float y, float r, Color color) throws IOException {
    rect(x - r, y - r, 2 * r, 2 * r, color);
  }
}
