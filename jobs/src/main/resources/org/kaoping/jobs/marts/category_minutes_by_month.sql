-- table: mart.category_minutes_by_month
-- grain: one row per level (PERSON, SECTION, UNIT) per entity per month per log category with counted minutes: the
--        sums behind mart.category_share_by_period
-- key: level, entity_id, period_type, period, category
-- refresh: by period
-- check: period_type = 'MONTH'
-- check: category_minutes > 0
--
-- Each month's minutes come from that month's counted logs only, so a build recomputes the months whose logs
-- changed; mart.category_share_by_period rolls its quarters, half-years and years up from these rows and adds the shares.
-- category_minutes = Σ minutes of the month's counted logs in the category (LEAVE excluded)
-- last_work_date   = the day of the month's last such log; a person's unit_id and section_id are those of that day
WITH logs AS (
  SELECT staff_id, section_id, unit_id, work_date, trunc(work_date, 'MM') AS month, category, minutes
  FROM mart.fact_work_log WHERE is_counted AND category <> 'LEAVE' AND ${in_refresh_months:work_date}
),
aggregated AS (
  SELECT CASE WHEN grouping(staff_id) = 0 THEN 'PERSON' WHEN grouping(section_id) = 0 THEN 'SECTION' ELSE 'UNIT' END
           AS level,
         CASE WHEN grouping(staff_id) = 0 THEN max_by(unit_id, work_date) ELSE unit_id END AS unit_id,
         CASE WHEN grouping(staff_id) = 0 THEN max_by(section_id, work_date) ELSE section_id END AS section_id,
         staff_id, month, category, sum(minutes) AS category_minutes, max(work_date) AS last_work_date,
         CASE WHEN grouping(staff_id) = 0 THEN staff_id WHEN grouping(section_id) = 0 THEN section_id ELSE unit_id END
           AS entity_id
  FROM logs
  GROUP BY month, category, GROUPING SETS ((staff_id), (unit_id, section_id), (unit_id))
)
SELECT level, entity_id, unit_id, section_id, staff_id, 'MONTH' AS period_type, date_format(month, 'yyyy-MM') AS period,
       category, category_minutes, last_work_date
FROM aggregated
WHERE NOT (level = 'SECTION' AND entity_id IS NULL)
