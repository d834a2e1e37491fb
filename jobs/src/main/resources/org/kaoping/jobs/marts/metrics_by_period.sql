-- table: mart.metrics_by_period
-- grain: one row per level (PERSON, SECTION, UNIT) per entity per period (MONTH, QUARTER, YEAR)
-- key: level, entity_id, period_type, period
-- check: filed_days <= filing_days
-- check: logs_fully_reviewed <= logs_needing_review
-- check: workload_ratio >= 0
--
-- workload_ratio = workload_minutes / expected_minutes      (工作量比率)
-- fill_rate      = filed_days / filing_days                 (填报率)
-- review_rate    = logs_fully_reviewed / logs_needing_review (审阅率)
-- A section's or unit's ratio sums numerators and denominators over its people's days and logs
-- (never an average of ratios). A zero denominator gives a null rate and says why in *_null_reason.
-- Leaders without a section count in their unit only. Units with no people still get a row. is_complete: the period ended and its filing grace has passed.
WITH day_measures AS (
  SELECT staff_id, section_id, unit_id, work_date, workload_minutes, expected_minutes, leave_minutes,
         CASE WHEN is_filing_day THEN 1 ELSE 0 END AS filing_days,
         CASE WHEN is_filed_on_time THEN 1 ELSE 0 END AS filed_days,
         0 AS logs_needing_review, 0 AS logs_fully_reviewed
  FROM mart.fact_person_day
  UNION ALL
  SELECT staff_id, section_id, unit_id, work_date, 0, 0, 0, 0, 0, 1, CASE WHEN is_fully_reviewed THEN 1 ELSE 0 END
  FROM mart.fact_log_review
),
by_period AS (
  SELECT m.*, p.period_type, p.period, p.period_start, p.period_end
  FROM day_measures m
  LATERAL VIEW stack(3,
      'MONTH', date_format(work_date, 'yyyy-MM'), trunc(work_date, 'MM'), last_day(work_date),
      'QUARTER', concat(year(work_date), '-Q', quarter(work_date)), trunc(work_date, 'QUARTER'),
                 date_sub(add_months(trunc(work_date, 'QUARTER'), 3), 1),
      'YEAR', CAST(year(work_date) AS STRING), trunc(work_date, 'YEAR'), date_sub(add_months(trunc(work_date, 'YEAR'), 12), 1)
    ) p AS period_type, period, period_start, period_end
),
aggregated AS (
  SELECT CASE WHEN grouping(staff_id) = 0 THEN 'PERSON' WHEN grouping(section_id) = 0 THEN 'SECTION' ELSE 'UNIT' END AS level,
         unit_id, section_id, staff_id, period_type, period, period_start, period_end,
         sum(workload_minutes) AS workload_minutes, sum(expected_minutes) AS expected_minutes,
         sum(leave_minutes) AS leave_minutes, sum(filing_days) AS filing_days, sum(filed_days) AS filed_days,
         sum(logs_needing_review) AS logs_needing_review, sum(logs_fully_reviewed) AS logs_fully_reviewed
  FROM by_period
  GROUP BY period_type, period, period_start, period_end,
           GROUPING SETS ((unit_id, section_id, staff_id), (unit_id, section_id), (unit_id))
),
-- every unit appears in every period, people or not (an empty unit has no denominator, not no row)
unit_periods AS (
  SELECT 'UNIT' AS level, u.unit_id, CAST(NULL AS BIGINT) AS section_id, CAST(NULL AS BIGINT) AS staff_id,
         p.period_type, p.period, p.period_start, p.period_end
  FROM staging.unit u CROSS JOIN (SELECT DISTINCT period_type, period, period_start, period_end FROM by_period) p
),
complete AS (
  SELECT coalesce(a.level, e.level) AS level, coalesce(a.unit_id, e.unit_id) AS unit_id, a.section_id, a.staff_id,
         coalesce(a.period_type, e.period_type) AS period_type, coalesce(a.period, e.period) AS period,
         coalesce(a.period_start, e.period_start) AS period_start, coalesce(a.period_end, e.period_end) AS period_end,
         coalesce(a.workload_minutes, 0) AS workload_minutes, coalesce(a.expected_minutes, 0) AS expected_minutes,
         coalesce(a.leave_minutes, 0) AS leave_minutes, coalesce(a.filing_days, 0) AS filing_days,
         coalesce(a.filed_days, 0) AS filed_days, coalesce(a.logs_needing_review, 0) AS logs_needing_review,
         coalesce(a.logs_fully_reviewed, 0) AS logs_fully_reviewed
  FROM aggregated a
  FULL OUTER JOIN unit_periods e
    ON a.level = 'UNIT' AND a.unit_id = e.unit_id AND a.period_type = e.period_type AND a.period = e.period
  WHERE a.level IS NULL OR NOT (a.level = 'SECTION' AND a.section_id IS NULL)
)
SELECT c.level,
       CASE c.level WHEN 'PERSON' THEN c.staff_id WHEN 'SECTION' THEN c.section_id ELSE c.unit_id END AS entity_id,
       c.unit_id, c.section_id, c.staff_id,
       CASE c.level WHEN 'PERSON' THEN s.display_name WHEN 'SECTION' THEN sec.section_name ELSE u.unit_name END AS entity_name,
       u.unit_name, u.unit_level, u.peer_group,
       c.period_type, c.period, c.period_start, c.period_end,
       date_add(c.period_end, 1) <= date_sub(DATE '${as_of_date}', ${fill_grace_working_days}) AS is_complete,
       c.workload_minutes, c.expected_minutes, c.leave_minutes, c.filing_days, c.filed_days,
       c.logs_needing_review, c.logs_fully_reviewed,
       CASE WHEN c.expected_minutes > 0 THEN c.workload_minutes / c.expected_minutes END AS workload_ratio,
       CASE WHEN c.expected_minutes > 0 THEN NULL
            WHEN c.level = 'UNIT' AND coalesce(pc.people, 0) = 0 THEN 'no people in the unit'
            ELSE 'no expected working time (not active, or on leave throughout)' END AS workload_ratio_null_reason,
       CASE WHEN c.filing_days > 0 THEN c.filed_days / c.filing_days END AS fill_rate,
       CASE WHEN c.logs_needing_review > 0 THEN c.logs_fully_reviewed / c.logs_needing_review END AS review_rate,
       CASE WHEN c.logs_needing_review > 0 THEN NULL ELSE 'no submitted logs needing review' END AS review_rate_null_reason
FROM complete c
JOIN staging.unit u ON u.unit_id = c.unit_id
LEFT JOIN staging.section sec ON sec.section_id = c.section_id
LEFT JOIN staging.staff s ON s.staff_id = c.staff_id
LEFT JOIN (SELECT unit_id, count(*) AS people FROM staging.staff GROUP BY unit_id) pc ON pc.unit_id = c.unit_id
