package org.kaoping.dashboards.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A flowing A4 document: headings, wrapped paragraphs, tables whose header repeats on every page they reach,
 * and boxes a chart draws into; page numbers are stamped when the document is saved.
 */
final class PdfPages implements AutoCloseable {
  static final float MARGIN = 50;
  static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
  private static final float TOP = PDRectangle.A4.getHeight() - MARGIN;
  private static final float BOTTOM = MARGIN + 20;
  static final Color INK = new Color(0x22, 0x22, 0x22);
  static final Color MUTED = new Color(0x66, 0x66, 0x66);
  static final Color RULE = new Color(0xBB, 0xBB, 0xBB);
  static final Color BAND = new Color(0xF0, 0xF3, 0xF7);
  static final Color ACCENT = new Color(0x1F, 0x4E, 0x79);

  /** A table column: title, share of the width, right-aligned (numbers) or not. */
  record Column(String title, float share, boolean right) {
    static Column text(String title, float share) {
      return new Column(title, share, false);
    }

    static Column number(String title, float share) {
      return new Column(title, share, true);
    }
  }

  /** Draws a chart into the box with lower-left corner (x, y). */
  interface Drawing {
    void draw(Canvas canvas, float x, float y, float width, float height) throws IOException;
  }

  private final PDDocument doc = new PDDocument();
  private final CjkFont cjk;
  private final PDType0Font font;
  private final String footer;
  private PDPageContentStream cs;
  private float y;

  PdfPages(CjkFont cjk, String title, String footer) throws IOException {
    this.cjk = cjk;
    this.font = cjk.embedIn(doc);
    this.footer = footer;
    PDDocumentInformation info = doc.getDocumentInformation();
    info.setTitle(title);
    info.setCreator("Kaoping");
    newPage();
  }

  void title(String text, String subtitle) throws IOException {
    canvas().text(text, MARGIN, y - 20, 20, ACCENT);
    y -= 30;
    canvas().text(subtitle, MARGIN, y - 11, 10.5f, MUTED);
    y -= 18;
    canvas().line(MARGIN, y, MARGIN + WIDTH, y, ACCENT, 1.2f);
    y -= 14;
  }

  /** A section heading, on a new page unless it and the first {@code keepWith} points of its content fit here. */
  void heading(String text, float keepWith) throws IOException {
    space(28 + Math.min(keepWith, 220));
    y -= 6;
    canvas().rect(MARGIN, y - 14, 3, 14, ACCENT);
    canvas().text(text, MARGIN + 8, y - 12, 13, ACCENT);
    y -= 22;
  }

  /** A paragraph wrapped at any character (Chinese has no spaces to break at). */
  void paragraph(String text, float size) throws IOException {
    float lead = size * 1.55f;
    for (String line : wrap(text, size, WIDTH)) {
      space(lead);
      canvas().text(line, MARGIN, y - size, size, INK);
      y -= lead;
    }
    y -= 4;
  }

  /** Big figures side by side: label above, value below. */
  void figures(List<String[]> labelValue) throws IOException {
    space(54);
    float w = WIDTH / labelValue.size();
    for (int i = 0; i < labelValue.size(); i++) {
      float x = MARGIN + i * w;
      canvas().rect(x + 2, y - 50, w - 4, 50, BAND);
      canvas().text(labelValue.get(i)[0], x + 10, y - 16, 9, MUTED);
      canvas().text(labelValue.get(i)[1], x + 10, y - 40, 16, INK);
    }
    y -= 60;
  }

  /** A table; a text cell too long for its column wraps onto more lines (its row grows), a number is never split. */
  void table(List<Column> columns, List<List<String>> rows) throws IOException {
    float size = 8.5f;
    float rowHeight = 15;
    float total = (float) columns.stream().mapToDouble(Column::share).sum();
    if (rows.isEmpty()) {
      paragraph("（无）", 9);
      return;
    }
    space(rowHeight * 3);
    header(columns, total, size, rowHeight);
    for (int r = 0; r < rows.size(); r++) {
      List<List<String>> lines = cellLines(columns, rows.get(r), total, size);
      float height = rowHeight + (lines.stream().mapToInt(List::size).max().orElse(1) - 1) * LINE;
      if (y - height < BOTTOM) {
        newPage();
        header(columns, total, size, rowHeight);
      }
      if (r % 2 == 1) {
        canvas().rect(MARGIN, y - height, WIDTH, height, BAND);
      }
      cells(columns, lines, total, size, rowHeight, INK);
      y -= height;
    }
    canvas().line(MARGIN, y, MARGIN + WIDTH, y, RULE, 0.6f);
    y -= 10;
  }

