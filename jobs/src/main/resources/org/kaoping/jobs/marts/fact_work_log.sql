-- table: mart.fact_work_log
-- grain: one row per work-log entry dated up to the as-of date, with its author's unit, section and role on that day
-- key: log_id
-- refresh: by month of work_date
-- driver: staging.work_log (work_date)
--
-- is_counted = status in (${counted_statuses}): only counted logs add to workload (DRAFT and RETURNED never do)
-- content    = the entry's text as its author wrote it, for drill-down (published; personal identifiers are not)
-- review_round = the log's review round (1, plus one for each resubmission after a return); resubmitted_at = when
--                that round began (null in round 1)
SELECT l.log_id, l.staff_id,
       CASE WHEN a.staff_id IS NULL THEN s.section_id ELSE a.section_id END AS section_id,
       coalesce(a.unit_id, s.unit_id) AS unit_id, coalesce(a.role, s.role) AS author_role,
       l.work_date, l.category, l.minutes, l.status, l.status IN (${counted_statuses}) AS is_counted,
       l.submitted_at, l.review_round, l.resubmitted_at, l.duty_id, l.content
FROM staging.work_log l
JOIN staging.staff s ON s.staff_id = l.staff_id
LEFT JOIN staging.staff_assignment a
  ON a.staff_id = l.staff_id AND l.work_date >= a.valid_from AND (a.valid_to IS NULL OR l.work_date <= a.valid_to)
WHERE l.work_date <= DATE '${as_of_date}' AND ${in_refresh_months:l.work_date}
