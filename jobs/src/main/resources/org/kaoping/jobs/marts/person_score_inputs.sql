-- table: mart.person_score_inputs
-- grain: one row per person per period: the indicators a person scheme may use
-- key: staff_id, period_type, period
--
-- workload_ratio, fill_rate: mart.metrics_by_period (PERSON rows); unit_id: their unit on their last day
-- reviewer_on_time_rate: as a reviewer, decisions within the on-time limit / decisions (null: reviewed nothing)
SELECT m.staff_id, m.entity_name AS display_name, m.unit_id, m.unit_name, m.period_type, m.period, m.is_complete,
       m.workload_ratio, m.fill_rate,
       r.decisions_on_time / r.decisions AS reviewer_on_time_rate
FROM mart.metrics_by_period m
LEFT JOIN mart.reviewer_by_period r ON r.reviewer_id = m.staff_id AND r.period_type = m.period_type AND r.period = m.period
WHERE m.level = 'PERSON'
