package org.kaoping.delivery.reminder;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.kaoping.vocabulary.Labels;
import org.kaoping.vocabulary.Labels.Kind;

/**
 * One reminder as delivered: who (recipient, as whom), which item, which level, reached when, and why (mart.reminder's
 * row with the names readers need). Its identity is {@link #key()}: an item reaches each level once.
 */
public record Notification(String itemKind, long itemId, String level, LocalDate reachedOn, Long unitId, String unitName,
    String itemTitle, LocalDate deadline, Long recipientStaffId, String recipientName, String recipientRole,
    Long responsibleStaffId, String reason) {

  /** (item kind, item id, level): what is delivered once. */
  public String key() {
    return itemKind + "|" + itemId + "|" + level;
  }

  /** The line a recipient reads, e.g. 【黄牌】提醒局 王芳（分管领导）：督办事项《防汛检查》已超过办结时限（2025-04-10）1天仍未办结. */
  public String message() {
    return "【" + Labels.of(Kind.ESCALATION, level) + "】" + (unitName == null ? "" : unitName + " ")
        + (recipientName == null ? "（无人接收）" : recipientName) + "（" + Labels.of(Kind.RECIPIENT_ROLE, recipientRole)
        + "）：" + reason;
  }

  /** The columns of the target table and the files, in order (without the delivery's own). */
  public Map<String, Object> columns() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("item_kind", itemKind);
    m.put("item_id", itemId);
    m.put("level", level);
    m.put("level_label", Labels.of(Kind.ESCALATION, level));
    m.put("reached_on", reachedOn);
    m.put("unit_id", unitId);
    m.put("unit_name", unitName);
    m.put("item_title", itemTitle);
    m.put("deadline", deadline);
    m.put("recipient_staff_id", recipientStaffId);
    m.put("recipient_name", recipientName);
    m.put("recipient_role", recipientRole);
    m.put("recipient_role_label", Labels.of(Kind.RECIPIENT_ROLE, recipientRole));
    m.put("responsible_staff_id", responsibleStaffId);
    m.put("reason", reason);
    m.put("message", message());
    return m;
  }
}
