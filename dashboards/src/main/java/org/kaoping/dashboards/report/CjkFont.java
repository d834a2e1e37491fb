package org.kaoping.dashboards.report;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.kaoping.platform.DebianPackages;

/**
 * The TrueType font a report is written in, embedded as a subset. Every string is checked against the font's
 * Unicode cmap before it is drawn, so a missing glyph stops the report with a sentence instead of printing a box.
 */
final class CjkFont implements Closeable {
  /** Debian's WenQuanYi Zen Hei: TrueType outlines (PDFBox cannot embed the CFF outlines of fonts-noto-cjk). */
  static final Path DEFAULT_FONT = Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc");
  static final String DEFAULT_FONT_PACKAGE = "fonts-wqy-zenhei";

  private final Path file;
  private final TrueTypeCollection collection;
  private final TrueTypeFont ttf;
  private final CmapLookup cmap;

  private CjkFont(Path file, TrueTypeCollection collection, TrueTypeFont ttf) throws IOException {
    if (!ttf.getTableMap().containsKey("glyf")) {
      throw new ReportException("report font " + file + " has CFF outlines (no glyf table), which PDFBox cannot embed;"
          + " set report.font to a TrueType font such as " + DEFAULT_FONT + " (Debian " + DEFAULT_FONT_PACKAGE + ")");
    }
    this.file = file;
    this.collection = collection;
    this.ttf = ttf;
    this.cmap = ttf.getUnicodeCmapLookup();
  }

  /** Opens {@code file} (a .ttf, or the first font of a .ttc); null: the default font, installed if missing. */
  static CjkFont open(Path file, Consumer<String> progress) throws IOException {
    if (file == null) {
      DebianPackages.ensure(List.of(DEFAULT_FONT_PACKAGE), progress);
      file = DEFAULT_FONT;
    }
    if (!Files.isRegularFile(file)) {
      throw new ReportException("report font " + file + " does not exist (configuration key report.font)");
    }
    try {
      if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ttc")) {
        TrueTypeCollection ttc = new TrueTypeCollection(file.toFile());
        TrueTypeFont[] first = new TrueTypeFont[1];
        ttc.processAllFonts(f -> {
          if (first[0] == null) {
            first[0] = f;
          }
        });
        try {
          return new CjkFont(file, ttc, first[0]);
        } catch (ReportException e) {
          ttc.close();
          throw e;
        }
      }
      TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBufferedFile(file.toFile()));
      try {
        return new CjkFont(file, null, ttf);
      } catch (ReportException e) {
        ttf.close();
        throw e;
      }
    } catch (IOException e) {
      throw new ReportException("report font " + file + " is not a TrueType font PDFBox can embed (" + e.getMessage()
          + "); set report.font to a .ttf or .ttc with TrueType outlines", e);
    }
  }

  /** A subset of this font, embedded in {@code doc}. */
  PDType0Font embedIn(PDDocument doc) throws IOException {
    return PDType0Font.load(doc, ttf, true);
  }

  /** Fails naming the first character of {@code text} that the font has no glyph for. */
  String checked(String text) {
    text.codePoints().filter(cp -> !Character.isWhitespace(cp) && cmapGlyph(cp) == 0).findFirst().ifPresent(cp -> {
      throw new ReportException("report font " + file + " has no glyph for '" + new String(Character.toChars(cp))
          + "' (U+" + String.format("%04X", cp) + ") in \"" + text + "\"; set report.font to a TrueType font that has it");
    });
    return text;
  }

  private int cmapGlyph(int cp) {
    return cmap.getGlyphId(cp);
  }

  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    if (collection != null) {
      collection.close();
    } else {
      ttf.close();
    }
  }
}
