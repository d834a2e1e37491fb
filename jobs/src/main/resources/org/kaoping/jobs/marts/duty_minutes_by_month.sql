-- table: mart.duty_minutes_by_month
-- grain: one row per duty per month in which people of the duty's unit logged counted work for it: the sums behind
--        mart.duty_by_period
-- key: duty_id, period_type, period
-- refresh: by period
-- check: period_type = 'MONTH'
-- check: duty_minutes > 0
--
-- Each month's sums come from that month's counted logs only, so a build recomputes the months whose logs changed.
-- A log counts for the duty it names when its author is in the duty's unit on the log's day; a duty of another unit
-- (work_log.other_units_duty) or of none in the register (work_log.unknown_duty) is credited to no duty. LEAVE serves none.
-- logs         = counted logs naming the duty
-- duty_minutes = Σ their minutes
SELECT d.duty_id, d.unit_id, d.section_id, 'MONTH' AS period_type, date_format(trunc(f.work_date, 'MM'), 'yyyy-MM') AS period,
       count(*) AS logs, sum(f.minutes) AS duty_minutes
FROM mart.fact_work_log f
JOIN staging.duty d ON d.duty_id = f.duty_id AND d.unit_id = f.unit_id
WHERE f.is_counted AND f.category <> 'LEAVE' AND ${in_refresh_months:f.work_date}
GROUP BY d.duty_id, d.unit_id, d.section_id, trunc(f.work_date, 'MM')
