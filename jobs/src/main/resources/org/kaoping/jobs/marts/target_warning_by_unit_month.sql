-- table: mart.target_warning_by_unit_month
-- grain: one row per unit per month with target tasks
-- key: unit_id, month
-- check: black + red + green + blue + orange = tasks
--
-- counts of the unit's tasks by warning colour and escalation level (see mart.target_task_warning);
-- on_plan_rate = (GREEN + BLUE + ORANGE) / tasks
SELECT unit_id, month, count(*) AS tasks,
       sum(CASE WHEN warning_colour = 'BLACK' THEN 1 ELSE 0 END) AS black,
       sum(CASE WHEN warning_colour = 'RED' THEN 1 ELSE 0 END) AS red,
       sum(CASE WHEN warning_colour = 'GREEN' THEN 1 ELSE 0 END) AS green,
       sum(CASE WHEN warning_colour = 'BLUE' THEN 1 ELSE 0 END) AS blue,
       sum(CASE WHEN warning_colour = 'ORANGE' THEN 1 ELSE 0 END) AS orange,
       sum(CASE WHEN escalation = 'BELL' THEN 1 ELSE 0 END) AS bells,
       sum(CASE WHEN escalation = 'YELLOW_CARD' THEN 1 ELSE 0 END) AS yellow_cards,
       sum(CASE WHEN escalation = 'RED_CARD' THEN 1 ELSE 0 END) AS red_cards,
       sum(CASE WHEN warning_colour IN ('GREEN', 'BLUE', 'ORANGE') THEN 1 ELSE 0 END) / count(*) AS on_plan_rate
FROM mart.target_task_warning
GROUP BY unit_id, month
