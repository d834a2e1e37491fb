-- table: staging.target_task
-- grain: one row per target task (目标任务)
-- key: task_id
-- input: approval_target_task
SELECT r.id AS task_id, r.unit_id, r.title, r.kind, CAST(r.points AS DECIMAL(5, 2)) AS points, r.responsible_leader_id,
       r.planned_start, r.planned_end, r.updated_at, CAST(NULL AS STRING) AS reject_reason
FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT, title STRING, kind STRING, points STRING,
        responsible_leader_id BIGINT, planned_start DATE, planned_end DATE, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_approval_target_task)
