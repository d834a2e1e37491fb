-- table: staging.staff_assignment
-- grain: one row per person per period during which their unit, section and role stayed the same
-- key: staff_id, valid_from
-- check: valid_to IS NULL OR valid_to >= valid_from
-- input: worklog_staff
-- on-change: full rebuild
--
-- Reconstructed from the change history in the raw layer: each captured version of a staff row takes
-- effect on the day of its updated_at; several versions on one day: the last one wins. The first known
-- version also covers all earlier days (history before capture began is not known). A deleted person
-- keeps their last assignment. valid_to is the day before the next version takes effect (null: still).
WITH versions AS (
  SELECT r.id AS staff_id, r.unit_id, r.section_id, r.role, CAST(r.updated_at AS DATE) AS effective_date, event_seq
  FROM (SELECT event_seq, from_json(after_json, 'id BIGINT, unit_id BIGINT, section_id BIGINT, role STRING,
          updated_at TIMESTAMP_NTZ') AS r
        FROM raw_worklog_staff WHERE after_json IS NOT NULL)
),
last_per_day AS (
  SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY staff_id, effective_date ORDER BY event_seq DESC) AS version_rank
    FROM versions)
  WHERE version_rank = 1
),
changes AS (
  -- keep a version only when the assignment differs from the one before it
  SELECT * FROM (
    SELECT *, lag(struct(unit_id, section_id, role)) OVER (PARTITION BY staff_id ORDER BY effective_date) AS previous
    FROM last_per_day)
  WHERE previous IS NULL OR NOT (previous <=> struct(unit_id, section_id, role))
)
SELECT staff_id, unit_id, section_id, role,
       CASE WHEN previous IS NULL THEN DATE '1900-01-01' ELSE effective_date END AS valid_from,
       date_sub(lead(effective_date) OVER (PARTITION BY staff_id ORDER BY effective_date), 1) AS valid_to,
       CAST(NULL AS STRING) AS reject_reason
FROM changes
