-- table: mart.measures_by_month
-- grain: one row per level (PERSON, SECTION, UNIT) per entity per month with days or logs: the sums behind
--        mart.metrics_by_period
-- key: level, entity_id, period_type, period
-- refresh: by period
-- check: period_type = 'MONTH'
--
-- Each month's sums come from that month's person-days and reviewed logs only, so a build recomputes the months
-- whose inputs changed and reads nothing else; mart.metrics_by_period rolls its quarters, half-years and years up from these
-- rows, and adds the rates.
-- last_work_date = the last day of the month with a person-day or a log of the person, section or unit; a person's
--                  unit_id and section_id are those of that day
-- logs_returned   = logs needing review that a reviewer returned at least once, in any review round
-- level/entity    = PERSON: staff_id; SECTION: section_id (people without a section count in their unit only); UNIT:
--                   unit_id
WITH day_measures AS (
  SELECT staff_id, section_id, unit_id, work_date, workload_minutes, expected_minutes, leave_minutes,
         CASE WHEN is_expected_day THEN 1 ELSE 0 END AS active_person_days,
         CASE WHEN is_filing_day THEN 1 ELSE 0 END AS filing_days,
         CASE WHEN is_filed_on_time THEN 1 ELSE 0 END AS filed_days,
         0 AS logs_needing_review, 0 AS logs_fully_reviewed, 0 AS logs_reviewed_on_time, 0 AS logs_returned
  FROM mart.fact_person_day d
  WHERE ${in_refresh_months:d.work_date}
  UNION ALL
  SELECT staff_id, section_id, unit_id, work_date, 0, 0, 0, 0, 0, 0, 1,
         CASE WHEN is_fully_reviewed THEN 1 ELSE 0 END, CASE WHEN is_reviewed_on_time THEN 1 ELSE 0 END,
         CASE WHEN returns > 0 THEN 1 ELSE 0 END
  FROM mart.fact_log_review r
  WHERE ${in_refresh_months:r.work_date}
),
aggregated AS (
  SELECT CASE WHEN grouping(staff_id) = 0 THEN 'PERSON' WHEN grouping(section_id) = 0 THEN 'SECTION' ELSE 'UNIT' END
           AS level,
         CASE WHEN grouping(staff_id) = 0 THEN max_by(unit_id, work_date) ELSE unit_id END AS unit_id,
         CASE WHEN grouping(staff_id) = 0 THEN max_by(section_id, work_date) ELSE section_id END AS section_id,
         staff_id, month, max(work_date) AS last_work_date,
         sum(workload_minutes) AS workload_minutes, sum(expected_minutes) AS expected_minutes,
         sum(leave_minutes) AS leave_minutes, sum(active_person_days) AS active_person_days,
         sum(filing_days) AS filing_days, sum(filed_days) AS filed_days,
         sum(logs_needing_review) AS logs_needing_review, sum(logs_fully_reviewed) AS logs_fully_reviewed,
         sum(logs_reviewed_on_time) AS logs_reviewed_on_time, sum(logs_returned) AS logs_returned
  FROM (SELECT *, trunc(work_date, 'MM') AS month FROM day_measures)
  GROUP BY month, GROUPING SETS ((staff_id), (unit_id, section_id), (unit_id))
)
SELECT level, CASE level WHEN 'PERSON' THEN staff_id WHEN 'SECTION' THEN section_id ELSE unit_id END AS entity_id,
       unit_id, section_id, staff_id, 'MONTH' AS period_type, date_format(month, 'yyyy-MM') AS period, last_work_date,
       workload_minutes, expected_minutes, leave_minutes, active_person_days, filing_days, filed_days,
       logs_needing_review, logs_fully_reviewed, logs_reviewed_on_time, logs_returned
FROM aggregated
WHERE NOT (level = 'SECTION' AND section_id IS NULL)
