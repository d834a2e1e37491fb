package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kaoping.config.KaopingConfig;

/**
 * On the demo data (a small world, captured, built and published by {@code kaoping demo}): the demo ends with the
 * latest complete quarter's reports, and each carries the published numbers of its unit.
 */
class DemoReportsTest {
  @Test
  void theDemoWritesAFolderOfReportsWithThePublishedNumbers() throws Exception {
    ReportPdf.ensureTools();
    Path dir = PublishedDemo.home();
    String out = PublishedDemo.output();
    Path reports = dir.resolve("reports").resolve("2025-Q3"); // the demo's data end on 2025-12-15
    assertTrue(out.contains("Evaluation reports (PDF): " + reports), out);
    List<String> files = Files.list(reports).map(p -> p.getFileName().toString()).sorted().toList();
    assertEquals(PublishedDemo.UNITS + 1, files.size(), files.toString());
    assertTrue(files.contains("2025-Q3_全市汇总.pdf"), files.toString());

    try (EmbeddedServing serving = EmbeddedServing.start(KaopingConfig.load(null, Map.of("home", dir.toString())));
         Connection c = java.sql.DriverManager.getConnection(serving.target().jdbcUrl(), serving.target().readerRole(), null);
         Statement s = c.createStatement()) {
      try (ResultSet u = s.executeQuery("SELECT u.unit_id, unit_name, score, rank_in_group, group_size, grade,"
          + " (SELECT entity_name FROM kaoping.metrics_by_period m WHERE m.level = 'SECTION' AND m.unit_id = u.unit_id"
          + "   AND m.period = u.period ORDER BY entity_id LIMIT 1),"
          + " (SELECT entity_name FROM kaoping.metrics_by_period m WHERE m.level = 'PERSON' AND m.unit_id = u.unit_id"
          + "   AND m.period = u.period ORDER BY entity_id DESC LIMIT 1)"
          + " FROM kaoping.unit_score_by_period u WHERE period = '2025-Q3' ORDER BY unit_id")) {
        int units = 0;
        int reminders = 0;
        while (u.next()) {
          units++;
          Path pdf = reports.resolve(String.format("2025-Q3_U%02d_%s.pdf", u.getLong(1), u.getString(2)));
          String text = ReportPdf.text(pdf);
          ReportPdf.assertOnlyTheCjkFontEmbedded(pdf, text);
          String flat = text.replaceAll("\\s+", "");
          String grade = switch (u.getString(6)) {
            case "EXCELLENT" -> "优秀";
            case "GOOD" -> "良好";
            default -> "一般";
          };
          for (String expected : List.of(u.getString(2) + "履职评估报告", u.getBigDecimal(3).toPlainString(),
              u.getInt(4) + "/" + u.getInt(5), grade, u.getString(7), u.getString(8))) {
            assertTrue(flat.contains(expected), pdf.getFileName() + " lacks '" + expected + "':\n" + text);
          }
          assertEquals(u.getBigDecimal(3), ReportPdf.assertPointsAddUp(text));
          assertHeaderOnEveryPageOfThePeopleTable(text);
          assertNoWordBrokenFromItsGloss(pdf, text);
          assertTrue(!text.contains("+0.00") && !text.contains("-0.00"), pdf.getFileName() + " signs a zero:\n" + text);
          assertDutiesAsPublished(c, u.getLong(1), u.getString(2), pdf, flat);
          reminders += assertRemindersAsPublished(c, u.getLong(1), pdf, flat);
          if (units == 1) {
            ReportPdf.firstPage(pdf, "demo-unit-report");
          }
        }
        assertEquals(PublishedDemo.UNITS, units);
        assertTrue(reminders > 0, "the demo's quarter reaches no reminder: the section was never shown with rows");
      }
      assertRemindersDelivered(dir, out, s);
    }
    Path summary = reports.resolve("2025-Q3_全市汇总.pdf");
    String city = ReportPdf.text(summary);
    ReportPdf.assertOnlyTheCjkFontEmbedded(summary, city);
    assertTrue(city.contains("各同类组排名") && city.contains("工作量比率分布"), city);
    ReportPdf.firstPage(summary, "demo-city-summary");
  }

