-- table: mart.fact_settled_item
-- grain: one row per supervised item (not cancelled) and target task settled up to the as-of date
-- key: kind, item_id
-- check: kind IN ('SUPERVISION', 'TARGET_TASK')
-- check: is_early <= is_by_deadline
--
-- settled_on = when the item counts (定时限): a supervised item on the earlier of its completion day and its deadline, so
--              one completed early counts when it is completed; a target task in the month it first reached 100 %
--              (ORANGE in mart.target_task_warning) when that is no later than its planned end month, else on its
--              planned end day
-- is_by_deadline = 1 when a supervised item was completed on or before the deadline day, a target task in or before
--                  its planned end month; else 0 (completed late, or still open)
-- is_early   = 1 when completed before the deadline day (a task: before its planned end month); else 0
-- is_open    = 1 when not completed (a task: never reached 100 %)
-- responsible_staff_id = the person who answers for it (a supervised item's responsible person, a task's responsible
--              leader) when they were in its unit (staging's is_responsible_in_unit); null: no one
WITH completions AS (
  SELECT task_id, min(month) AS completed_month FROM mart.target_task_warning WHERE warning_colour = 'ORANGE' GROUP BY task_id
),
items AS (
  SELECT 'SUPERVISION' AS kind, s.supervision_id AS item_id, s.unit_id,
         CASE WHEN s.is_responsible_in_unit THEN s.responsible_staff_id END AS responsible_staff_id,
         least(CAST(s.completed_at AS DATE), s.deadline) AS settled_on,
         CASE WHEN CAST(s.completed_at AS DATE) <= s.deadline THEN 1 ELSE 0 END AS is_by_deadline,
         CASE WHEN CAST(s.completed_at AS DATE) < s.deadline THEN 1 ELSE 0 END AS is_early,
         CASE WHEN s.completed_at IS NULL THEN 1 ELSE 0 END AS is_open, s.penalty
  FROM staging.supervision_item s
  WHERE s.status <> 'CANCELLED'
  UNION ALL
  SELECT 'TARGET_TASK', t.task_id, t.unit_id,
         CASE WHEN t.is_responsible_in_unit THEN t.responsible_leader_id END,
         least(c.completed_month, t.planned_end),
         CASE WHEN c.completed_month <= trunc(t.planned_end, 'MM') THEN 1 ELSE 0 END,
         CASE WHEN c.completed_month < trunc(t.planned_end, 'MM') THEN 1 ELSE 0 END,
         CASE WHEN c.completed_month IS NULL THEN 1 ELSE 0 END, 'NONE'
  FROM staging.target_task t LEFT JOIN completions c ON c.task_id = t.task_id
)
SELECT * FROM items WHERE settled_on <= DATE '${as_of_date}'
