-- table: mart.target_task_warning
-- grain: one row per target task per month from its planned start up to the as-of month
-- key: task_id, month
-- check: warning_colour IN ('BLACK', 'RED', 'GREEN', 'BLUE', 'ORANGE')
--
-- reported = the latest cumulative progress reported up to that month (0 if none yet)
-- gap      = planned − reported (percentage points)
-- colour (五色预警), first that applies: ORANGE completed (reported >= 100, however early);
--   BLACK not started although planned (planned > 0, reported = 0); RED behind by more than
--   ${target_tolerance_points} points; BLUE ahead by more than ${target_tolerance_points}; GREEN on plan.
-- escalation (Golmud): RED_CARD when gap >= ${red_card_gap_points}, YELLOW_CARD when gap >= ${yellow_card_gap_points},
--   BELL when behind beyond the tolerance, otherwise NONE
WITH months AS (
  SELECT m.task_id, m.month, m.planned_progress,
         coalesce(last(m.reported_progress, true) OVER (PARTITION BY m.task_id ORDER BY m.month
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS reported_progress
  FROM staging.target_task_month m
  WHERE m.month <= trunc(DATE '${as_of_date}', 'MM')
),
graded AS (
  SELECT t.task_id, t.unit_id, t.title, t.kind, t.points, m.month,
         coalesce(m.planned_progress, 0) AS planned_progress, m.reported_progress,
         coalesce(m.planned_progress, 0) - m.reported_progress AS gap_points
  FROM months m JOIN staging.target_task t ON t.task_id = m.task_id
  WHERE m.month >= trunc(t.planned_start, 'MM')
)
SELECT *,
       CASE WHEN reported_progress >= 100 THEN 'ORANGE'
            WHEN planned_progress > 0 AND reported_progress = 0 THEN 'BLACK'
            WHEN gap_points > ${target_tolerance_points} THEN 'RED'
            WHEN -gap_points > ${target_tolerance_points} THEN 'BLUE'
            ELSE 'GREEN' END AS warning_colour,
       CASE WHEN reported_progress >= 100 THEN 'NONE'
            WHEN gap_points >= ${red_card_gap_points} THEN 'RED_CARD'
            WHEN gap_points >= ${yellow_card_gap_points} THEN 'YELLOW_CARD'
            WHEN gap_points > ${target_tolerance_points} THEN 'BELL'
            ELSE 'NONE' END AS escalation
FROM graded
