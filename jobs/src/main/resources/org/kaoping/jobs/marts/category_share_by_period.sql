-- table: mart.category_share_by_period
-- grain: one row per level (PERSON, SECTION, UNIT) per entity per period per log category with counted minutes
-- key: level, entity_id, period_type, period, category
-- refresh: by period
-- check: category_share > 0 AND category_share <= 1
-- check: abs(sum(category_share) OVER (PARTITION BY level, entity_id, period_type, period) - 1) < 1e-9
--
-- category_share = counted minutes in the category / workload minutes (占比); LEAVE is not workload and is
-- not shared. Categories are the nine common ones and each unit's own (is_common = false).
WITH logs AS (
  SELECT staff_id, section_id, unit_id, work_date, category, minutes
  FROM mart.fact_work_log WHERE is_counted AND category <> 'LEAVE'
),
aggregated AS (
  SELECT CASE WHEN grouping(l.staff_id) = 0 THEN 'PERSON' WHEN grouping(l.section_id) = 0 THEN 'SECTION' ELSE 'UNIT' END
           AS level,
         CASE WHEN grouping(l.staff_id) = 0 THEN max_by(l.unit_id, l.work_date) ELSE l.unit_id END AS unit_id,
         CASE WHEN grouping(l.staff_id) = 0 THEN max_by(l.section_id, l.work_date) ELSE l.section_id END AS section_id,
         l.staff_id, p.period_type, p.period, l.category, sum(l.minutes) AS category_minutes,
         CASE WHEN grouping(l.staff_id) = 0 THEN l.staff_id WHEN grouping(l.section_id) = 0 THEN l.section_id ELSE l.unit_id END
           AS entity_id
  FROM logs l JOIN mart.calendar_period p ON p.calendar_date = l.work_date
  GROUP BY p.period_type, p.period, l.category,
           GROUPING SETS ((l.staff_id), (l.unit_id, l.section_id), (l.unit_id))
)
SELECT a.level, a.entity_id, a.unit_id, a.section_id, a.staff_id, a.period_type, a.period, a.category, c.category_name,
       coalesce(c.is_common, false) AS is_common, a.category_minutes,
       a.category_minutes / sum(a.category_minutes) OVER (
         PARTITION BY a.level, a.entity_id, a.period_type, a.period) AS category_share
FROM aggregated a
LEFT JOIN staging.work_category c ON c.category = a.category
WHERE NOT (a.level = 'SECTION' AND a.entity_id IS NULL)
