-- table: staging.target_task
-- grain: one row per target task (目标任务)
-- key: task_id
-- input: approval_target_task
-- rule: target_task.responsible_not_in_unit = 目标任务责任领导不在本单位人员名册中
-- violations: see staging/work_log.sql. responsible_leader_id is the source's (null: the task names no one);
-- is_responsible_in_unit = that leader was in the task's unit on its planned start day (staging.staff_assignment);
-- false (the rule, FLAGGED) when not or unknown: the task counts for its unit, for no person; null without a leader.
WITH tasks AS (
  SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, unit_id BIGINT, title STRING, kind STRING, points STRING,
           responsible_leader_id BIGINT, planned_start DATE, planned_end DATE, updated_at TIMESTAMP_NTZ') AS r
  FROM latest_approval_target_task
),
checked AS (
  SELECT t.*, a.unit_id AS responsible_unit_id,
         CASE WHEN t.r.responsible_leader_id IS NOT NULL THEN coalesce(a.unit_id = t.r.unit_id, false) END
           AS is_responsible_in_unit
  FROM tasks t
  LEFT JOIN staging.staff_assignment a ON a.staff_id = t.r.responsible_leader_id
    AND t.r.planned_start >= a.valid_from AND (a.valid_to IS NULL OR t.r.planned_start <= a.valid_to)
)
SELECT r.id AS task_id, r.unit_id, r.title, r.kind, CAST(r.points AS DECIMAL(5, 2)) AS points, r.responsible_leader_id,
       is_responsible_in_unit, r.planned_start, r.planned_end, r.updated_at,
       filter(array(
         CASE WHEN NOT is_responsible_in_unit THEN named_struct('rule', 'target_task.responsible_not_in_unit',
           'disposition', 'FLAGGED', 'reason', 'responsible leader ' || r.responsible_leader_id
             || CASE WHEN responsible_unit_id IS NULL THEN ' is not in the staffing register'
                ELSE ' was in unit ' || responsible_unit_id || ' when the task of unit ' || r.unit_id || ' began' END,
           'offending_values', to_json(named_struct('responsible_leader_id', r.responsible_leader_id,
             'responsible_unit_id', responsible_unit_id, 'unit_id', r.unit_id))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', event_seq, 'source_lsn', source_lsn, 'unit_id', r.unit_id,
         'month', trunc(r.planned_start, 'MM')) AS reject_context
FROM checked
