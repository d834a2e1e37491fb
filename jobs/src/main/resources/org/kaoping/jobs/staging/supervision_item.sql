-- table: staging.supervision_item
-- grain: one row per supervised item (督办事项), current status and penalty
-- key: supervision_id
-- input: approval_supervision_item
SELECT r.id AS supervision_id, r.unit_id, r.responsible_staff_id, r.title, r.assigned_at, r.deadline,
       r.completed_at, r.status, r.penalty, r.updated_at, CAST(NULL AS STRING) AS reject_reason
FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT, responsible_staff_id BIGINT, title STRING,
        assigned_at TIMESTAMP_NTZ, deadline DATE, completed_at TIMESTAMP_NTZ, status STRING, penalty STRING,
        updated_at TIMESTAMP_NTZ') AS r
      FROM latest_approval_supervision_item)
