-- table: mart.fact_person_day
-- grain: one row per person per day that is an expected working day (a working day while active, up to the
--        as-of date) or that carries counted log minutes (e.g. weekend work)
-- key: staff_id, work_date
-- refresh: by month of work_date
-- check: expected_minutes >= 0 AND expected_minutes <= ${full_day_minutes}
-- check: leave_minutes <= ${full_day_minutes}
-- check: NOT is_filed_on_time OR is_filing_day
--
-- counted log        = status in (${counted_statuses}); DRAFT and RETURNED logs never count
-- workload_minutes   = Σ minutes of counted logs that day, category LEAVE excluded
-- leave_minutes      = min(Σ minutes of counted LEAVE logs, ${full_day_minutes}) on expected working days
-- expected_minutes   = ${full_day_minutes} − leave_minutes on expected working days, else 0
-- is_filing_day      = expected working day not entirely on leave
-- is_filed_on_time   = a counted log for the day was submitted before the end of the
--                      ${fill_grace_working_days}-th working day after it (the grace period)
-- section_id/unit_id = the person's section and unit on that day (staging.staff_assignment), so a
--                      transfer splits a month between two sections
WITH staff AS (
  SELECT staff_id, unit_id, section_id, active_from, active_to FROM staging.staff
),
calendar AS (
  SELECT calendar_date, is_working_day, working_day_index FROM mart.calendar_day
),
deadlines AS (
  SELECT d.calendar_date, g.calendar_date AS filing_deadline
  FROM calendar d JOIN calendar g
    ON g.is_working_day AND g.working_day_index = d.working_day_index + ${fill_grace_working_days}
  WHERE d.is_working_day
),
day_logs AS (
  SELECT staff_id, work_date,
         sum(CASE WHEN category = 'LEAVE' THEN minutes ELSE 0 END) AS leave_minutes_logged,
         sum(CASE WHEN category <> 'LEAVE' THEN minutes ELSE 0 END) AS workload_minutes,
         min(submitted_at) AS first_submitted_at
  FROM mart.fact_work_log
  WHERE is_counted AND ${in_refresh_months:work_date}
  GROUP BY staff_id, work_date
),
expected_days AS (
  SELECT s.staff_id, c.calendar_date AS work_date
  FROM staff s JOIN calendar c
    ON c.is_working_day
   AND c.calendar_date >= s.active_from
   AND (s.active_to IS NULL OR c.calendar_date <= s.active_to)
   AND c.calendar_date <= DATE '${as_of_date}'
   AND ${in_refresh_months:c.calendar_date}
),
person_days AS (
  SELECT coalesce(e.staff_id, l.staff_id) AS staff_id,
         coalesce(e.work_date, l.work_date) AS work_date,
         e.staff_id IS NOT NULL AS is_expected_day,
         coalesce(l.leave_minutes_logged, 0) AS leave_minutes_logged,
         coalesce(l.workload_minutes, 0) AS workload_minutes,
         l.first_submitted_at
  FROM expected_days e FULL OUTER JOIN day_logs l ON e.staff_id = l.staff_id AND e.work_date = l.work_date
)
SELECT p.staff_id,
       CASE WHEN a.staff_id IS NULL THEN s.section_id ELSE a.section_id END AS section_id,
       coalesce(a.unit_id, s.unit_id) AS unit_id, p.work_date, p.is_expected_day,
       p.workload_minutes,
       CASE WHEN p.is_expected_day THEN least(p.leave_minutes_logged, ${full_day_minutes}) ELSE 0 END AS leave_minutes,
       CASE WHEN p.is_expected_day THEN ${full_day_minutes} - least(p.leave_minutes_logged, ${full_day_minutes}) ELSE 0 END
         AS expected_minutes,
       p.is_expected_day AND p.leave_minutes_logged < ${full_day_minutes} AS is_filing_day,
       p.is_expected_day AND p.leave_minutes_logged < ${full_day_minutes}
         AND p.first_submitted_at < CAST(date_add(d.filing_deadline, 1) AS TIMESTAMP_NTZ) AS is_filed_on_time,
       d.filing_deadline
FROM person_days p
JOIN staff s ON s.staff_id = p.staff_id
LEFT JOIN staging.staff_assignment a
  ON a.staff_id = p.staff_id AND p.work_date >= a.valid_from AND (a.valid_to IS NULL OR p.work_date <= a.valid_to)
LEFT JOIN deadlines d ON d.calendar_date = p.work_date
