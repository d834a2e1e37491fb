package org.kaoping.delivery.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.kaoping.vocabulary.Labels;
import org.kaoping.vocabulary.Labels.Kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One period of the feed as a workbook for people: a sheet of units and one of people, Chinese headers and labels,
 * one column per indicator (its points), scores and points as numbers shown with two decimals, the header row frozen.
 * The CSV and JSON Lines stay the machine formats; this sheet holds the same numbers.
 */
final class FeedSheet {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A column: its header and how a row's cell is read (a BigDecimal, a whole number or a text). */
  private record Column(String header, Function<SheetRow, Object> value) {}

  /** A feed row with its indicators' points read once from its indicators JSON. */
  private record SheetRow(Map<String, Object> fields, Map<String, BigDecimal> points) {
    Object get(String field) {
      return fields.get(field);
    }
  }

  private FeedSheet() {}

  /** The workbook's bytes. */
  static byte[] xlsx(FeedVersion v) {
    try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Styles styles = new Styles(book);
      for (String level : List.of("UNIT", "PERSON")) {
        List<SheetRow> rows = v.rows().stream().filter(r -> level.equals(r.get("level")))
            .map(r -> new SheetRow(r, points(r))).toList();
        if (!rows.isEmpty()) {
          write(book.createSheet(Labels.of(Kind.LEVEL, level)), columns(level, rows), rows, styles);
        }
      }
      book.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Sheet sheet, List<Column> columns, List<SheetRow> rows, Styles styles) {
    Row header = sheet.createRow(0);
    for (int c = 0; c < columns.size(); c++) {
      Cell cell = header.createCell(c);
      cell.setCellValue(columns.get(c).header());
      cell.setCellStyle(styles.header);
      sheet.setColumnWidth(c, Math.max(10, columns.get(c).header().length() * 2 + 4) * 256);
    }
    sheet.createFreezePane(0, 1);
    for (int r = 0; r < rows.size(); r++) {
      Row row = sheet.createRow(r + 1);
      for (int c = 0; c < columns.size(); c++) {
        Object value = columns.get(c).value().apply(rows.get(r));
        Cell cell = row.createCell(c);
        if (value instanceof BigDecimal d) {
          cell.setCellValue(d.doubleValue()); // two decimal places survive a double exactly enough to print and sum
          cell.setCellStyle(styles.decimal);
        } else if (value instanceof Number n) {
          cell.setCellValue(n.longValue());
        } else if (value != null) {
          cell.setCellValue(value.toString());
        }
      }
    }
  }

  /** The columns of a level's sheet: who, the score and its parts, one column per indicator the rows have, provenance. */
  private static List<Column> columns(String level, List<SheetRow> rows) {
    boolean units = level.equals("UNIT");
    List<Column> c = new ArrayList<>();
    c.add(new Column("考评期", r -> r.get("period")));
    c.add(new Column("期间类型", r -> Labels.of(Kind.PERIOD_TYPE, (String) r.get("period_type"))));
    c.add(new Column(units ? "单位编号" : "人员编号", r -> r.get("entity_id")));
    if (!units) {
      c.add(new Column("姓名", r -> r.get("entity_name")));
    }
    c.add(new Column("单位", r -> r.get("unit_name")));
    if (units) {
      c.add(new Column("同类组", r -> Labels.of(Kind.PEER_GROUP, (String) r.get("ranking_group"))));
    }
    c.add(new Column("综合得分", r -> r.get("score")));
    c.add(new Column("等次", r -> Labels.of(Kind.GRADE, (String) r.get("grade"))));
    if (units) {
      // the grade rules (诫勉, 追责) and their consequences are the units'
      c.add(new Column("得分对应等次", r -> Labels.of(Kind.GRADE, (String) r.get("grade_before_rules"))));
      c.add(new Column("等次规则", r -> Labels.of(Kind.GRADE_RULE, (String) r.get("grade_rule"))));
      c.add(new Column("结果运用", r -> consequences((String) r.get("consequences"))));
    }
    c.add(new Column(units ? "同类组内排名" : "单位内排名", r -> r.get("rank_in_group")));
    c.add(new Column("参评数", r -> r.get("group_size")));
    c.add(new Column("指标得分", r -> r.get("indicator_points")));
    c.add(new Column("扣分", r -> r.get("penalty_points")));
    c.add(new Column("加分", r -> r.get("bonus_points")));
    for (String indicator : indicators(rows)) {
      c.add(new Column(Labels.of(Kind.INDICATOR, indicator) + "得分", r -> r.points().get(indicator)));
    }
    c.add(new Column("缺失指标", r -> missing((String) r.get("missing_indicators"))));
    c.add(new Column("不计分原因", r -> Labels.of(Kind.SCORE_NULL_REASON, (String) r.get("score_null_reason"))));
    c.add(new Column("是否暂定", r -> Boolean.TRUE.equals(r.get("is_provisional")) ? "是（考评期未结束）" : "否"));
    c.add(new Column("评分方案", r -> r.get("scheme_name")));
    c.add(new Column("发布编号", r -> r.get("publication_id")));
    return c;
  }

  /** The consequences' labels, 、-separated; null for none. */
  private static String consequences(String codes) {
    return codes == null ? null : java.util.Arrays.stream(codes.split(",")).map(c -> Labels.of(Kind.CONSEQUENCE, c))
        .collect(java.util.stream.Collectors.joining("、"));
  }

  /** Every indicator the rows have, in the order they first appear. */
  private static Set<String> indicators(List<SheetRow> rows) {
    Set<String> out = new LinkedHashSet<>();
    rows.forEach(r -> out.addAll(r.points().keySet()));
    return out;
  }

  /** A row's indicator → points, from its indicators JSON. */
  private static Map<String, BigDecimal> points(Map<String, Object> row) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    try {
      for (JsonNode i : JSON.readTree((String) row.get("indicators"))) {
        JsonNode p = i.get("points");
        out.put(i.get("indicator").asText(), p == null || p.isNull() ? null : new BigDecimal(p.asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** "fill_rate,review_rate" → "填报率、审阅率". */
  private static String missing(String codes) {
    return codes == null ? null : Arrays.stream(codes.split(",")).map(String::strip)
        .map(code -> Labels.of(Kind.INDICATOR, code)).collect(Collectors.joining("、"));
  }

  /** The two cell styles: a bold header, and decimals shown with two places. */
  private static final class Styles {
    final CellStyle header;
    final CellStyle decimal;

    Styles(XSSFWorkbook book) {
      header = book.createCellStyle();
      Font bold = book.createFont();
      bold.setBold(true);
      header.setFont(bold);
      decimal = book.createCellStyle();
      decimal.setDataFormat(book.createDataFormat().getFormat("0.00"));
    }
  }
}
