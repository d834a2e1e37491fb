-- table: mart.reviewer_latency_by_month
-- grain: one row per reviewer per month of their decisions per latency: how many decisions took that many working
--        days; the counts behind mart.reviewer_by_period
-- key: reviewer_id, period_type, period, is_timed, latency_working_days
-- refresh: by period
-- driver: staging.log_review (reviewed_at)
-- check: period_type = 'MONTH'
-- check: decisions > 0
-- check: returned_decisions <= decisions
--
-- Each month's counts come from that month's decisions only, so a build recomputes the months whose reviews
-- changed; mart.reviewer_by_period rolls its quarters, half-years and years up from these rows, the median included (a
-- percentile weighted by the counts equals the percentile of the decisions themselves). Every round's decisions
-- count: a resubmitted log reviewed again is more work for its reviewers, not a duplicate.
-- latency_working_days = from the log reaching the reviewer in the decision's round (the round's submission for
--                        level 1, the round's level-1 decision for level 2) to the decision, by the calendar's
--                        working-day index; 0 where is_timed is false
-- is_timed             = the latency is known (the calendar holds both days, and the source records when the round
--                        began: always for round 1 and the log's last round, not for a round between them)
-- decisions            = the reviewer's decisions of the month with that latency
-- returned_decisions   = of those, the decisions that returned the log (退回)
WITH own AS (
  SELECT d.* FROM (
    SELECT r.log_id, r.reviewer_id, r.level, r.review_round, r.decision, CAST(r.reviewed_at AS DATE) AS decided_on
    FROM staging.log_review r
  ) d
  WHERE d.decided_on <= DATE '${as_of_date}' AND ${in_refresh_months:d.decided_on}
),
round_level1 AS (
  -- when each round of those logs passed level 1, the start of its level 2
  SELECT r.log_id, r.review_round, min(r.reviewed_at) AS level1_at
  FROM staging.log_review r LEFT SEMI JOIN own o ON o.log_id = r.log_id
  WHERE r.level = 1
  GROUP BY r.log_id, r.review_round
),
decisions AS (
  SELECT o.reviewer_id, o.decided_on, o.decision,
         CASE WHEN o.level = 2 THEN CAST(l1.level1_at AS DATE)
              WHEN o.review_round = 1 THEN CAST(f.submitted_at AS DATE)
              WHEN o.review_round = f.review_round THEN CAST(f.round_submitted_at AS DATE) END AS reached_on
  FROM own o
  JOIN mart.fact_log_review f ON f.log_id = o.log_id
  LEFT JOIN round_level1 l1 ON l1.log_id = o.log_id AND l1.review_round = o.review_round
),
timed AS (
  SELECT d.reviewer_id, d.decided_on, d.decision, dd.working_day_index - dr.working_day_index AS latency
  FROM decisions d
  LEFT JOIN mart.calendar_day dd ON dd.calendar_date = d.decided_on
  LEFT JOIN mart.calendar_day dr ON dr.calendar_date = d.reached_on
)
SELECT d.reviewer_id, 'MONTH' AS period_type, date_format(d.decided_on, 'yyyy-MM') AS period,
       d.latency IS NOT NULL AS is_timed, coalesce(d.latency, 0) AS latency_working_days, count(*) AS decisions,
       sum(CASE WHEN d.decision = 'RETURNED' THEN 1 ELSE 0 END) AS returned_decisions
FROM timed d
GROUP BY d.reviewer_id, date_format(d.decided_on, 'yyyy-MM'), d.latency IS NOT NULL, coalesce(d.latency, 0)
