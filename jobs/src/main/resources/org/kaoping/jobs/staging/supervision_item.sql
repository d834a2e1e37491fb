-- table: staging.supervision_item
-- grain: one row per supervised item (督办事项), current status and penalty
-- key: supervision_id
-- input: approval_supervision_item
-- rule: supervision_item.completed_before_assigned = 督办事项完成时间早于交办时间
-- rule: supervision_item.responsible_not_in_unit = 督办事项责任人不在本单位人员名册中
-- violations: see staging/work_log.sql. responsible_staff_id is the source's (null: the item names no one);
-- is_responsible_in_unit = the responsible person was in the item's unit on the day it was assigned
-- (staging.staff_assignment); false (the rule, FLAGGED) when they were not or are unknown: the item counts for its unit,
-- but is credited to and charged on no person; null without a responsible person.
WITH items AS (
  SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, unit_id BIGINT, responsible_staff_id BIGINT, title STRING,
           assigned_at TIMESTAMP_NTZ, deadline DATE, completed_at TIMESTAMP_NTZ, status STRING, penalty STRING,
           updated_at TIMESTAMP_NTZ') AS r
  FROM latest_approval_supervision_item
),
checked AS (
  SELECT i.*, a.unit_id AS responsible_unit_id,
         CASE WHEN i.r.responsible_staff_id IS NOT NULL THEN coalesce(a.unit_id = i.r.unit_id, false) END
           AS is_responsible_in_unit
  FROM items i
  LEFT JOIN staging.staff_assignment a ON a.staff_id = i.r.responsible_staff_id
    AND CAST(i.r.assigned_at AS DATE) >= a.valid_from AND (a.valid_to IS NULL OR CAST(i.r.assigned_at AS DATE) <= a.valid_to)
)
SELECT r.id AS supervision_id, r.unit_id, r.responsible_staff_id, is_responsible_in_unit, r.title, r.assigned_at,
       r.deadline, r.completed_at, r.status, r.penalty, r.updated_at,
       filter(array(
         CASE WHEN r.completed_at < r.assigned_at THEN named_struct('rule', 'supervision_item.completed_before_assigned',
           'disposition', 'EXCLUDED', 'reason', 'completed at ' || r.completed_at || ', before it was assigned at ' || r.assigned_at,
           'offending_values', to_json(named_struct('assigned_at', r.assigned_at, 'completed_at', r.completed_at))) END,
         CASE WHEN NOT is_responsible_in_unit THEN named_struct('rule', 'supervision_item.responsible_not_in_unit',
           'disposition', 'FLAGGED', 'reason', 'responsible person ' || r.responsible_staff_id
             || CASE WHEN responsible_unit_id IS NULL THEN ' is not in the staffing register'
                ELSE ' was in unit ' || responsible_unit_id || ' when the item of unit ' || r.unit_id || ' was assigned' END,
           'offending_values', to_json(named_struct('responsible_staff_id', r.responsible_staff_id,
             'responsible_unit_id', responsible_unit_id, 'unit_id', r.unit_id))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', event_seq, 'source_lsn', source_lsn, 'unit_id', r.unit_id,
         'month', trunc(CAST(r.assigned_at AS DATE), 'MM')) AS reject_context
FROM checked
