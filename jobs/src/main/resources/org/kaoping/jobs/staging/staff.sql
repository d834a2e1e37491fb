-- table: staging.staff
-- grain: one row per person, as they stand now; the national ID stays in raw (never leaves the source mirror)
-- key: staff_id
-- input: worklog_staff
SELECT r.id AS staff_id, r.unit_id, r.section_id, r.display_name, r.role, r.post_duties,
       r.active_from, r.active_to, r.updated_at,
       CASE WHEN r.role NOT IN ('PRINCIPAL_LEADER', 'DEPUTY_LEADER', 'SECTION_CHIEF', 'STAFF') THEN 'unknown role ' || r.role
            WHEN r.active_from IS NULL THEN 'no active_from date'
       END AS reject_reason
FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT, section_id BIGINT, display_name STRING, role STRING,
        post_duties STRING, active_from DATE, active_to DATE, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_worklog_staff)
