-- table: mart.person_score_inputs
-- grain: one row per person per period: the indicators a person scheme may use, with the penalty and bonus counts
-- key: staff_id, period_type, period
--
-- workload_ratio, fill_rate: mart.metrics_by_period (PERSON rows); unit_id: their unit on their last day
-- reviewer_on_time_rate: as a reviewer, decisions within the on-time limit / decisions (null: reviewed nothing)
-- responsibility_on_time_rate: supervised items and target tasks the person answers for completed by their deadline /
--   those settled in the period (mart.responsibility_by_period; null: none settled)
-- penalty_*: penalties on the supervised items the person answers for, settled in the period (0: none)
-- early_completions: target tasks the person leads completed before their planned end month, in the period
-- <indicator>_numerator / <indicator>_denominator: the counts each indicator divides, from which the
--   scores compute points exactly (the indicator itself is their quotient as a double, for readers)
SELECT m.staff_id, m.entity_name AS display_name, m.unit_id, m.unit_name, m.period_type, m.period, m.is_complete,
       m.workload_ratio, m.fill_rate,
       r.decisions_on_time / r.decisions AS reviewer_on_time_rate,
       d.on_time_rate AS responsibility_on_time_rate,
       coalesce(d.penalty_reminders, 0) AS penalty_reminders, coalesce(d.penalty_talks, 0) AS penalty_talks,
       coalesce(d.penalty_notices, 0) AS penalty_notices, coalesce(d.penalty_admonitions, 0) AS penalty_admonitions,
       coalesce(d.penalty_accountabilities, 0) AS penalty_accountabilities,
       coalesce(d.tasks_completed_early, 0) AS early_completions,
       m.workload_minutes AS workload_ratio_numerator, m.expected_minutes AS workload_ratio_denominator,
       m.filed_days AS fill_rate_numerator, m.filing_days AS fill_rate_denominator,
       r.decisions_on_time AS reviewer_on_time_rate_numerator, r.decisions AS reviewer_on_time_rate_denominator,
       d.completed_by_deadline AS responsibility_on_time_rate_numerator,
       d.items_due AS responsibility_on_time_rate_denominator
FROM mart.metrics_by_period m
LEFT JOIN mart.reviewer_by_period r ON r.reviewer_id = m.staff_id AND r.period_type = m.period_type AND r.period = m.period
LEFT JOIN mart.responsibility_by_period d ON d.staff_id = m.staff_id AND d.period_type = m.period_type AND d.period = m.period
WHERE m.level = 'PERSON'
