-- table: mart.person_score_inputs
-- grain: one row per person per period: the indicators a person scheme may use
-- key: staff_id, period_type, period
-- refresh: by period
--
-- workload_ratio, fill_rate: mart.metrics_by_period (PERSON rows); unit_id: their unit on their last day
-- reviewer_on_time_rate: as a reviewer, decisions within the on-time limit / decisions (null: reviewed nothing)
-- <indicator>_numerator / <indicator>_denominator: the counts each indicator divides, from which the
--   scores compute points exactly (the indicator itself is their quotient as a double, for readers)
SELECT m.staff_id, m.entity_name AS display_name, m.unit_id, m.unit_name, m.period_type, m.period, m.is_complete,
       m.workload_ratio, m.fill_rate,
       r.decisions_on_time / r.decisions AS reviewer_on_time_rate,
       m.workload_minutes AS workload_ratio_numerator, m.expected_minutes AS workload_ratio_denominator,
       m.filed_days AS fill_rate_numerator, m.filing_days AS fill_rate_denominator,
       r.decisions_on_time AS reviewer_on_time_rate_numerator, r.decisions AS reviewer_on_time_rate_denominator
FROM mart.metrics_by_period m
LEFT JOIN mart.reviewer_by_period r ON r.reviewer_id = m.staff_id AND r.period_type = m.period_type AND r.period = m.period
WHERE m.level = 'PERSON'
