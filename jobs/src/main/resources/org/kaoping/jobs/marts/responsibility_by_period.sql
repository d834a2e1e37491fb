-- table: mart.responsibility_by_period
-- grain: one row per person per period in which supervised items or target tasks they answer for were settled
-- key: staff_id, period_type, period
-- check: completed_by_deadline <= items_due
-- check: completed_early <= completed_by_deadline
--
-- A person answers for the supervised items naming them responsible (督办事项责任人) and the target tasks naming them
-- responsible leader (目标任务责任领导), when they were in the item's unit: mart.fact_settled_item's responsible_staff_id,
-- each item in the period it settled (as the units' supervised items: one completed early counts when completed).
-- items_due             = supervised items and target tasks settled in the period
-- completed_by_deadline = of those, supervised items completed on or before the deadline day and target tasks
--                         completed in or before their planned end month                    (定时限)
-- completed_early       = of those, completed before the deadline day (supervised) or the planned end month (tasks)
-- overdue               = items_due − completed_by_deadline: completed late or still open
-- on_time_rate          = completed_by_deadline / items_due
-- tasks_completed_early = target tasks completed before their planned end month (the scheme's bonus, as for units)
-- penalty_*             = the penalties recorded on the supervised items among them, by type (the scheme deducts them)
SELECT i.responsible_staff_id AS staff_id, p.period_type, p.period, count(*) AS items_due,
       sum(i.is_by_deadline) AS completed_by_deadline, sum(i.is_early) AS completed_early,
       count(*) - sum(i.is_by_deadline) AS overdue,
       sum(i.is_by_deadline) / count(*) AS on_time_rate,
       sum(CASE WHEN i.kind = 'SUPERVISION' THEN 1 ELSE 0 END) AS supervised_items_due,
       sum(CASE WHEN i.kind = 'TARGET_TASK' THEN 1 ELSE 0 END) AS target_tasks_due,
       sum(CASE WHEN i.kind = 'TARGET_TASK' THEN i.is_early ELSE 0 END) AS tasks_completed_early,
       sum(CASE WHEN i.penalty = 'REMINDER' THEN 1 ELSE 0 END) AS penalty_reminders,
       sum(CASE WHEN i.penalty = 'TALK' THEN 1 ELSE 0 END) AS penalty_talks,
       sum(CASE WHEN i.penalty = 'NOTICE' THEN 1 ELSE 0 END) AS penalty_notices,
       sum(CASE WHEN i.penalty = 'ADMONITION' THEN 1 ELSE 0 END) AS penalty_admonitions,
       sum(CASE WHEN i.penalty = 'ACCOUNTABILITY' THEN 1 ELSE 0 END) AS penalty_accountabilities
FROM mart.fact_settled_item i
JOIN mart.calendar_period p ON p.calendar_date = i.settled_on
WHERE i.responsible_staff_id IS NOT NULL
GROUP BY i.responsible_staff_id, p.period_type, p.period
