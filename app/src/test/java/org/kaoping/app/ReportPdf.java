package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.platform.DebianPackages;
import org.kaoping.vocabulary.Labels;

/** Reads a report PDF back as a reader would: poppler's text extraction, font list and page images. */
final class ReportPdf {
  static final Path PAGES = Path.of("target", "report-pages");
  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+\\.\\d{2}(?!\\d)");
  /** The rows of a score table: every indicator a scheme may weigh, by the name the report gives it. */
  private static final Set<String> INDICATORS = java.util.stream.Stream.concat(ScoringScheme.UNIT_INDICATORS.stream(),
      ScoringScheme.PERSON_INDICATORS.stream()).map(i -> Labels.of(Labels.Kind.INDICATOR, i)).collect(Collectors.toSet());

  private ReportPdf() {}

  static void ensureTools() {
    DebianPackages.ensure(List.of("poppler-utils"), System.out::println);
  }

  /** The text as pdftotext lays it out (table rows stay on one line). */
  static String text(Path pdf) throws Exception {
    return run("pdftotext", "-layout", "-enc", "UTF-8", pdf.toString(), "-");
  }

  /** One embedded CJK font and nothing else, and no replacement character in the text: no glyph fell back. */
  static void assertOnlyTheCjkFontEmbedded(Path pdf, String text) throws Exception {
    List<String> fonts = run("pdffonts", pdf.toString()).lines().skip(2).toList();
    assertEquals(1, fonts.size(), "fonts of " + pdf + ": " + fonts);
    assertTrue(fonts.get(0).contains("WenQuanYiZenHei") && fonts.get(0).contains("CID TrueType")
        && fonts.get(0).matches(".*\\byes\\s+yes\\s+yes\\b.*"), "embedded, subset, with a Unicode map: " + fonts.get(0));
    assertFalse(text.contains("\uFFFD"), "a character came out as U+FFFD in " + pdf);
  }

  /** The score table of a unit report: every indicator's points add up to the total, and total - penalty + bonus = score. */
  static BigDecimal assertPointsAddUp(String text) {
    String table = text.substring(text.indexOf("一、得分构成"), text.indexOf("二、工作量比率月度走势"));
    BigDecimal sum = BigDecimal.ZERO;
    int indicators = 0;
    BigDecimal total = null;
    BigDecimal penalty = null;
    BigDecimal bonus = null;
    BigDecimal score = null;
    for (String line : table.lines().map(String::strip).toList()) {
      String first = line.split("\\s+")[0];
      if (INDICATORS.contains(first)) {
        sum = sum.add(last(line));
        indicators++;
      } else if (first.equals("指标得分合计")) {
        total = last(line);
      } else if (first.startsWith("扣分")) {
        penalty = last(line).abs();
      } else if (first.equals("加分")) {
        bonus = last(line);
      } else if (first.equals("综合得分")) {
        score = last(line);
      }
    }
    assertTrue(indicators >= 3, "indicator rows in:\n" + table);
    assertEquals(total, sum, "indicator points add up to the total:\n" + table);
    assertEquals(score, total.subtract(penalty).add(bonus), "total - penalty + bonus = score:\n" + table);
    return score;
  }

  /** Keeps the first page as a PNG under target/report-pages. */
  static Path firstPage(Path pdf, String name) throws Exception {
    return page(pdf, 1, name);
  }

  /** Keeps page {@code number} (from 1) as a PNG under target/report-pages. */
  static Path page(Path pdf, int number, String name) throws Exception {
    Files.createDirectories(PAGES);
    Path prefix = PAGES.resolve(name);
    String n = Integer.toString(number);
    run("pdftoppm", "-png", "-r", "100", "-f", n, "-l", n, "-singlefile", pdf.toString(), prefix.toString());
    Path png = PAGES.resolve(name + ".png");
    assertTrue(Files.size(png) > 10_000, "a page image with content: " + png);
    return png;
  }

  private static BigDecimal last(String line) {
    Matcher m = NUMBER.matcher(line);
    BigDecimal v = null;
    while (m.find()) {
      v = new BigDecimal(m.group());
    }
    assertTrue(v != null, "a number in: " + line);
    return v;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + err);
    return out;
  }
}
