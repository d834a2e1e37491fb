-- table: staging.target_task_month
-- grain: one row per target task per month: planned and (once reported) reported cumulative progress
-- key: task_id, month
-- input: approval_target_task_plan
-- input: approval_task_progress
-- input: approval_target_task
-- rule: task_progress.progress_backwards = 累计进度倒退，低于上次报送
-- rule: task_progress.out_of_range = 报送进度超过 100% 或小于 0
-- violations: see staging/work_log.sql. Progress is cumulative: a report below the task's previous report, or
-- above 100, is listed (FLAGGED) and still counts: it may be a real correction, the assessment office decides.
WITH plan AS (
  SELECT r.task_id, r.month, CAST(r.planned_progress AS DECIMAL(5, 2)) AS planned_progress
  FROM (SELECT from_json(after_json, 'task_id BIGINT, month DATE, planned_progress STRING') AS r
        FROM latest_approval_target_task_plan)
),
progress AS (
  SELECT r.task_id, r.month, CAST(r.reported_progress AS DECIMAL(5, 2)) AS reported_progress, r.evidence_count,
         r.reported_at, r.verified, event_seq, source_lsn,
         lag(CAST(r.reported_progress AS DECIMAL(5, 2))) OVER (PARTITION BY r.task_id ORDER BY r.month) AS previous_progress,
         lag(r.month) OVER (PARTITION BY r.task_id ORDER BY r.month) AS previous_month
  FROM (SELECT event_seq, source_lsn, from_json(after_json, 'task_id BIGINT, month DATE, reported_progress STRING,
          evidence_count INT, reported_at TIMESTAMP_NTZ, verified BOOLEAN') AS r
        FROM latest_approval_task_progress)
),
tasks AS (
  SELECT t.id AS task_id, t.unit_id
  FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT') AS t FROM latest_approval_target_task)
)
SELECT coalesce(p.task_id, g.task_id) AS task_id, coalesce(p.month, g.month) AS month, p.planned_progress,
       g.reported_progress, g.evidence_count, g.reported_at, coalesce(g.verified, false) AS is_verified,
       filter(array(
         CASE WHEN g.reported_progress < g.previous_progress THEN named_struct('rule', 'task_progress.progress_backwards',
           'disposition', 'FLAGGED', 'reason', 'reported ' || g.reported_progress || ' %, below the ' || g.previous_progress
             || ' % reported for ' || date_format(g.previous_month, 'yyyy-MM'),
           'offending_values', to_json(named_struct('reported_progress', g.reported_progress,
             'previous_progress', g.previous_progress, 'previous_month', g.previous_month))) END,
         CASE WHEN g.reported_progress > 100 OR g.reported_progress < 0 THEN named_struct('rule', 'task_progress.out_of_range',
           'disposition', 'FLAGGED', 'reason', 'reported ' || g.reported_progress || ' %, outside 0..100',
           'offending_values', to_json(named_struct('reported_progress', g.reported_progress))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', g.event_seq, 'source_lsn', g.source_lsn, 'unit_id', t.unit_id,
         'month', coalesce(p.month, g.month)) AS reject_context
FROM plan p FULL OUTER JOIN progress g ON p.task_id = g.task_id AND p.month = g.month
LEFT JOIN tasks t ON t.task_id = coalesce(p.task_id, g.task_id)
