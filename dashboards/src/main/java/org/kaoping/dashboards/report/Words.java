package org.kaoping.dashboards.report;

import java.math.BigDecimal;
import java.util.Map;

/** Chinese names of the published codes (DOMAIN.md's vocabulary) and the report's number formats. */
final class Words {
  private static final Map<String, String> PEER_GROUPS = Map.of("CITY_GOVERNMENT", "市直政府部门", "CITY_PARTY", "市直党群部门",
      "COUNTY", "县（区）", "TOWNSHIP", "乡镇（街道）");
  private static final Map<String, String> GRADES = Map.of("EXCELLENT", "优秀", "GOOD", "良好", "ADEQUATE", "一般");
  private static final Map<String, String> INDICATORS = Map.of("workload_ratio", "工作量比率", "fill_rate", "填报率",
      "review_rate", "审阅率", "supervision_completion_rate", "督办事项完成率", "service_on_time_rate", "审批服务按时办结率",
      "reviewer_on_time_rate", "按时审阅率");
  private static final Map<String, String> COLOURS = Map.of("BLACK", "黑色（应启动未启动）", "RED", "红色（滞后）",
      "GREEN", "绿色（按计划）", "BLUE", "蓝色（超前）", "ORANGE", "橙色（已完成）");
  private static final Map<String, String> ESCALATIONS = Map.of("NONE", "—", "BELL", "警铃", "YELLOW_CARD", "黄牌",
      "RED_CARD", "红牌");

  private Words() {}

  static String peerGroup(String code) {
    return PEER_GROUPS.getOrDefault(code, code);
  }

  static String grade(String code) {
    return code == null ? "—" : GRADES.getOrDefault(code, code);
  }

  static String indicator(String code) {
    return INDICATORS.getOrDefault(code, code);
  }

  static String colour(String code) {
    return COLOURS.getOrDefault(code, code);
  }

  static String escalation(String code) {
    return ESCALATIONS.getOrDefault(code, code);
  }

  static String kind(String code) {
    return "COMMON".equals(code) ? "共性" : "INDIVIDUAL".equals(code) ? "个性" : code;
  }

  /** 2025-Q3 → 2025年第三季度, 2025-09 → 2025年9月, 2025 → 2025年度. */
  static String period(String p) {
    if (p.matches("\\d{4}-Q[1-4]")) {
      return p.substring(0, 4) + "年第" + "一二三四".charAt(p.charAt(6) - '1') + "季度";
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
