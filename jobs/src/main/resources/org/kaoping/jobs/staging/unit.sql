-- table: staging.unit
-- grain: one row per unit, as it stands now in the work-log system
-- key: unit_id
-- input: worklog_unit
SELECT r.id AS unit_id, r.name AS unit_name, r.level AS unit_level, r.type AS unit_type, r.parent_unit_id,
       r.authorized_headcount, r.peer_group, r.updated_at,
       CASE WHEN r.level NOT IN ('CITY', 'COUNTY', 'TOWNSHIP') THEN 'unknown unit level ' || r.level END AS reject_reason
FROM (SELECT from_json(after_json, 'id BIGINT, name STRING, level STRING, type STRING, parent_unit_id BIGINT,
        authorized_headcount INT, peer_group STRING, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_worklog_unit)
