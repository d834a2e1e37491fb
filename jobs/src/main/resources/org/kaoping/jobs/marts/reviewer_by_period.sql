-- table: mart.reviewer_by_period
-- grain: one row per reviewer per period, by the day of their decisions
-- key: reviewer_id, period_type, period
-- refresh: by period
-- check: decisions_on_time <= decisions
-- check: decisions_returned <= decisions
--
-- latency (working days) = from the log reaching the reviewer (its submission for level 1, the level-1
--   decision for level 2) to the reviewer's decision, by the calendar's working-day index
-- median_latency_working_days = the median of those latencies (interpolated between the middle two)
-- decisions_on_time = decisions within ${review_on_time_working_days} working days
-- decisions = the reviewer's decisions of every review round (a resubmitted log reviewed again counts again)
-- decisions_returned = of those, the decisions that returned the log
-- return_rate = decisions_returned / decisions                                  (退回率)
-- A quarter's or year's figures come from its months' counts (mart.reviewer_latency_by_month).
SELECT l.reviewer_id, s.display_name AS reviewer_name, s.unit_id, s.role AS reviewer_role,
       p.period_type, p.period, sum(l.decisions) AS decisions,
       sum(CASE WHEN l.is_timed AND l.latency_working_days <= ${review_on_time_working_days} THEN l.decisions ELSE 0 END)
         AS decisions_on_time,
       sum(l.returned_decisions) AS decisions_returned, sum(l.returned_decisions) / sum(l.decisions) AS return_rate,
       percentile(CASE WHEN l.is_timed THEN l.latency_working_days END, 0.5, l.decisions) AS median_latency_working_days,
       max(CASE WHEN l.is_timed THEN l.latency_working_days END) AS max_latency_working_days
FROM mart.reviewer_latency_by_month l
JOIN mart.calendar_month_period p ON p.month = l.period
LEFT JOIN staging.staff s ON s.staff_id = l.reviewer_id
GROUP BY l.reviewer_id, s.display_name, s.unit_id, s.role, p.period_type, p.period
