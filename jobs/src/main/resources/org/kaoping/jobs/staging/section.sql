-- table: staging.section
-- grain: one row per section (科室), as it stands now
-- key: section_id
-- input: worklog_section
-- on-change: full rebuild
SELECT r.id AS section_id, r.unit_id, r.name AS section_name, r.authorized_headcount, r.supervising_leader_id,
       r.updated_at, CAST(NULL AS STRING) AS reject_reason
FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT, name STRING, authorized_headcount INT,
        supervising_leader_id BIGINT, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_worklog_section)
