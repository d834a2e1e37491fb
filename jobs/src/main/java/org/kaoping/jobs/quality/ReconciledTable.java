package org.kaoping.jobs.quality;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A source table that {@code kaoping reconcile} checks, and the staging table it lands in: the canonical columns
 * (source name → staging name, key columns first) whose values both sides must agree on. The national ID is
 * not among them: it is never read.
 *
 * @param presentIf staging column that is non-null exactly when the staging row holds this source table's row
 *                  (two source tables share staging.target_task_month), or null
 */
public record ReconciledTable(String sourceTable, String stagingTable, int keyColumns, List<Map.Entry<String, String>> columns,
    String presentIf) {

  public static final List<ReconciledTable> ALL = List.of(
      of("unit", "staging.unit", 1, "id:unit_id", "name:unit_name", "level:unit_level", "type:unit_type", "parent_unit_id",
          "authorized_headcount", "peer_group"),
      of("section", "staging.section", 1, "id:section_id", "unit_id", "name:section_name", "authorized_headcount",
          "supervising_leader_id"),
      of("staff", "staging.staff", 1, "id:staff_id", "unit_id", "section_id", "display_name", "role", "active_from", "active_to"),
      of("work_category", "staging.work_category", 1, "code:category", "name:category_name", "unit_id"),
      of("duty", "staging.duty", 1, "id:duty_id", "unit_id", "section_id", "name:duty_name", "origin", "shared_code",
          "active:is_active"),
      of("work_log", "staging.work_log", 1, "id:log_id", "staff_id", "work_date", "category", "minutes", "duty_id", "status",
          "submitted_at"),
      of("log_review", "staging.log_review", 1, "id:review_id", "log_id", "reviewer_id", "level", "decision", "reviewed_at"),
      of("service_item", "staging.service_item", 1, "id:item_id", "unit_id", "name:item_name", "legal_limit_days",
          "promised_limit_days"),
      of("service_case", "staging.service_case", 1, "id:case_id", "item_id", "accepted_at", "completed_at", "status",
          "handler_id"),
      of("supervision_item", "staging.supervision_item", 1, "id:supervision_id", "unit_id", "responsible_staff_id",
          "assigned_at", "deadline", "completed_at", "status", "penalty"),
      of("target_task", "staging.target_task", 1, "id:task_id", "unit_id", "title", "kind", "points", "planned_start",
          "planned_end"),
      new ReconciledTable("target_task_plan", "staging.target_task_month", 2,
          columns("task_id", "month", "planned_progress"), "planned_progress"),
      new ReconciledTable("task_progress", "staging.target_task_month", 2,
          columns("task_id", "month", "reported_progress", "evidence_count", "verified:is_verified"), "reported_progress"),
      of("special_assessment", "staging.special_assessment", 1, "id:assessment_id", "unit_id", "assessment", "assessed_on",
          "score"),
      of("mutual_evaluation", "staging.mutual_evaluation", 1, "id:evaluation_id", "rater_unit_id", "rated_unit_id",
          "assessment_year", "score", "submitted_at"),
      of("satisfaction_rating", "staging.satisfaction_rating", 1, "id:rating_id", "unit_id", "case_id", "channel", "rating",
          "rated_at"));

  /** The table checked for source table {@code name} (unqualified), if any. */
  static Optional<ReconciledTable> forSourceTable(String name) {
    return ALL.stream().filter(t -> t.sourceTable.equals(name)).findFirst();
  }

  private static ReconciledTable of(String source, String staging, int keyColumns, String... columns) {
    return new ReconciledTable(source, staging, keyColumns, columns(columns), null);
  }

  /** "source:staging", or one name when both sides call the column the same. */
  private static List<Map.Entry<String, String>> columns(String... specs) {
    return java.util.Arrays.stream(specs).map(c -> c.contains(":") ? Map.entry(c.split(":")[0], c.split(":")[1]) : Map.entry(c, c))
        .toList();
  }

  List<String> sourceColumns() {
    return columns.stream().map(Map.Entry::getKey).toList();
  }

  List<String> stagingColumns() {
    return columns.stream().map(Map.Entry::getValue).toList();
  }
}
