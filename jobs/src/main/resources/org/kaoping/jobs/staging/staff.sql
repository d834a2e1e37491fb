-- table: staging.staff
-- grain: one row per person, as they stand now; the national ID stays in raw (never leaves the source mirror)
-- key: staff_id
-- input: worklog_staff
-- on-change: full rebuild
-- rule: staff.unknown_role = 人员角色不是四种之一
-- rule: staff.no_active_from = 人员没有到岗日期
-- violations: see staging/work_log.sql
SELECT r.id AS staff_id, r.unit_id, r.section_id, r.display_name, r.role, r.post_duties,
       r.active_from, r.active_to, r.updated_at,
       filter(array(
         CASE WHEN r.role IS NULL OR r.role NOT IN ('PRINCIPAL_LEADER', 'DEPUTY_LEADER', 'SECTION_CHIEF', 'STAFF') THEN named_struct(
           'rule', 'staff.unknown_role', 'disposition', 'EXCLUDED', 'reason', 'unknown role ' || coalesce(r.role, 'null'),
           'offending_values', to_json(named_struct('role', r.role))) END,
         CASE WHEN r.active_from IS NULL THEN named_struct('rule', 'staff.no_active_from', 'disposition', 'EXCLUDED',
           'reason', 'no active_from date', 'offending_values', to_json(named_struct('active_from', r.active_from))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', event_seq, 'source_lsn', source_lsn, 'unit_id', r.unit_id,
         'month', trunc(r.active_from, 'MM')) AS reject_context
FROM (SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, unit_id BIGINT, section_id BIGINT, display_name STRING,
        role STRING, post_duties STRING, active_from DATE, active_to DATE, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_worklog_staff)
