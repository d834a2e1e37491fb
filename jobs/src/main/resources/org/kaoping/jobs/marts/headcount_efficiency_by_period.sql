-- table: mart.headcount_efficiency_by_period
-- grain: one row per unit or section (level UNIT / SECTION) per period
-- key: level, entity_id, period_type, period
-- refresh: by period
--
-- implied_fte      = workload minutes / (working days in the period up to the as-of date × ${full_day_minutes})
-- actual_staff     = active person-days / those working days (average people in post)
-- authorized_headcount = 编制数 of the unit or section
-- post_surplus     = authorized_headcount − implied_fte (positive: more posts than the work needs;
--                    negative: the shortfall that argues for more posts)        (编制效能)
SELECT m.level, m.entity_id, m.entity_name, m.unit_id, m.unit_name, m.period_type, m.period, m.is_complete,
       m.working_days_to_as_of AS working_days, m.workload_minutes, m.active_person_days,
       CASE WHEN m.working_days_to_as_of > 0 THEN m.workload_minutes / (m.working_days_to_as_of * ${full_day_minutes}) END
         AS implied_fte,
       CASE WHEN m.working_days_to_as_of > 0 THEN m.active_person_days / m.working_days_to_as_of END AS actual_staff,
       coalesce(sec.authorized_headcount, u.authorized_headcount) AS authorized_headcount,
       coalesce(sec.authorized_headcount, u.authorized_headcount)
         - CASE WHEN m.working_days_to_as_of > 0 THEN m.workload_minutes / (m.working_days_to_as_of * ${full_day_minutes}) END
         AS post_surplus
FROM mart.metrics_by_period m
LEFT JOIN staging.unit u ON m.level = 'UNIT' AND u.unit_id = m.entity_id
LEFT JOIN staging.section sec ON m.level = 'SECTION' AND sec.section_id = m.entity_id
WHERE m.level IN ('UNIT', 'SECTION')
