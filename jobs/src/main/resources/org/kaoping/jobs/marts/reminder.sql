-- table: mart.reminder
-- grain: one row per supervised item (not cancelled) or target task per reminder level it reached up to the as-of date
-- key: item_kind, item_id, level
-- check: item_kind IN ('SUPERVISION', 'TARGET_TASK')
-- check: level IN ('BELL', 'YELLOW_CARD', 'RED_CARD')
-- check: recipient_role IN ('RESPONSIBLE', 'SUPERVISING_LEADER', 'PRINCIPAL_LEADER')
--
-- Golmud's three-level reminders (三级提醒): the bell (警铃) to the person responsible (填报责任人), the yellow card (黄牌)
-- to the supervising leader (分管领导), the red card (红牌) to the principal leader (主要领导); each level is reached
-- once per item, and a higher level is an escalation. Days are calendar days.
-- supervised item: BELL on deadline − ${bell_days_before_deadline} days (not before the day it was assigned),
--   YELLOW_CARD on deadline + ${yellow_card_days_overdue}, RED_CARD on deadline + ${red_card_days_overdue}; a level is
--   reached on its day when the item was not completed before that day
-- target task: its monthly escalation in mart.target_task_warning (behind plan beyond the tolerance: BELL; by the
--   yellow-card gap: YELLOW_CARD; by the red-card gap: RED_CARD): a level is reached in the first month at it or above
--   (a task that jumps straight to RED_CARD reaches all three that month); also RED_CARD in the month its
--   ${red_card_on_yellow_count}th separate spell of yellow cards or worse begins (0: never); reached_on = that month's last
--   day, or the as-of date in the as-of month
-- level      = BELL 警铃, YELLOW_CARD 黄牌 or RED_CARD 红牌 (level_rank 1, 2, 3)
-- reached_on = the day the item reached the level, as above
-- responsible_staff_id = mart.fact_settled_item's: the item's responsible person, the task's responsible leader, when
--     they were in its unit; null: no one
-- recipient_staff_id = BELL: the responsible person; YELLOW_CARD: the supervising leader of the section the responsible
--     person was in on reached_on (staging.section), the responsible person themself when they are a leader (in no
--     section); RED_CARD: the principal leader of the item's unit on reached_on (staging.staff_assignment; the lowest id
--     if several). Whoever is missing, the principal leader stands in; null only when the unit has no principal leader
-- recipient_role = as whom the recipient is reminded: RESPONSIBLE, SUPERVISING_LEADER or PRINCIPAL_LEADER (also when a
--     principal leader stands in for someone missing)
-- reason     = why, as a Chinese sentence: the item, its deadline, how far overdue or behind plan
WITH supervision AS (
  SELECT s.supervision_id AS item_id, s.unit_id, s.title,
         CASE WHEN s.is_responsible_in_unit THEN s.responsible_staff_id END AS responsible_staff_id,
         CAST(s.assigned_at AS DATE) AS assigned_on, s.deadline, CAST(s.completed_at AS DATE) AS completed_on
  FROM staging.supervision_item s
  WHERE s.status <> 'CANCELLED'
),
supervision_levels AS (
  SELECT 'SUPERVISION' AS item_kind, i.item_id, i.unit_id, i.title, i.responsible_staff_id, i.deadline, l.level,
         l.level_rank, l.reached_on,
         CASE WHEN l.level = 'BELL' THEN '督办事项《' || i.title || '》' || i.deadline || '到期，尚未办结'
              ELSE '督办事项《' || i.title || '》已超过办结时限（' || i.deadline || '）' || datediff(l.reached_on, i.deadline)
                   || '天仍未办结' END AS reason
  FROM supervision i
  LATERAL VIEW stack(3,
      'BELL', 1, greatest(date_sub(i.deadline, ${bell_days_before_deadline}), i.assigned_on),
      'YELLOW_CARD', 2, date_add(i.deadline, ${yellow_card_days_overdue}),
      'RED_CARD', 3, date_add(i.deadline, ${red_card_days_overdue})
    ) l AS level, level_rank, reached_on
  WHERE (i.completed_on IS NULL OR i.completed_on >= l.reached_on) AND l.reached_on <= DATE '${as_of_date}'
),
task_months AS (
  SELECT task_id, month, planned_progress, reported_progress, gap_points,
         CASE escalation WHEN 'BELL' THEN 1 WHEN 'YELLOW_CARD' THEN 2 WHEN 'RED_CARD' THEN 3 ELSE 0 END AS escalation_rank
  FROM mart.target_task_warning
),
yellow_spells AS (
  -- the months a spell of yellow cards (or worse) begins, numbered per task
  SELECT task_id, month, row_number() OVER (PARTITION BY task_id ORDER BY month) AS spell
  FROM (SELECT task_id, month, escalation_rank,
               lag(escalation_rank, 1, 0) OVER (PARTITION BY task_id ORDER BY month) AS previous_rank
        FROM task_months)
  WHERE escalation_rank >= 2 AND previous_rank < 2
),
task_reached AS (
  SELECT task_id, level, level_rank, min(month) AS month, min_by(by_spells, struct(month, by_spells)) AS by_spells
  FROM (
    SELECT m.task_id, l.level, l.level_rank, m.month, false AS by_spells
    FROM task_months m
    JOIN (SELECT 'BELL' AS level, 1 AS level_rank UNION ALL SELECT 'YELLOW_CARD', 2 UNION ALL SELECT 'RED_CARD', 3) l
      ON m.escalation_rank >= l.level_rank
    UNION ALL
    SELECT task_id, 'RED_CARD', 3, month, true FROM yellow_spells
    WHERE ${red_card_on_yellow_count} > 0 AND spell = ${red_card_on_yellow_count})
  GROUP BY task_id, level, level_rank
),
task_levels AS (
  SELECT 'TARGET_TASK' AS item_kind, t.task_id AS item_id, t.unit_id, t.title,
         CASE WHEN t.is_responsible_in_unit THEN t.responsible_leader_id END AS responsible_staff_id,
         t.planned_end AS deadline, r.level, r.level_rank, least(last_day(r.month), DATE '${as_of_date}') AS reached_on,
         '目标任务《' || t.title || '》' || year(r.month) || '年' || month(r.month) || '月'
           || CASE WHEN r.by_spells THEN '第' || ${red_card_on_yellow_count} || '次被亮黄牌'
                   ELSE '完成进度' || format_number(m.reported_progress, '0.##') || '%，落后计划（'
                        || format_number(m.planned_progress, '0.##') || '%）' || format_number(m.gap_points, '0.##')
                        || '个百分点' END
           || '（计划' || t.planned_end || '完成）' AS reason
  FROM task_reached r
  JOIN staging.target_task t ON t.task_id = r.task_id
  JOIN task_months m ON m.task_id = r.task_id AND m.month = r.month
),
reached AS (
  SELECT * FROM supervision_levels
  UNION ALL
  SELECT * FROM task_levels
),
people AS (
  SELECT a.staff_id, a.unit_id, a.section_id, a.role, a.valid_from, a.valid_to
  FROM staging.staff_assignment a
),
leaders AS (
  SELECT r.item_kind, r.item_id, r.level, responsible.role AS responsible_role,
         section.supervising_leader_id,
         min(principal.staff_id) AS principal_leader_id
  FROM reached r
  LEFT JOIN people responsible ON responsible.staff_id = r.responsible_staff_id
    AND r.reached_on >= responsible.valid_from AND (responsible.valid_to IS NULL OR r.reached_on <= responsible.valid_to)
  LEFT JOIN staging.section section ON section.section_id = responsible.section_id
  LEFT JOIN people principal ON principal.unit_id = r.unit_id AND principal.role = 'PRINCIPAL_LEADER'
    AND r.reached_on >= principal.valid_from AND (principal.valid_to IS NULL OR r.reached_on <= principal.valid_to)
  GROUP BY r.item_kind, r.item_id, r.level, responsible.role, section.supervising_leader_id
),
addressed AS (
  SELECT r.*,
         CASE r.level
           WHEN 'BELL' THEN r.responsible_staff_id
           WHEN 'YELLOW_CARD' THEN CASE WHEN l.responsible_role IN ('PRINCIPAL_LEADER', 'DEPUTY_LEADER')
                                        THEN r.responsible_staff_id ELSE l.supervising_leader_id END
         END AS addressee_id,
         l.principal_leader_id
  FROM reached r
  JOIN leaders l ON l.item_kind = r.item_kind AND l.item_id = r.item_id AND l.level = r.level
)
SELECT item_kind, item_id, unit_id, title AS item_title, deadline, level, level_rank, reached_on,
       coalesce(addressee_id, principal_leader_id) AS recipient_staff_id,
       CASE WHEN addressee_id IS NULL THEN 'PRINCIPAL_LEADER'
            WHEN level = 'BELL' THEN 'RESPONSIBLE' ELSE 'SUPERVISING_LEADER' END AS recipient_role,
       responsible_staff_id, reason
FROM addressed
