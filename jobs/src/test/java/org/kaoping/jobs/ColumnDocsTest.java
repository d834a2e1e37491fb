package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The serving database's column comments come from the models' headers ({@code -- column = formula}). */
class ColumnDocsTest {
  @Test
  void formulasAndTheirContinuationLinesBecomeColumnComments() {
    Map<String, String> docs = SqlModel.columnDocs("""
        -- table: mart.x
        -- grain: one row per thing
        --
        -- workload_ratio      = workload_minutes / expected_minutes                   (工作量比率)
        -- level latency     = not a column
        -- section_id/unit_id = the person's section and unit on that day (staging.staff_assignment), so a
        --                      transfer splits a month between two sections
        -- A sentence, not a formula.
        SELECT 1 AS workload_ratio -- x = not the header
        """);
    assertEquals("workload_ratio = workload_minutes / expected_minutes                   (工作量比率)", docs.get("workload_ratio"));
    assertTrue(docs.get("unit_id").endsWith("so a transfer splits a month between two sections"), docs.get("unit_id"));
    assertEquals(docs.get("unit_id"), docs.get("section_id"));
    assertFalse(docs.containsKey("x"));
  }

  @Test
  void everyMartDefinesItsMetricColumns() {
    Map<String, SqlModel> models = new java.util.TreeMap<>();
    ModelCatalog.standard().marts().forEach(m -> models.put(m.table(), m));
    assertTrue(SqlModel.columnDocs(models.get("mart.metrics_by_period").sql()).keySet()
        .containsAll(java.util.List.of("workload_ratio", "fill_rate", "review_rate", "review_on_time_rate")));
    assertTrue(SqlModel.columnDocs(models.get("mart.unit_score_by_period").sql()).containsKey("score"));
    assertTrue(SqlModel.columnDocs(models.get("mart.fact_work_log").sql()).containsKey("content"));
    assertTrue(SqlModel.columnDocs(models.get("mart.headcount_efficiency_by_period").sql()).containsKey("post_surplus"));
    assertTrue(SqlModel.columnDocs(models.get("mart.self_check_by_week").sql()).keySet().containsAll(java.util.List.of(
        "week_start", "week_end", "expected_minutes", "filed_days", "workload_ratio", "fill_rate", "logs_awaiting_review")));
  }
}
