-- table: mart.responsibility_by_period
-- grain: one row per person per period in which supervised items or target tasks they answer for were settled
-- key: staff_id, period_type, period
-- check: completed_by_deadline <= items_due
-- check: completed_early <= completed_by_deadline
--
-- A person answers for the supervised items naming them responsible (督办事项责任人) and the target tasks naming them
-- responsible leader (目标任务责任领导), when they were in the item's unit (staging's is_responsible_in_unit; cancelled
-- items are left out). Items settle as in mart.supervision_by_period, up to the as-of date: a supervised item on the
-- earlier of its completion day and its deadline; a target task in the month it first reached 100 % (ORANGE in
-- mart.target_task_warning) when that is no later than its planned end month, else on its planned end day.
-- items_due             = supervised items and target tasks settled in the period
-- completed_by_deadline = of those, supervised items completed on or before the deadline day and target tasks
--                         completed in or before their planned end month                    (定时限)
-- completed_early       = of those, completed before the deadline day (supervised) or the planned end month (tasks)
-- overdue               = items_due − completed_by_deadline: completed late or still open
-- on_time_rate          = completed_by_deadline / items_due
-- tasks_completed_early = target tasks completed before their planned end month (the scheme's bonus, as for units)
-- penalty_*             = the penalties recorded on the supervised items among them, by type (the scheme deducts them)
WITH supervised AS (
  SELECT s.responsible_staff_id AS staff_id, 'SUPERVISION' AS kind, least(CAST(s.completed_at AS DATE), s.deadline) AS settled_on,
         CASE WHEN CAST(s.completed_at AS DATE) <= s.deadline THEN 1 ELSE 0 END AS is_by_deadline,
         CASE WHEN CAST(s.completed_at AS DATE) < s.deadline THEN 1 ELSE 0 END AS is_early, s.penalty
  FROM staging.supervision_item s
  WHERE s.status <> 'CANCELLED' AND s.is_responsible_in_unit
),
completions AS (
  SELECT task_id, min(month) AS completed_month FROM mart.target_task_warning WHERE warning_colour = 'ORANGE' GROUP BY task_id
),
tasks AS (
  SELECT t.responsible_leader_id AS staff_id, 'TARGET_TASK' AS kind, least(c.completed_month, t.planned_end) AS settled_on,
         CASE WHEN c.completed_month <= trunc(t.planned_end, 'MM') THEN 1 ELSE 0 END AS is_by_deadline,
         CASE WHEN c.completed_month < trunc(t.planned_end, 'MM') THEN 1 ELSE 0 END AS is_early, 'NONE' AS penalty
  FROM staging.target_task t LEFT JOIN completions c ON c.task_id = t.task_id
  WHERE t.is_responsible_in_unit
),
items AS (
  SELECT * FROM supervised UNION ALL SELECT * FROM tasks
)
SELECT i.staff_id, p.period_type, p.period, count(*) AS items_due,
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
FROM items i
JOIN mart.calendar_period p ON p.calendar_date = i.settled_on
WHERE i.settled_on <= DATE '${as_of_date}'
GROUP BY i.staff_id, p.period_type, p.period
