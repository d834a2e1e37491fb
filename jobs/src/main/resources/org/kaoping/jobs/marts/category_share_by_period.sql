-- table: mart.category_share_by_period
-- grain: one row per level (PERSON, SECTION, UNIT) per entity per period per log category with counted minutes
-- key: level, entity_id, period_type, period, category
-- refresh: by period
-- check: category_share > 0 AND category_share <= 1
-- check: abs(sum(category_share) OVER (PARTITION BY level, entity_id, period_type, period) - 1) < 1e-9
--
-- category_share = counted minutes in the category / workload minutes (占比); LEAVE is not workload and is
-- not shared. Categories are the nine common ones and each unit's own (is_common = false).
WITH aggregated AS (
  -- a period's minutes are its months' (mart.category_minutes_by_month); a person's row shows the unit and section
  -- of their last log in the category
  SELECT m.level, m.entity_id,
         -- one unit and section per group but a person's, where the last day's stand
         max_by(m.unit_id, m.last_work_date) AS unit_id, max_by(m.section_id, m.last_work_date) AS section_id,
         m.staff_id, p.period_type, p.period, m.category, sum(m.category_minutes) AS category_minutes
  FROM mart.category_minutes_by_month m JOIN mart.calendar_month_period p ON p.month = m.period
  GROUP BY m.level, m.entity_id, CASE WHEN m.level <> 'PERSON' THEN m.unit_id END,
           CASE WHEN m.level <> 'PERSON' THEN m.section_id END, m.staff_id, p.period_type, p.period, m.category
)
SELECT a.level, a.entity_id, a.unit_id, a.section_id, a.staff_id, a.period_type, a.period, a.category, c.category_name,
       coalesce(c.is_common, false) AS is_common, a.category_minutes,
       a.category_minutes / sum(a.category_minutes) OVER (
         PARTITION BY a.level, a.entity_id, a.period_type, a.period) AS category_share
FROM aggregated a
LEFT JOIN staging.work_category c ON c.category = a.category
