-- table: mart.supervision_by_period
-- grain: one row per unit per period in which supervised items were settled (fell due, or were completed before their deadline)
-- key: unit_id, period_type, period
-- check: completed_by_deadline <= items_due
--
-- items_due            = supervised items settled in the period (mart.fact_settled_item, up to the as-of date): on the
--                        earlier of the completion day and the deadline, so an item completed early counts when it is
--                        completed, even if due after the as-of date
-- completed_by_deadline = of those, completed on or before the deadline day    (督办事项完成情况)
-- completion_rate      = completed_by_deadline / items_due
-- penalties            = the penalties recorded on those items, by type; the score scheme turns them into points
SELECT s.unit_id, p.period_type, p.period, count(*) AS items_due,
       sum(s.is_by_deadline) AS completed_by_deadline,
       sum(s.is_by_deadline) / count(*) AS completion_rate,
       sum(s.is_open) AS still_open,
       sum(CASE WHEN s.penalty = 'REMINDER' THEN 1 ELSE 0 END) AS penalty_reminders,
       sum(CASE WHEN s.penalty = 'TALK' THEN 1 ELSE 0 END) AS penalty_talks,
       sum(CASE WHEN s.penalty = 'NOTICE' THEN 1 ELSE 0 END) AS penalty_notices,
       sum(CASE WHEN s.penalty = 'ADMONITION' THEN 1 ELSE 0 END) AS penalty_admonitions,
       sum(CASE WHEN s.penalty = 'ACCOUNTABILITY' THEN 1 ELSE 0 END) AS penalty_accountabilities
FROM mart.fact_settled_item s
JOIN mart.calendar_period p ON p.calendar_date = s.settled_on
WHERE s.kind = 'SUPERVISION'
GROUP BY s.unit_id, p.period_type, p.period
