-- table: mart.reviewer_by_period
-- grain: one row per reviewer per period, by the day of their decisions
-- key: reviewer_id, period_type, period
-- refresh: by period
-- driver: staging.log_review (reviewed_at)
-- check: decisions_on_time <= decisions
--
-- latency (working days) = from the log reaching the reviewer (its submission for level 1, the level-1
--   decision for level 2) to the reviewer's decision, by the calendar's working-day index
-- median_latency_working_days = the median of those latencies (interpolated between the middle two)
-- decisions_on_time = decisions within ${review_on_time_working_days} working days
WITH decisions AS (
  SELECT r.reviewer_id, CAST(r.reviewed_at AS DATE) AS decided_on,
         CASE r.level WHEN 1 THEN f.level1_latency_working_days ELSE f.level2_latency_working_days END AS latency
  FROM staging.log_review r
  JOIN mart.fact_log_review f ON f.log_id = r.log_id
  WHERE CAST(r.reviewed_at AS DATE) <= DATE '${as_of_date}'
)
SELECT d.reviewer_id, s.display_name AS reviewer_name, s.unit_id, s.role AS reviewer_role,
       p.period_type, p.period, count(*) AS decisions,
       sum(CASE WHEN d.latency <= ${review_on_time_working_days} THEN 1 ELSE 0 END) AS decisions_on_time,
       percentile(d.latency, 0.5) AS median_latency_working_days,
       max(d.latency) AS max_latency_working_days
FROM decisions d
JOIN mart.calendar_period p ON p.calendar_date = d.decided_on
LEFT JOIN staging.staff s ON s.staff_id = d.reviewer_id
GROUP BY d.reviewer_id, s.display_name, s.unit_id, s.role, p.period_type, p.period
