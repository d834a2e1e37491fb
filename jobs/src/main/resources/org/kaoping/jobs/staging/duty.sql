-- table: staging.duty
-- grain: one row per duty of the register (职能任务), as it stands now: a unit's as a whole (section_id null) or one
--        of its sections'
-- key: duty_id
-- input: worklog_duty
-- input: worklog_section
-- on-change: full rebuild
-- rule: duty.section_of_other_unit = 职能所属科室不属于该单位
-- violations: see staging/work_log.sql. A duty placed in another unit's section is set aside (EXCLUDED): whose duty it
-- is cannot be told, and its logs then count as work that names no duty.
-- is_mandated = the duty is one of the unit's 三定 functions (origin MANDATE), not one assigned since (ASSIGNED)
-- name_key    = the name without spaces or punctuation: two units of one peer group listing the same name_key claim
--               one duty (职责交叉), as do units holding one shared_code (the boundary list's 职责边界清单 code)
WITH duties AS (
  SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, unit_id BIGINT, section_id BIGINT, name STRING,
           origin STRING, shared_code STRING, active BOOLEAN, updated_at TIMESTAMP_NTZ') AS r
  FROM latest_worklog_duty
),
sections AS (
  SELECT s.id AS section_id, s.unit_id
  FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT') AS s FROM latest_worklog_section)
)
SELECT d.r.id AS duty_id, d.r.unit_id, d.r.section_id, d.r.name AS duty_name,
       regexp_replace(d.r.name, '[\\s\\p{P}]', '') AS name_key, d.r.origin, d.r.origin = 'MANDATE' AS is_mandated,
       d.r.shared_code, d.r.active AS is_active, d.r.updated_at,
       filter(array(
         CASE WHEN d.r.section_id IS NOT NULL AND (s.section_id IS NULL OR s.unit_id <> d.r.unit_id) THEN named_struct(
           'rule', 'duty.section_of_other_unit', 'disposition', 'EXCLUDED',
           'reason', 'section ' || d.r.section_id || CASE WHEN s.section_id IS NULL THEN ' is not in the register'
             ELSE ' belongs to unit ' || s.unit_id END || ', the duty to unit ' || d.r.unit_id,
           'offending_values', to_json(named_struct('section_id', d.r.section_id, 'section_unit_id', s.unit_id))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', d.event_seq, 'source_lsn', d.source_lsn, 'unit_id', d.r.unit_id,
         'month', trunc(CAST(d.r.updated_at AS DATE), 'MM')) AS reject_context
FROM duties d
LEFT JOIN sections s ON s.section_id = d.r.section_id
