-- table: mart.supervision_by_period
-- grain: one row per unit per period in which supervised items fell due
-- key: unit_id, period_type, period
-- check: completed_by_deadline <= items_due
--
-- items_due            = supervised items whose deadline falls in the period (up to the as-of date)
-- completed_by_deadline = of those, completed on or before the deadline day    (督办事项完成情况)
-- completion_rate      = completed_by_deadline / items_due
-- penalties            = the penalties recorded on those items, by type; the score scheme turns them into points
SELECT s.unit_id, p.period_type, p.period, count(*) AS items_due,
       sum(CASE WHEN CAST(s.completed_at AS DATE) <= s.deadline THEN 1 ELSE 0 END) AS completed_by_deadline,
       sum(CASE WHEN CAST(s.completed_at AS DATE) <= s.deadline THEN 1 ELSE 0 END) / count(*) AS completion_rate,
       sum(CASE WHEN s.completed_at IS NULL THEN 1 ELSE 0 END) AS still_open,
       sum(CASE WHEN s.penalty = 'REMINDER' THEN 1 ELSE 0 END) AS penalty_reminders,
       sum(CASE WHEN s.penalty = 'TALK' THEN 1 ELSE 0 END) AS penalty_talks,
       sum(CASE WHEN s.penalty = 'NOTICE' THEN 1 ELSE 0 END) AS penalty_notices,
       sum(CASE WHEN s.penalty = 'ADMONITION' THEN 1 ELSE 0 END) AS penalty_admonitions,
       sum(CASE WHEN s.penalty = 'ACCOUNTABILITY' THEN 1 ELSE 0 END) AS penalty_accountabilities
FROM staging.supervision_item s
JOIN mart.calendar_period p ON p.calendar_date = s.deadline
WHERE s.deadline <= DATE '${as_of_date}' AND s.status <> 'CANCELLED'
GROUP BY s.unit_id, p.period_type, p.period
