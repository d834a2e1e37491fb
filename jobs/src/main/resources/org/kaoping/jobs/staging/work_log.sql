-- table: staging.work_log
-- grain: one row per work-log entry, current status
-- key: log_id
-- check: minutes > 0
-- input: worklog_work_log
-- input: worklog_staff
-- A log whose author is not in the staffing register is set aside (a source without foreign keys may have them).
SELECT r.id AS log_id, r.staff_id, r.work_date, r.category, r.minutes, r.duty_ref, r.content, r.attachment_count,
       r.status, r.submitted_at, r.created_at, r.updated_at,
       CASE WHEN r.minutes IS NULL OR r.minutes <= 0 OR r.minutes > 1440 THEN 'minutes outside 1..1440'
            WHEN r.work_date IS NULL THEN 'no work date'
            WHEN r.status NOT IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED') THEN 'unknown status ' || r.status
            WHEN r.status <> 'DRAFT' AND r.submitted_at IS NULL THEN 'submitted log without submitted_at'
            WHEN s.staff_id IS NULL THEN 'author ' || r.staff_id || ' is not in the staffing register'
       END AS reject_reason
FROM (SELECT from_json(after_json, 'id BIGINT, staff_id BIGINT, work_date DATE, category STRING, minutes INT,
        duty_ref STRING, content STRING, attachment_count INT, status STRING, submitted_at TIMESTAMP_NTZ,
        created_at TIMESTAMP_NTZ, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_worklog_work_log) l
LEFT JOIN (SELECT CAST(get_json_object(after_json, '$.id') AS BIGINT) AS staff_id FROM latest_worklog_staff) s
  ON s.staff_id = l.r.staff_id
