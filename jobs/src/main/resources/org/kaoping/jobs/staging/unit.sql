-- table: staging.unit
-- grain: one row per unit, as it stands now in the work-log system
-- key: unit_id
-- input: worklog_unit
-- on-change: full rebuild
-- rule: unit.unknown_level = 单位层级不是市直、县级或乡镇
-- violations: see staging/work_log.sql
SELECT r.id AS unit_id, r.name AS unit_name, r.level AS unit_level, r.type AS unit_type, r.parent_unit_id,
       r.authorized_headcount, r.peer_group, r.updated_at,
       filter(array(
         CASE WHEN r.level IS NULL OR r.level NOT IN ('CITY', 'COUNTY', 'TOWNSHIP') THEN named_struct('rule', 'unit.unknown_level',
           'disposition', 'EXCLUDED', 'reason', 'unknown unit level ' || coalesce(r.level, 'null'),
           'offending_values', to_json(named_struct('level', r.level))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', event_seq, 'source_lsn', source_lsn, 'unit_id', r.id, 'month', CAST(NULL AS DATE)) AS reject_context
FROM (SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, name STRING, level STRING, type STRING, parent_unit_id BIGINT,
        authorized_headcount INT, peer_group STRING, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_worklog_unit)
