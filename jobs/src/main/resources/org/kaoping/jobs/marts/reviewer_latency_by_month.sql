-- table: mart.reviewer_latency_by_month
-- grain: one row per reviewer per month of their decisions per latency: how many decisions took that many working
--        days; the counts behind mart.reviewer_by_period
-- key: reviewer_id, period_type, period, is_timed, latency_working_days
-- refresh: by period
-- driver: staging.log_review (reviewed_at)
-- check: period_type = 'MONTH'
-- check: decisions > 0
--
-- Each month's counts come from that month's decisions only, so a build recomputes the months whose reviews
-- changed; mart.reviewer_by_period rolls its quarters and years up from these rows, the median included (a
-- percentile weighted by the counts equals the percentile of the decisions themselves).
-- latency_working_days = from the log reaching the reviewer (its submission for level 1, the level-1 decision for
--                        level 2) to the decision, by the calendar's working-day index; 0 where is_timed is false
-- is_timed             = the latency is known (the calendar holds both days)
-- decisions            = the reviewer's decisions of the month with that latency
WITH decisions AS (
  SELECT r.reviewer_id, CAST(r.reviewed_at AS DATE) AS decided_on,
         CASE r.level WHEN 1 THEN f.level1_latency_working_days ELSE f.level2_latency_working_days END AS latency
  FROM staging.log_review r
  JOIN mart.fact_log_review f ON f.log_id = r.log_id
  WHERE CAST(r.reviewed_at AS DATE) <= DATE '${as_of_date}'
)
SELECT d.reviewer_id, 'MONTH' AS period_type, date_format(d.decided_on, 'yyyy-MM') AS period,
       d.latency IS NOT NULL AS is_timed, coalesce(d.latency, 0) AS latency_working_days, count(*) AS decisions
FROM decisions d
WHERE ${in_refresh_months:d.decided_on}
GROUP BY d.reviewer_id, date_format(d.decided_on, 'yyyy-MM'), d.latency IS NOT NULL, coalesce(d.latency, 0)
