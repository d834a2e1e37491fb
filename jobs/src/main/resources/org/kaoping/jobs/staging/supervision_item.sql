-- table: staging.supervision_item
-- grain: one row per supervised item (督办事项), current status and penalty
-- key: supervision_id
-- input: approval_supervision_item
-- rule: supervision_item.completed_before_assigned = 督办事项完成时间早于交办时间
-- violations: see staging/work_log.sql
SELECT r.id AS supervision_id, r.unit_id, r.responsible_staff_id, r.title, r.assigned_at, r.deadline,
       r.completed_at, r.status, r.penalty, r.updated_at,
       filter(array(
         CASE WHEN r.completed_at < r.assigned_at THEN named_struct('rule', 'supervision_item.completed_before_assigned',
           'disposition', 'EXCLUDED', 'reason', 'completed at ' || r.completed_at || ', before it was assigned at ' || r.assigned_at,
           'offending_values', to_json(named_struct('assigned_at', r.assigned_at, 'completed_at', r.completed_at))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', event_seq, 'source_lsn', source_lsn, 'unit_id', r.unit_id,
         'month', trunc(CAST(r.assigned_at AS DATE), 'MM')) AS reject_context
FROM (SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, unit_id BIGINT, responsible_staff_id BIGINT, title STRING,
        assigned_at TIMESTAMP_NTZ, deadline DATE, completed_at TIMESTAMP_NTZ, status STRING, penalty STRING,
        updated_at TIMESTAMP_NTZ') AS r
      FROM latest_approval_supervision_item)
