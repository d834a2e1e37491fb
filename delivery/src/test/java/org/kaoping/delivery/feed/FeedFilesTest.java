package org.kaoping.delivery.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.delivery.serving.PublicationLog.Publication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Feed versions and the file drop without a warehouse: exact decimals, reasons, checksums, never rewriting. */
class FeedFilesTest {
  @TempDir Path drop;

  private static final OffsetDateTime AT = OffsetDateTime.of(2025, 10, 20, 8, 0, 0, 0, ZoneOffset.UTC);

  private static Publication publication(long id, String build, String schemeVersion) {
    return new Publication(id, build, AT, LocalDate.of(2025, 10, 31), "built-in", schemeVersion, "units: {}",
        Map.of("mart.unit_score_by_period", 7L), Map.of("worklog_work_log", 3L), Map.of(), Map.of(), null);
  }

  private static FeedRow unit(long id, String score, String points, boolean complete) {
    return new FeedRow("UNIT", id, "测试局", id, "测试局", "CITY_GOVERNMENT", "QUARTER", "2025-Q3", complete,
        score == null ? null : new BigDecimal(score), score == null ? null : new BigDecimal(score), new BigDecimal("0.00"),
        new BigDecimal("0.00"), null, score == null ? "none of the scheme's indicators is available" : null,
        score == null ? null : 1, 2, score == null ? null : "GOOD", score == null ? null : "EXCELLENT",
        score == null ? null : "admonition", score == null ? null : "promotion_recommendation,rectification_report",
        points == null ? List.of() : List.of(new FeedRow.Indicator("fill_rate", BigDecimal.valueOf(0.8333333333333334),
            new BigDecimal("20.00"), new BigDecimal("20.0000"), new BigDecimal("0.500000"), new BigDecimal(points))));
  }

  @Test
  void decimalsKeepTheirDigitsInCsvAndJsonLines() throws Exception {
    FeedVersion v = FeedVersion.content("2025-Q3", List.of(unit(1, "80.10", "1.40"), unit(2, null, null)),
        publication(1, "b1", "a".repeat(64)), "{\"worklog_work_log\":3}").after(null, AT);
    String csv = new String(FeedFiles.csv(v), StandardCharsets.UTF_8);
    assertTrue(csv.startsWith("\uFEFFfeed_version,period,period_type,level,entity_id,"), csv);
    assertTrue(csv.contains(",80.10,80.10,0.00,0.00,"), csv);
    assertTrue(csv.contains("\"\"points\"\":\"\"1.40\"\""), "indicators as JSON text in a quoted cell: " + csv);
    assertTrue(csv.contains("测试局"));
    List<String> lines = new String(FeedFiles.jsonl(v), StandardCharsets.UTF_8).lines().toList();
    assertEquals(2, lines.size());
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertEquals("80.10", first.get("score").asText());
    assertTrue(first.get("score").isTextual(), "decimals are strings, never binary floating point");
    assertEquals("1.40", first.get("indicators").get(0).get("points").asText());
    assertEquals("0.8333333333333334", first.get("indicators").get(0).get("value").asText());
    assertEquals(1, first.get("feed_version").asInt());
    assertTrue(new ObjectMapper().readTree(lines.get(1)).get("score").isNull());
  }