  /**
   * 职能履行 as published: the unit's duties listed, with work and coverage in the quarter, and the duty of its register
   * no log serves in the demo (突发事件应急处置, the unit's as a whole) among the missing ones.
   */
  private static void assertDutiesAsPublished(Connection c, long unitId, String unitName, Path pdf, String flat)
      throws Exception {
    try (Statement s = c.createStatement(); ResultSet d = s.executeQuery("SELECT duties_listed, duties_with_work, coverage_rate"
        + " FROM kaoping.duty_coverage_by_period WHERE level = 'UNIT' AND entity_id = " + unitId + " AND period = '2025-Q3'")) {
      assertTrue(d.next(), "no duty coverage published for unit " + unitId);
      String expected = String.format("登记职能任务%d项，本期有工作记录的%d项，职能履行率%.1f%%", d.getLong(1), d.getLong(2),
          d.getDouble(3) * 100);
      assertTrue(flat.contains(expected), pdf.getFileName() + " lacks '" + expected + "':\n" + flat);
    }
    assertTrue(flat.contains(unitName + "突发事件应急处置（单位整体）"), pdf.getFileName() + " lacks its missing duty:\n" + flat);
  }

  /** 三级提醒 as published: the unit's reminders reached in the quarter, counted by level, or the sentence saying none. */
  private static int assertRemindersAsPublished(Connection c, long unitId, Path pdf, String flat) throws Exception {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*),"
        + " count(*) FILTER (WHERE level = 'BELL'), count(*) FILTER (WHERE level = 'YELLOW_CARD'),"
        + " count(*) FILTER (WHERE level = 'RED_CARD') FROM kaoping.reminder"
        + " WHERE unit_id = " + unitId + " AND reached_on BETWEEN DATE '2025-07-01' AND DATE '2025-09-30'")) {
      assertTrue(r.next());
      String expected = r.getInt(1) == 0 ? "本期督办事项和目标任务未触发警铃、黄牌或红牌提醒。"
          : String.format("本期发出提醒%d次：警铃%d次，黄牌%d次，红牌%d次。", r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4));
      assertTrue(flat.contains(expected), pdf.getFileName() + " lacks '" + expected + "':\n" + flat);
      return r.getInt(1);
    }
  }

  /** The demo delivered every reminder reached up to its as-of date, once, as files in its drop. */
  private static void assertRemindersDelivered(Path home, String out, Statement serving) throws Exception {
    Path drop = home.resolve("reminders").resolve("d1");
    assertTrue(out.contains("Reminders (三级提醒): ") && out.contains(drop.toString()), out);
    long lines;
    try (var l = Files.lines(drop.resolve("kaoping-reminders_d1.jsonl"))) {
      lines = l.count();
    }
    try (ResultSet r = serving.executeQuery("SELECT count(*) FROM kaoping.reminder")) {
      assertTrue(r.next());
      assertEquals(r.getLong(1), lines, "notifications delivered against reminders published");
    }
    assertTrue(out.contains("delivery 1: " + lines + " new notification(s)"), out);
  }

  /** No line of a paragraph ends inside a word's bracketed gloss ("橙色（" / "已完成）") or starts with closing punctuation. */
  private static void assertNoWordBrokenFromItsGloss(Path pdf, String text) {
    for (String line : text.lines().toList()) {
      assertTrue(!line.stripTrailing().endsWith("（") && !line.strip().matches("^[）」，。、；：].*"),
          pdf.getFileName() + " breaks a line inside a gloss or before punctuation: " + line);
    }
  }

  /** A page holding people rows ("3 / 21  name ...") also holds the table's header. */
  private static void assertHeaderOnEveryPageOfThePeopleTable(String text) {
    String[] pages = text.split("\f");
    for (int i = 0; i < pages.length; i++) {
      boolean rows = pages[i].lines().anyMatch(l -> l.matches("\\s*\\d+ / \\d+\\s+\\S+\\s+.*%.*"));
      if (rows) {
        assertTrue(pages[i].contains("贡献指数"), "page " + (i + 1) + " has people rows without the header:\n" + pages[i]);
      }
    }
  }
}
