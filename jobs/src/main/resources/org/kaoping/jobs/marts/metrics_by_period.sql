-- table: mart.metrics_by_period
-- grain: one row per level (PERSON, SECTION, UNIT) per entity per period (MONTH, QUARTER, HALF, YEAR)
-- key: level, entity_id, period_type, period
-- refresh: by period
-- check: filed_days <= filing_days
-- check: logs_fully_reviewed <= logs_needing_review
-- check: logs_reviewed_on_time <= logs_fully_reviewed
-- check: logs_returned <= logs_needing_review
-- check: workload_ratio >= 0
--
-- workload_ratio      = workload_minutes / expected_minutes                   (工作量比率)
-- fill_rate           = filed_days / filing_days                              (填报率)
-- review_rate         = logs_fully_reviewed / logs_needing_review             (审阅率)
-- review_on_time_rate = logs_reviewed_on_time / logs_needing_review             (judged on each log's last review round)
-- return_rate         = logs_returned / logs_needing_review                     (退回率: logs returned at least once)
-- active_person_days  = working days on which people were active (for headcount efficiency)
-- A section's or unit's figures sum numerators and denominators over the days and logs of the people
-- who belonged to it on those days (never an average of ratios); a person who moved mid-period counts in
-- both sections, and their own row shows where they were on their last day. A zero denominator gives a null rate
-- and says why in *_null_reason. Leaders without a section count in their unit only. Units with no
-- people still get a row. is_complete: the period ended and its filing grace has passed.
WITH aggregated AS (
  -- a period's sums are its months' sums (mart.measures_by_month); a person's row shows their last day's unit and section
  SELECT m.level,
         -- one unit and section per group but a person's, where the last day's stand
         max_by(m.unit_id, m.last_work_date) AS unit_id, max_by(m.section_id, m.last_work_date) AS section_id,
         m.staff_id, p.period_type, p.period,
         sum(m.workload_minutes) AS workload_minutes, sum(m.expected_minutes) AS expected_minutes,
         sum(m.leave_minutes) AS leave_minutes, sum(m.active_person_days) AS active_person_days,
         sum(m.filing_days) AS filing_days, sum(m.filed_days) AS filed_days,
         sum(m.logs_needing_review) AS logs_needing_review, sum(m.logs_fully_reviewed) AS logs_fully_reviewed,
         sum(m.logs_reviewed_on_time) AS logs_reviewed_on_time, sum(m.logs_returned) AS logs_returned
  FROM mart.measures_by_month m JOIN mart.calendar_month_period p ON p.month = m.period
  GROUP BY m.level, m.entity_id, CASE WHEN m.level <> 'PERSON' THEN m.unit_id END,
           CASE WHEN m.level <> 'PERSON' THEN m.section_id END, m.staff_id, p.period_type, p.period
),
unit_periods AS (
  SELECT 'UNIT' AS level, u.unit_id, p.period_type, p.period
  FROM staging.unit u CROSS JOIN (SELECT DISTINCT period_type, period FROM aggregated) p
),
complete AS (
  SELECT coalesce(a.level, e.level) AS level, coalesce(a.unit_id, e.unit_id) AS unit_id, a.section_id, a.staff_id,
         coalesce(a.period_type, e.period_type) AS period_type, coalesce(a.period, e.period) AS period,
         coalesce(a.workload_minutes, 0) AS workload_minutes, coalesce(a.expected_minutes, 0) AS expected_minutes,
         coalesce(a.leave_minutes, 0) AS leave_minutes, coalesce(a.active_person_days, 0) AS active_person_days,
         coalesce(a.filing_days, 0) AS filing_days, coalesce(a.filed_days, 0) AS filed_days,
         coalesce(a.logs_needing_review, 0) AS logs_needing_review,
         coalesce(a.logs_fully_reviewed, 0) AS logs_fully_reviewed,
         coalesce(a.logs_reviewed_on_time, 0) AS logs_reviewed_on_time, coalesce(a.logs_returned, 0) AS logs_returned
  FROM aggregated a
  FULL OUTER JOIN unit_periods e
    ON a.level = 'UNIT' AND a.unit_id = e.unit_id AND a.period_type = e.period_type AND a.period = e.period
),
periods AS (
  SELECT DISTINCT period_type, period, period_start, period_end, working_days_to_as_of, is_complete FROM mart.calendar_period
)
SELECT c.level,
       CASE c.level WHEN 'PERSON' THEN c.staff_id WHEN 'SECTION' THEN c.section_id ELSE c.unit_id END AS entity_id,
       c.unit_id, c.section_id, c.staff_id,
       CASE c.level WHEN 'PERSON' THEN s.display_name WHEN 'SECTION' THEN sec.section_name ELSE u.unit_name END AS entity_name,
       u.unit_name, u.unit_level, u.peer_group,
       c.period_type, c.period, p.period_start, p.period_end, p.working_days_to_as_of, p.is_complete,
       c.workload_minutes, c.expected_minutes, c.leave_minutes, c.active_person_days, c.filing_days, c.filed_days,
       c.logs_needing_review, c.logs_fully_reviewed, c.logs_reviewed_on_time, c.logs_returned,
       CASE WHEN c.expected_minutes > 0 THEN c.workload_minutes / c.expected_minutes END AS workload_ratio,
       CASE WHEN c.expected_minutes > 0 THEN NULL
            WHEN c.level = 'UNIT' AND coalesce(pc.people, 0) = 0 THEN 'no people in the unit'
            ELSE 'no expected working time (not active, or on leave throughout)' END AS workload_ratio_null_reason,
       CASE WHEN c.filing_days > 0 THEN c.filed_days / c.filing_days END AS fill_rate,
       CASE WHEN c.filing_days > 0 THEN NULL
            WHEN c.level = 'UNIT' AND coalesce(pc.people, 0) = 0 THEN 'no people in the unit'
            ELSE 'no filing days (not active, or on leave throughout)' END AS fill_rate_null_reason,
       CASE WHEN c.logs_needing_review > 0 THEN c.logs_fully_reviewed / c.logs_needing_review END AS review_rate,
       CASE WHEN c.logs_needing_review > 0 THEN c.logs_reviewed_on_time / c.logs_needing_review END AS review_on_time_rate,
       CASE WHEN c.logs_needing_review > 0 THEN c.logs_returned / c.logs_needing_review END AS return_rate,
       CASE WHEN c.logs_needing_review > 0 THEN NULL ELSE 'no submitted logs needing review' END AS review_rate_null_reason
FROM complete c
JOIN periods p ON p.period_type = c.period_type AND p.period = c.period
JOIN staging.unit u ON u.unit_id = c.unit_id
LEFT JOIN staging.section sec ON sec.section_id = c.section_id
LEFT JOIN staging.staff s ON s.staff_id = c.staff_id
LEFT JOIN (SELECT unit_id, count(*) AS people FROM staging.staff GROUP BY unit_id) pc ON pc.unit_id = c.unit_id