  @Test
  void aChangedPeriodIsANewVersionWithItsReasonAndTheOldOneStays() throws Exception {
    FeedFiles files = new FeedFiles(drop);
    FeedVersion v1 = FeedVersion.content("2025-Q3", List.of(unit(1, "80.10", "1.40"), unit(2, "70.00", "1.00")),
        publication(1, "build-one", "a".repeat(64)), "{}").after(null, AT);
    Path dir1 = files.write(v1, Map.of("mart.unit_score_by_period", 7L));
    assertEquals(List.of(1), files.versions("2025-Q3"));
    assertThrows(IllegalStateException.class, () -> files.write(v1, Map.of()), "a version is never rewritten");

    FeedVersion.Held held = files.latest("2025-Q3").orElseThrow();
    assertEquals(v1.contentSha256(), held.contentSha256());
    FeedVersion same = FeedVersion.content("2025-Q3", List.of(unit(2, "70.00", "1.00"), unit(1, "80.10", "1.40")),
        publication(2, "build-two", "a".repeat(64)), "{\"x\":1}");
    assertEquals(held.contentSha256(), same.contentSha256(), "a new publication of the same numbers is no change");

    FeedVersion changed = FeedVersion.content("2025-Q3", List.of(unit(1, "80.11", "1.41"), unit(3, "60.00", "1.00")),
        publication(2, "build-two", "b".repeat(64)), "{}");
    FeedVersion v2 = changed.after(held, AT.plusDays(1));
    assertEquals(2, v2.version());
    assertEquals(1, v2.rowsChanged());
    assertEquals(1, v2.rowsAdded());
    assertEquals(1, v2.rowsRemoved());
    assertTrue(v2.reason().startsWith("1 row(s) changed, 1 added, 1 removed: scheme changed (built-in aaaaaaaaaaaa"), v2.reason());
    assertTrue(v2.reason().contains("data changed (build build-on -> build-tw, publication 1 -> 2)"), v2.reason());

    Files.createDirectories(drop.resolve("2025-Q3").resolve(".tmp-v2-leftover")); // a crashed write is no version
    Path dir2 = files.write(v2, Map.of());
    assertEquals(List.of(1, 2), files.versions("2025-Q3"));
    assertTrue(Files.isRegularFile(dir1.resolve("kaoping-feed_2025-Q3_v1.csv")), "version 1 stays readable");
    JsonNode manifest = files.manifest("2025-Q3", 2);
    assertEquals(2, manifest.get("history").size());
    assertEquals(1, manifest.get("previous_version").asInt());
    for (JsonNode f : manifest.get("files")) {
      assertEquals(f.get("sha256").asText(), FeedVersion.sha256(Files.readAllBytes(dir2.resolve(f.get("name").asText()))));
    }
  }

  @Test
  void theSheetForPeopleHoldsTheCsvNumbersAsNumbersUnderChineseHeaders() throws Exception {
    FeedVersion v = FeedVersion.content("2025-Q3", List.of(unit(1, "80.10", "1.40"), unit(2, null, null)),
        publication(1, "b1", "a".repeat(64)), "{}").after(null, AT);
    Path dir = new FeedFiles(drop).write(v, Map.of());
    String base = "kaoping-feed_2025-Q3_v1";
    List<String> csv = Files.readAllLines(dir.resolve(base + ".csv"), StandardCharsets.UTF_8);
    List<String> names = List.of(csv.get(0).substring(1).split(","));
    List<String> first = List.of(csv.get(1).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1));
    JsonNode manifest = new FeedFiles(drop).manifest("2025-Q3", 1);
    assertTrue(manifest.get("files").findValuesAsText("name").contains(base + ".xlsx"), manifest.toString());

