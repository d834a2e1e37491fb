package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kaoping.dashboards.report.ReportException;
import org.kaoping.dashboards.report.ReportGenerator;

/**
 * The evaluation reports on a hand-made serving database (resource report/serving-fixture.sql: two units, three
 * people, hand-computed scores), through {@code kaoping report} and read back with poppler.
 */
class ReportFixtureTest extends WithEmbeddedSources {
  private static String url;

  @BeforeAll
  static void fixture() throws Exception {
    ReportPdf.ensureTools();
    server.createDatabase("serving_fixture");
    url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/serving_fixture";
    String sql = new String(ReportFixtureTest.class.getClassLoader().getResourceAsStream("report/serving-fixture.sql")
        .readAllBytes(), StandardCharsets.UTF_8);
    try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void unitReportAndSummaryCarryTheHandComputedNumbers() throws Exception {
    Path out = dir.resolve("reports");
    long started = System.nanoTime();
    Run run = report("--period", "2025-Q3", "--out", out.toString());
    System.out.printf("fixture reports written in %.1f s%n", (System.nanoTime() - started) / 1e9);
    assertEquals(0, run.exit, run.err);
    Path unit = out.resolve("2025-Q3_U01_市农业农村局.pdf");
    Path summary = out.resolve("2025-Q3_全市汇总.pdf");
    assertTrue(run.out.contains("3 PDF(s) in " + out), run.out);
    assertEquals(List.of("2025-Q3_U01_市农业农村局.pdf", "2025-Q3_U02_市教育局.pdf", "2025-Q3_全市汇总.pdf"),
        Files.list(out).map(p -> p.getFileName().toString()).sorted().toList());

    String text = ReportPdf.text(unit);
    ReportPdf.assertOnlyTheCjkFontEmbedded(unit, text);
    for (String expected : List.of("市农业农村局履职评估报告", "2025年第三季度", "同类组：市直政府部门", "92.20", "1 / 2", "优秀",
        "+4.20 分", "上升 1 位", "办公室", "综合科", "张三", "李四", "王五", "88.50", "单位领导", "业务工作", "60.0%",
        "乡村振兴示范点建设", "红牌", "黄牌", "按时办结率 75.0%", "通报 1 次", "相当于 2.9 名全时人员", "实有人员 3 人，编制 4 名",
        "数据截至 2025-12-15", "发布批次 7", "unit_score_by_period 111", "数据完整", "评分方案 内置方案（默认）",
        "本期受理 10 件", "本期办结 8 件（含上期受理的）", "本期退回或转办 1 件", "期末超期未办结 1 件（含上期受理的）",
        "退回率", "本单位日志退回率 4.0%", "责任事项", "2/3", "按期完成数 / 本期到期（或提前完成）数",
        "八、三级提醒", "本期发出提醒 3 次：警铃 1 次，黄牌 1 次，红牌 1 次", "张三（责任人）", "钱七（分管领导）",
        "王五（主要领导）", "督办事项《农机补贴发放核查》已逾期1天仍未办结",
        "目标任务《乡村振兴示范点建设》2025年9月完成进度0%，落后计划（80%）80个百分点（计划2025-12-31完成）", "九、职能履行", "登记职能任务 6 项，本期有工作记录的 4 项，职能履行率 66.7%，职能缺失 2 项", "记入职能的工作量 210.0 小时",
        "平均每项职能 35.0 小时", "农业发展规划（单位整体）、会务保障（办公室）",
        "安全生产监督检查（同类组内同名职能，另见市教育局）", "乡村振兴统筹（职责边界清单共有职能，另见市教育局）", "十一、数据说明")) {
      assertTrue(squeeze(text).contains(squeeze(expected)), "unit report lacks '" + expected + "':\n" + text);
    }
    assertTrue(!text.contains("built-in"), "the scheme is named in Chinese:\n" + text);
    assertTrue(!text.contains("春耕物资储备核查") && !text.contains("校车安全检查"), "a reminder of another quarter or unit:\n" + text);
    assertEquals(new BigDecimal("92.20"), ReportPdf.assertPointsAddUp(text));

    String city = ReportPdf.text(summary);
    ReportPdf.assertOnlyTheCjkFontEmbedded(summary, city);
    for (String expected : List.of("全市履职评估汇总（2025年第三季度）", "市直政府部门（2 个单位）", "91.0%",
        "低于 90% 的单位（1 个）：市教育局 85.0%", "高于 100% 的单位（0 个）：无", "下降 1 位", "乡村振兴示范点建设")) {
      assertTrue(squeeze(city).contains(squeeze(expected)), "summary lacks '" + expected + "':\n" + city);
    }
    ReportPdf.firstPage(unit, "fixture-unit-report");
    ReportPdf.page(unit, 2, "fixture-unit-report-page2"); // 三级提醒's table with its wrapped reasons
    ReportPdf.firstPage(summary, "fixture-city-summary");
  }

  /**
   * Golmud's grade rules as the reports show them (fixture: unit 2 GOOD by its score, made ADEQUATE by an
   * accountability; in 2025 unit 1 first and EXCELLENT after 2024's EXCELLENT, unit 2 last and ADEQUATE again).
   */
  @Test
  void gradeRulesAndTheirConsequencesAreReported() throws Exception {
    Path out = dir.resolve("rules");
    assertEquals(0, report("--period", "2025-Q3", "--out", out.resolve("q3").toString()).exit);
    Run year = report("--period", "2025", "--out", out.resolve("year").toString());
    assertEquals(0, year.exit, year.err);
    String quarter = squeeze(ReportPdf.text(out.resolve("q3/2025-Q3_U02_市教育局.pdf")));
    assertTrue(quarter.contains(squeeze("等次规则：得分对应等次为良好；本期被追责，直接定为一般，等次定为一般。")), quarter);
    assertTrue(!quarter.contains("考核结果运用"), "a quarter carries no consequences:\n" + quarter);
    String quarterCity = squeeze(ReportPdf.text(out.resolve("q3/2025-Q3_全市汇总.pdf")));
    assertTrue(quarterCity.contains(squeeze("等次规则与考核结果运用（1 个单位）")) && quarterCity.contains("被追责，直接定为一般"),
        quarterCity);
    String last = squeeze(ReportPdf.text(out.resolve("year/2025_U02_市教育局.pdf")));
    assertTrue(last.contains(squeeze("考核结果运用：书面整改报告、降职、免职或责令辞职。上一年度为末位、一般，本年度为末位、一般。")), last);
    String first = squeeze(ReportPdf.text(out.resolve("year/2025_U01_市农业农村局.pdf")));
    assertTrue(first.contains(squeeze("考核结果运用：推荐优秀干部。上一年度为第一名、优秀，本年度为第一名、优秀。")), first);
    String yearCity = squeeze(ReportPdf.text(out.resolve("year/2025_全市汇总.pdf")));
    assertTrue(yearCity.contains(squeeze("等次规则与考核结果运用（2 个单位）")) && yearCity.contains("推荐优秀干部")
        && yearCity.contains("书面整改报告、降职、免职或责令辞职"), yearCity);
    ReportPdf.firstPage(out.resolve("q3/2025-Q3_U02_市教育局.pdf"), "fixture-unit-grade-rule");
    ReportPdf.firstPage(out.resolve("year/2025_U02_市教育局.pdf"), "fixture-unit-year-consequences");
    ReportPdf.firstPage(out.resolve("year/2025_全市汇总.pdf"), "fixture-city-year-consequences");
  }

  @Test
  void oneUnitOnlyAndAMonthOrYear() throws Exception {
    Run run = report("--period", "2025-Q3", "--unit", "2", "--out", dir.resolve("one").toString());
    assertEquals(0, run.exit, run.err);
    assertEquals(List.of("2025-Q3_U02_市教育局.pdf"), Files.list(dir.resolve("one")).map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void aPeriodWithoutScoresIsNamedWithThePublishedOnes() throws Exception {
    Run run = report("--period", "2025-Q2");
    assertEquals(1, run.exit);
    assertTrue(run.err.contains("period 2025-Q2 has no published scores; published periods: 2025, 2025-H1, 2025-Q3"), run.err);
    Run bad = report("--period", "2025-13");
    assertEquals(2, bad.exit);
    assertTrue(bad.err.contains("--period must be a quarter (2025-Q3), a half-year (2025-H1), a month (2025-09) or a year (2025)"), bad.err);
  }

  /** A half-year is asked for like a quarter, and titled in Chinese (fixture: 2025-H1, unit 1 90.00 first, unit 2 78.00). */
  @Test
  void aHalfYearsReports() throws Exception {
    Path out = dir.resolve("half");
    Run run = report("--period", "2025-H1", "--out", out.toString());
    assertEquals(0, run.exit, run.err);
    assertEquals(List.of("2025-H1_U01_市农业农村局.pdf", "2025-H1_U02_市教育局.pdf", "2025-H1_全市汇总.pdf"),
        Files.list(out).map(p -> p.getFileName().toString()).sorted().toList());
    String unit = ReportPdf.text(out.resolve("2025-H1_U01_市农业农村局.pdf"));
    for (String expected : List.of("市农业农村局履职评估报告", "2025年上半年", "90.00", "1 / 2", "优秀")) {
      assertTrue(squeeze(unit).contains(squeeze(expected)), "unit report lacks '" + expected + "':\n" + unit);
    }
    assertEquals(new BigDecimal("90.00"), ReportPdf.assertPointsAddUp(unit));
    assertTrue(squeeze(ReportPdf.text(out.resolve("2025-H1_全市汇总.pdf"))).contains("全市履职评估汇总（2025年上半年）"));
  }

  @Test
  void aCharacterTheFontLacksStopsTheReportWithASentence() throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE serving_glyph TEMPLATE serving_fixture");
    }
    String glyphUrl = "jdbc:postgresql://127.0.0.1:" + server.port() + "/serving_glyph";
    try (Connection c = DriverManager.getConnection(glyphUrl, "postgres", null); Statement s = c.createStatement()) {
      s.execute("UPDATE kaoping.unit_score_by_period SET unit_name = '市教育局\uD800\uDF48' WHERE unit_id = 2"); // U+10348 GOTHIC LETTER HWAIR
    }
    ReportException e = org.junit.jupiter.api.Assertions.assertThrows(ReportException.class, () -> ReportGenerator.generate(
        new ReportGenerator.ServingConnection(glyphUrl, "postgres", null), "2025-Q3", Optional.of(2L), dir.resolve("glyph"), null,
        line -> { }));
    assertTrue(e.getMessage().contains("has no glyph for '\uD800\uDF48' (U+10348)"), e.getMessage());
  }

  @Test
  void aFontThatCannotBeEmbeddedIsRefusedWithASentence() throws Exception {
    Run missing = report("--period", "2025-Q3", "--set", "report.font=" + dir.resolve("none.ttf"));
    assertEquals(2, missing.exit);
    assertTrue(missing.err.contains("Configuration key 'report.font' names " + dir.resolve("none.ttf") + ", which is not a file"),
        missing.err);
    Path notAFont = Files.writeString(dir.resolve("notes.ttf"), "not a font");
    Run bad = report("--period", "2025-Q3", "--set", "report.font=" + notAFont, "--out", dir.resolve("bad").toString());
    assertEquals(1, bad.exit);
    assertTrue(bad.err.contains("report font " + notAFont + " is not a TrueType font PDFBox can embed"), bad.err);
  }

  /** pdftotext spaces out some runs; compare without spaces. */
  private static String squeeze(String s) {
    return s.replaceAll("\\s+", "");
  }

  private record Run(int exit, String out, String err) {}

  private static Run report(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      String[] all = new String[args.length + 5];
      all[0] = "report";
      System.arraycopy(args, 0, all, 1, args.length);
      System.arraycopy(new String[] {"--home", dir.toString(), "--set", "serving.jdbc-url=" + url}, 0, all,
          args.length + 1, 4);
      exit = Kaoping.commandLine().execute(all);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    oldOut.println(run.out + run.err);
    return run;
  }
}