  /** Line step inside a wrapped table cell. */
  private static final float LINE = 11;

  private void header(List<Column> columns, float total, float size, float rowHeight) throws IOException {
    canvas().rect(MARGIN, y - rowHeight, WIDTH, rowHeight, ACCENT);
    List<List<String>> titles = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      titles.add(List.of(fit(columns.get(c).title(), size, WIDTH * columns.get(c).share() / total - 8)));
    }
    cells(columns, titles, total, size, rowHeight, Color.WHITE);
    y -= rowHeight;
  }

  /** Each cell's lines: text wrapped to its column, a number shortened to one line. */
  private List<List<String>> cellLines(List<Column> columns, List<String> values, float total, float size) {
    List<List<String>> out = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      float w = WIDTH * columns.get(c).share() / total - 8;
      out.add(columns.get(c).right() ? List.of(fit(values.get(c), size, w)) : wrap(values.get(c), size, w));
    }
    return out;
  }

  private void cells(List<Column> columns, List<List<String>> lines, float total, float size, float rowHeight, Color color)
      throws IOException {
    float x = MARGIN;
    for (int c = 0; c < columns.size(); c++) {
      float w = WIDTH * columns.get(c).share() / total;
      List<String> cell = lines.get(c);
      for (int l = 0; l < cell.size(); l++) {
        String v = cell.get(l);
        float tx = columns.get(c).right() ? x + w - 4 - textWidth(v, size) : x + 4;
        canvas().text(v, tx, y - rowHeight + 4.5f - l * LINE, size, color);
      }
      x += w;
    }
  }

  void drawing(float height, Drawing drawing) throws IOException {
    space(height);
    drawing.draw(canvas(), MARGIN, y - height, WIDTH, height);
    y -= height + 8;
  }

  /** Starts a new page unless {@code height} still fits on this one. */
  void space(float height) throws IOException {
    if (y - height < BOTTOM) {
      newPage();
    }
  }

  Canvas canvas() {
    return new Canvas(cs, font, cjk);
  }

  float textWidth(String text, float size) {
    try {
      return font.getStringWidth(cjk.checked(text)) / 1000 * size;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Breaks between Chinese characters, never inside a run of Latin letters, digits and signs ("92.9%"), nor inside a
   * short word with its bracketed gloss ("橙色（已完成）"), nor before closing punctuation (a line never starts with "，").
   */
  private List<String> wrap(String text, float size, float width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    java.util.regex.Matcher token = UNBREAKABLE.matcher(text);
    while (token.find()) {
      if (textWidth(line + token.group(), size) > width && line.length() > 0) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(token.group());
    }
    lines.add(line.toString());
    return lines;
  }

  /** What {@link #wrap} keeps on one line: a word and its gloss, a Latin run or a character, with the punctuation after it. */
  private static final java.util.regex.Pattern UNBREAKABLE = java.util.regex.Pattern.compile(
      "(?:\\p{IsHan}{0,4}（[^（）]{1,12}）|[\\x21-\\x7E]+|.)[，。、；：！？）」』]*");

  /** Shortens a cell that would overflow its column, marking the cut with an ellipsis. */
  private String fit(String text, float size, float width) {
    if (textWidth(text, size) <= width) {
      return text;
    }
    String t = text;
    while (!t.isEmpty() && textWidth(t + "…", size) > width) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "…";
  }

  private void newPage() throws IOException {
    if (cs != null) {
      cs.close();
    }
    PDPage page = new PDPage(PDRectangle.A4);
    doc.addPage(page);
    cs = new PDPageContentStream(doc, page);
    y = TOP;
  }

  /** Stamps "page n of m" and the footer on every page, then writes the file (replacing it whole). */
  void save(Path file) throws IOException {
    cs.close();
    cs = null;
    int pages = doc.getNumberOfPages();
    for (int i = 0; i < pages; i++) {
      try (PDPageContentStream s = new PDPageContentStream(doc, doc.getPage(i), AppendMode.APPEND, true, true)) {
        Canvas c = new Canvas(s, font, cjk);
        c.line(MARGIN, MARGIN + 8, MARGIN + WIDTH, MARGIN + 8, RULE, 0.5f);
        c.text(footer, MARGIN, MARGIN - 4, 8, MUTED);
        String n = "第 " + (i + 1) + " 页 / 共 " + pages + " 页";
        c.text(n, MARGIN + WIDTH - textWidth(n, 8), MARGIN - 4, 8, MUTED);
      }
    }
    // written beside and moved in place: a reader never opens a half-written report, a rerun replaces it whole
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    doc.save(partial.toFile());
    java.nio.file.Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() throws IOException {
    if (cs != null) {
      cs.close();
    }
    doc.close();
  }
}
