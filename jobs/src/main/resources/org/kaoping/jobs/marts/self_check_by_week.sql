-- table: mart.self_check_by_week
-- grain: one row per level (PERSON, SECTION) per entity per ISO week (Monday to Sunday) with days or logs: what a
--        person and a section check weekly (周自查)
-- key: level, entity_id, period_type, period
-- refresh: by period
-- check: period_type = 'WEEK'
-- check: week_end = date_add(week_start, 6)
-- check: filed_days <= filing_days
-- check: logs_awaiting_review <= logs_needing_review
-- check: logs_returned <= logs_needing_review
--
-- A week's sums are those of its person-days (mart.fact_person_day) and of the logs of its days needing review
-- (mart.fact_log_review), by the rules of mart.measures_by_month: a section counts the days and logs of the people
-- who belonged to it on those days, so a person who moved mid-week counts in both sections, and their own row shows
-- where they were on their last day of the week. A week across a month's end is rewritten when either month is.
-- period               = the ISO week: its week-based year, -W and its number (2025-W01 begins on Monday 2024-12-30)
-- week_start/week_end  = the week's Monday and Sunday (work on a weekend counts in its week)
-- workload_minutes / expected_minutes = Σ the week's workload and expected minutes (mart.fact_person_day)
-- filing_days / filed_days = the week's filing days and those filed on time (mart.fact_person_day)
-- logs_needing_review  = the week's logs needing review (mart.fact_log_review, by the log's work date)
-- workload_ratio       = workload_minutes / expected_minutes                   (工作量比率)
-- fill_rate            = filed_days / filing_days                              (填报率)
-- logs_awaiting_review = logs needing review whose last round the review chain has not finished (待审阅)
-- logs_returned        = logs needing review that a reviewer returned at least once, in any review round (被退回)
-- A zero denominator gives a null rate.
WITH days AS (
  SELECT d.staff_id, d.section_id, d.unit_id, d.work_date, d.workload_minutes, d.expected_minutes,
         CASE WHEN d.is_filing_day THEN 1 ELSE 0 END AS filing_days,
         CASE WHEN d.is_filed_on_time THEN 1 ELSE 0 END AS filed_days,
         0 AS logs_needing_review, 0 AS logs_awaiting_review, 0 AS logs_returned
  FROM mart.fact_person_day d WHERE ${in_refresh_weeks:d.work_date} -- the partitions of the rewritten weeks only
  UNION ALL
  SELECT r.staff_id, r.section_id, r.unit_id, r.work_date, 0, 0, 0, 0, 1,
         CASE WHEN r.is_fully_reviewed THEN 0 ELSE 1 END, CASE WHEN r.returns > 0 THEN 1 ELSE 0 END
  FROM mart.fact_log_review r WHERE ${in_refresh_weeks:r.work_date}
),
weeks AS (
  SELECT w.* FROM (SELECT *, trunc(work_date, 'WEEK') AS week_start, date_add(trunc(work_date, 'WEEK'), 6) AS week_end
                   FROM days) w
  WHERE ${in_refresh_months:w.week_start} OR ${in_refresh_months:w.week_end} -- a week of a rewritten month, whole
),
aggregated AS (
  SELECT CASE WHEN grouping(staff_id) = 0 THEN 'PERSON' ELSE 'SECTION' END AS level,
         CASE WHEN grouping(staff_id) = 0 THEN max_by(unit_id, work_date) ELSE unit_id END AS unit_id,
         CASE WHEN grouping(staff_id) = 0 THEN max_by(section_id, work_date) ELSE section_id END AS section_id,
         staff_id, week_start, week_end,
         sum(workload_minutes) AS workload_minutes, sum(expected_minutes) AS expected_minutes,
         sum(filing_days) AS filing_days, sum(filed_days) AS filed_days,
         sum(logs_needing_review) AS logs_needing_review, sum(logs_awaiting_review) AS logs_awaiting_review,
         sum(logs_returned) AS logs_returned
  FROM weeks
  GROUP BY week_start, week_end, GROUPING SETS ((staff_id), (unit_id, section_id))
)
SELECT a.level, CASE a.level WHEN 'PERSON' THEN a.staff_id ELSE a.section_id END AS entity_id,
       CASE a.level WHEN 'PERSON' THEN s.display_name ELSE sec.section_name END AS entity_name,
       a.unit_id, u.unit_name, a.section_id, sec.section_name, a.staff_id,
       'WEEK' AS period_type,
       concat(date_part('YEAROFWEEK', a.week_start), '-W', lpad(CAST(weekofyear(a.week_start) AS STRING), 2, '0')) AS period,
       a.week_start, a.week_end,
       a.workload_minutes, a.expected_minutes,
       CASE WHEN a.expected_minutes > 0 THEN a.workload_minutes / a.expected_minutes END AS workload_ratio,
       a.filing_days, a.filed_days,
       CASE WHEN a.filing_days > 0 THEN a.filed_days / a.filing_days END AS fill_rate,
       a.logs_needing_review, a.logs_awaiting_review, a.logs_returned
FROM aggregated a
JOIN staging.unit u ON u.unit_id = a.unit_id
LEFT JOIN staging.section sec ON sec.section_id = a.section_id
LEFT JOIN staging.staff s ON s.staff_id = a.staff_id
WHERE NOT (a.level = 'SECTION' AND a.section_id IS NULL)
