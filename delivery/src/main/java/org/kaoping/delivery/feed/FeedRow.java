package org.kaoping.delivery.feed;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One row of the feed (schema {@value FeedSchema#VERSION}): one unit or person in one period, with its
 * score and every indicator's value and points. Decimals stay {@link BigDecimal} end to end.
 */
public record FeedRow(String level, long entityId, String entityName, Long unitId, String unitName,
    String rankingGroup, String periodType, String period, boolean complete, BigDecimal score,
    BigDecimal indicatorPoints, BigDecimal penaltyPoints, BigDecimal bonusPoints, String missingIndicators,
    String scoreNullReason, Integer rank, Integer groupSize, String grade, String gradeBeforeRules, String gradeRule,
    String consequences, List<Indicator> indicators) {

  /** One indicator's part of the score; value is the shortest decimal of the computed ratio. */
  public record Indicator(String indicator, BigDecimal value, BigDecimal weight, BigDecimal effectiveWeight,
      BigDecimal share, BigDecimal points) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The row's key within a period: level, entity and period type. */
  public String key() {
    return level + "|" + entityId + "|" + periodType + "|" + period;
  }

  /** The indicators as a JSON array of objects, decimals as strings (exact). */
  public String indicatorsJson() {
    List<Map<String, String>> out = new ArrayList<>();
    for (Indicator i : indicators) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("indicator", i.indicator());
      m.put("value", plain(i.value()));
      m.put("weight", plain(i.weight()));
      m.put("effective_weight", plain(i.effectiveWeight()));
      m.put("share", plain(i.share()));
      m.put("points", plain(i.points()));
      out.add(m);
    }
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String plain(BigDecimal d) {
    return d == null ? null : d.toPlainString();
  }
}
