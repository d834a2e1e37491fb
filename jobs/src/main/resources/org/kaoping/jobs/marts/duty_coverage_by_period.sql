-- table: mart.duty_coverage_by_period
-- grain: one row per unit or section (level UNIT / SECTION) with active duties per period (MONTH, QUARTER, HALF, YEAR)
--        begun by the as-of date
-- key: level, entity_id, period_type, period
-- refresh: by period
-- check: duties_with_work + duties_missing = duties_listed
-- check: coverage_rate BETWEEN 0 AND 1
--
-- A unit's duties are all of its register's active duties (its own and its sections'); a section's, those decomposed
-- to it (mart.duty_by_period).
-- duties_listed    = active duties in the register                                        (职能任务数)
-- duties_with_work = of those, duties with counted logged work in the period by people of the unit
-- duties_missing   = duties_listed − duties_with_work                                      (职能缺失)
-- coverage_rate    = duties_with_work / duties_listed                                      (职能履行率)
-- duty_minutes     = Σ counted minutes logged against those duties
-- minutes_per_duty = duty_minutes / duties_listed: the work behind each listed duty on average
WITH aggregated AS (
  SELECT CASE WHEN grouping(section_id) = 0 THEN 'SECTION' ELSE 'UNIT' END AS level,
         CASE WHEN grouping(section_id) = 0 THEN section_id ELSE unit_id END AS entity_id,
         unit_id, CASE WHEN grouping(section_id) = 0 THEN section_id END AS section_id, period_type, period,
         count(*) AS duties_listed, sum(CASE WHEN is_missing THEN 0 ELSE 1 END) AS duties_with_work,
         sum(duty_minutes) AS duty_minutes
  FROM mart.duty_by_period
  GROUP BY unit_id, period_type, period, GROUPING SETS ((section_id), ())
)
SELECT level, entity_id, unit_id, section_id, period_type, period, duties_listed, duties_with_work,
       duties_listed - duties_with_work AS duties_missing, duties_with_work / duties_listed AS coverage_rate,
       duty_minutes, duty_minutes / duties_listed AS minutes_per_duty
FROM aggregated
-- a unit's duties of the unit as a whole make no section
WHERE NOT (level = 'SECTION' AND entity_id IS NULL)
