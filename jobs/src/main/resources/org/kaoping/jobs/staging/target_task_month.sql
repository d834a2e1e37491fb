-- table: staging.target_task_month
-- grain: one row per target task per month: planned and (once reported) reported cumulative progress
-- key: task_id, month
-- input: approval_target_task_plan
-- input: approval_task_progress
WITH plan AS (
  SELECT r.task_id, r.month, CAST(r.planned_progress AS DECIMAL(5, 2)) AS planned_progress
  FROM (SELECT from_json(after_json, 'task_id BIGINT, month DATE, planned_progress STRING') AS r
        FROM latest_approval_target_task_plan)
),
progress AS (
  SELECT r.task_id, r.month, CAST(r.reported_progress AS DECIMAL(5, 2)) AS reported_progress, r.evidence_count,
         r.reported_at, r.verified
  FROM (SELECT from_json(after_json, 'task_id BIGINT, month DATE, reported_progress STRING, evidence_count INT,
          reported_at TIMESTAMP_NTZ, verified BOOLEAN') AS r
        FROM latest_approval_task_progress)
)
SELECT coalesce(p.task_id, g.task_id) AS task_id, coalesce(p.month, g.month) AS month, p.planned_progress,
       g.reported_progress, g.evidence_count, g.reported_at, coalesce(g.verified, false) AS is_verified,
       CAST(NULL AS STRING) AS reject_reason
FROM plan p FULL OUTER JOIN progress g ON p.task_id = g.task_id AND p.month = g.month
