package org.kaoping.dashboards.report;

import java.math.BigDecimal;

import org.kaoping.vocabulary.Labels;
import org.kaoping.vocabulary.Labels.Kind;

/** Chinese names of the published codes (from {@link Labels}, shared with the feed's sheet) and the report's number formats. */
final class Words {
  private Words() {}

  static String peerGroup(String code) {
    return Labels.of(Kind.PEER_GROUP, code);
  }

  static String grade(String code) {
    return code == null ? "—" : Labels.of(Kind.GRADE, code);
  }

  /** The grade cap that set a grade: 被诫勉，不得评为优秀. */
  static String gradeRule(String code) {
    return Labels.of(Kind.GRADE_RULE, code);
  }

  /** The consequences of a year's standing, comma-separated codes → 推荐优秀干部、书面整改报告; 无 for none. */
  static String consequences(String codes) {
    return codes == null ? "无" : java.util.Arrays.stream(codes.split(",")).map(c -> Labels.of(Kind.CONSEQUENCE, c))
        .collect(java.util.stream.Collectors.joining("、"));
  }

  /** A place in the peer group and a grade in one period: 末位、一般. */
  static String standing(String place, String grade) {
    return place == null ? grade(grade) : Labels.of(Kind.PLACE, place) + "、" + grade(grade);
  }

  static String indicator(String code) {
    return Labels.of(Kind.INDICATOR, code);
  }

  static String colour(String code) {
    return Labels.of(Kind.COLOUR, code);
  }

  static String escalation(String code) {
    return Labels.of(Kind.ESCALATION, code);
  }

  /** As whom a reminder's recipient receives it: 责任人, 分管领导, 主要领导. */
  static String recipientRole(String code) {
    return Labels.of(Kind.RECIPIENT_ROLE, code);
  }

  static String kind(String code) {
    return Labels.of(Kind.CATEGORY_KIND, code);
  }

  /** How a duty is claimed by more than one unit: 同类组内同名职能, 职责边界清单共有职能. */
  static String dutyOverlap(String code) {
    return Labels.of(Kind.DUTY_OVERLAP, code);
  }

  /** Minutes as hours with one decimal: 1050 → 17.5. */
  static String hours(double minutes) {
    return String.format("%.1f", minutes / 60);
  }

  /** 2025-Q3 → 2025年第三季度, 2025-H1 → 2025年上半年, 2025-09 → 2025年9月, 2025 → 2025年度. */
  static String period(String p) {
    if (p.matches("\\d{4}-Q[1-4]")) {
      return p.substring(0, 4) + "年第" + "一二三四".charAt(p.charAt(6) - '1') + "季度";
    }
    if (p.matches("\\d{4}-H[12]")) {
      return p.substring(0, 4) + "年" + (p.charAt(6) == '1' ? "上" : "下") + "半年";
    }
    if (p.matches("\\d{4}-\\d{2}")) {
      return p.substring(0, 4) + "年" + Integer.parseInt(p.substring(5)) + "月";
    }
    return p + "年度";
  }

  static String percent(Double ratio) {
    return ratio == null ? "—" : String.format("%.1f%%", ratio * 100);
  }

  static String decimal(BigDecimal d) {
    return d == null ? "—" : d.toPlainString();
  }

  static String signed(BigDecimal d) {
    return d == null ? "—" : d.signum() > 0 ? "+" + d.toPlainString() : d.toPlainString();
  }

  /** A rank change: positive means the unit moved up. */
  static String rankChange(Integer change) {
    if (change == null) {
      return "—";
    }
    return change > 0 ? "上升 " + change + " 位" : change < 0 ? "下降 " + (-change) + " 位" : "持平";
  }

  /** An effective weight with the digits it has (44.4444 after a redistribution), at least two. */
  static String weight(BigDecimal w) {
    BigDecimal plain = w.stripTrailingZeros();
    return plain.setScale(Math.max(2, plain.scale())).toPlainString();
  }
}