    try (XSSFWorkbook book = new XSSFWorkbook(Files.newInputStream(dir.resolve(base + ".xlsx")))) {
      Sheet units = book.getSheet("单位");
      List<String> headers = new java.util.ArrayList<>();
      units.getRow(0).forEach(c -> headers.add(c.getStringCellValue()));
      assertEquals(List.of("考评期", "期间类型", "单位编号", "单位", "同类组", "综合得分", "等次", "得分对应等次", "等次规则", "结果运用",
          "同类组内排名", "参评数", "指标得分",
          "扣分", "加分", "填报率得分", "缺失指标", "不计分原因", "是否暂定", "评分方案", "发布编号"), headers);
      assertEquals(1, units.getPaneInformation().getHorizontalSplitPosition(), "the header row is frozen");
      assertTrue(units.getPaneInformation().isFreezePane());

      Row row = units.getRow(1);
      Map<String, Cell> cells = new java.util.HashMap<>();
      for (int c = 0; c < headers.size(); c++) {
        cells.put(headers.get(c), row.getCell(c));
      }
      String csvScore = first.get(names.indexOf("score"));
      assertEquals(CellType.NUMERIC, cells.get("综合得分").getCellType(), "a score is a number");
      assertEquals(new BigDecimal(csvScore), BigDecimal.valueOf(cells.get("综合得分").getNumericCellValue()).setScale(2));
      assertEquals("0.00", cells.get("综合得分").getCellStyle().getDataFormatString(), "shown with two places");
      assertEquals(CellType.NUMERIC, cells.get("填报率得分").getCellType());
      assertEquals(new BigDecimal("1.40"), BigDecimal.valueOf(cells.get("填报率得分").getNumericCellValue()).setScale(2));
      assertEquals(Long.parseLong(first.get(names.indexOf("entity_id"))), (long) cells.get("单位编号").getNumericCellValue());
      assertEquals(Long.parseLong(first.get(names.indexOf("rank_in_group"))), (long) cells.get("同类组内排名").getNumericCellValue());
      assertEquals(first.get(names.indexOf("period")), cells.get("考评期").getStringCellValue());
      assertEquals(first.get(names.indexOf("unit_name")), cells.get("单位").getStringCellValue());
      assertEquals("GOOD", first.get(names.indexOf("grade")));
      assertEquals("良好", cells.get("等次").getStringCellValue(), "labels, not codes");
      assertEquals("市直政府部门", cells.get("同类组").getStringCellValue());
      assertEquals("季度", cells.get("期间类型").getStringCellValue());
      assertEquals("否", cells.get("是否暂定").getStringCellValue());
      // feed schema 2: the grade the score earned, the rule that capped it and the consequences, by their labels
      assertEquals(List.of("EXCELLENT", "admonition", "promotion_recommendation,rectification_report"), List.of(
          first.get(names.indexOf("grade_before_rules")), first.get(names.indexOf("grade_rule")),
          first.get(names.indexOf("consequences")).replace("\"", "")), "a list with a comma is quoted in the CSV");
      assertEquals(List.of("优秀", "被诫勉，不得评为优秀", "推荐优秀干部、书面整改报告"), List.of(cells.get("得分对应等次").getStringCellValue(),
          cells.get("等次规则").getStringCellValue(), cells.get("结果运用").getStringCellValue()));

      Row unscored = units.getRow(2);
      assertEquals(CellType.BLANK, unscored.getCell(headers.indexOf("综合得分")).getCellType(), "no score: an empty cell");
      assertEquals("方案中的指标均无数据，不计分", unscored.getCell(headers.indexOf("不计分原因")).getStringCellValue());
    }
  }

  @Test
  void aPeriodThatCompletesSaysSo() {
    FeedVersion provisional = FeedVersion.content("2025-Q3", List.of(unit(1, "80.10", "1.40", false)),
        publication(1, "b1", "a".repeat(64)), "{}").after(null, AT);
    assertTrue(provisional.provisional());
    assertTrue(provisional.rows().stream().allMatch(r -> Boolean.TRUE.equals(r.get("is_provisional"))));
    FeedVersion.Held held = new FeedVersion.Held(1, provisional.contentSha256(), provisional.rowShas(), "built-in",
        "a".repeat(64), "b1", 1, true, FeedSchema.VERSION);
    FeedVersion complete = FeedVersion.content("2025-Q3", List.of(unit(1, "80.10", "1.40", true)),
        publication(1, "b1", "a".repeat(64)), "{}").after(held, AT);
    assertEquals("1 row(s) changed, 0 added, 0 removed: the period is now complete", complete.reason());
  }

  /** A period first delivered in feed schema 1 gets a new version when delivered in 2, and its reason says so. */
  @Test
  void aNewFeedSchemaIsAReasonForANewVersion() {
    FeedVersion now = FeedVersion.content("2025-Q3", List.of(unit(1, "80.10", "1.40", true)),
        publication(1, "b1", "a".repeat(64)), "{}");
    FeedVersion.Held v1 = new FeedVersion.Held(1, "0".repeat(64), Map.of("UNIT|1|QUARTER|2025-Q3", "0".repeat(64)),
        "built-in", "a".repeat(64), "b1", 1, false, 1);
    assertEquals("1 row(s) changed, 0 added, 0 removed: feed schema 1 -> 2", now.after(v1, AT).reason());
  }

  private static FeedRow unit(long id, String score, String points) {
    return unit(id, score, points, true);
  }
}
