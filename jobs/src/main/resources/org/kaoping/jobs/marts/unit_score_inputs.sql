-- table: mart.unit_score_inputs
-- grain: one row per unit per period: every indicator an indicator scheme may use, with the penalty and bonus counts
-- key: unit_id, period_type, period
--
-- workload_ratio, fill_rate, review_rate, review_on_time_rate: mart.metrics_by_period (UNIT rows)
-- service_on_time_rate: mart.service_execution_by_period.on_time_rate (null: no completed cases)
-- supervision_completion_rate: mart.supervision_by_period.completion_rate (null: nothing fell due)
-- target_on_plan_rate: on-plan share of the unit's target tasks in the period's last month with tasks
-- special_assessment_score: mart.special_assessment_by_period (null: no special assessment in the period)
-- mutual_evaluation_score: mart.mutual_evaluation_by_year (YEAR periods only; null otherwise or when no unit scored it)
-- satisfaction_rate: mart.satisfaction_by_period (null: no citizen rated the unit's windows in the period)
-- penalty_*: penalties on supervised items that fell due in the period
-- early_completions: target tasks that first reached 100 % in the period, before their planned end month
--   (mart.fact_settled_item)
-- <indicator>_numerator / <indicator>_denominator: the counts each indicator divides, from which the
--   scores compute points exactly (the indicator itself is their quotient as a double, for readers)
WITH target AS (
  SELECT t.unit_id, p.period_type, p.period, max_by(t.on_plan_rate, t.month) AS target_on_plan_rate,
         max_by(t.green + t.blue + t.orange, t.month) AS target_on_plan_rate_numerator,
         max_by(t.tasks, t.month) AS target_on_plan_rate_denominator
  FROM mart.target_warning_by_unit_month t JOIN mart.calendar_period p ON p.calendar_date = t.month
  GROUP BY t.unit_id, p.period_type, p.period
),
early AS (
  SELECT i.unit_id, p.period_type, p.period, count(*) AS early_completions
  FROM mart.fact_settled_item i JOIN mart.calendar_period p ON p.calendar_date = i.settled_on
  WHERE i.kind = 'TARGET_TASK' AND i.is_early = 1
  GROUP BY i.unit_id, p.period_type, p.period
)
SELECT m.unit_id, m.unit_name, m.peer_group, m.period_type, m.period, m.is_complete,
       m.workload_ratio, m.fill_rate, m.review_rate, m.review_on_time_rate,
       s.on_time_rate AS service_on_time_rate, v.completion_rate AS supervision_completion_rate, t.target_on_plan_rate,
       a.special_assessment_score, me.mutual_evaluation_score, sr.satisfaction_rate,
       coalesce(v.penalty_reminders, 0) AS penalty_reminders, coalesce(v.penalty_talks, 0) AS penalty_talks,
       coalesce(v.penalty_notices, 0) AS penalty_notices, coalesce(v.penalty_admonitions, 0) AS penalty_admonitions,
       coalesce(v.penalty_accountabilities, 0) AS penalty_accountabilities,
       coalesce(e.early_completions, 0) AS early_completions,
       m.workload_minutes AS workload_ratio_numerator, m.expected_minutes AS workload_ratio_denominator,
       m.filed_days AS fill_rate_numerator, m.filing_days AS fill_rate_denominator,
       m.logs_fully_reviewed AS review_rate_numerator, m.logs_needing_review AS review_rate_denominator,
       m.logs_reviewed_on_time AS review_on_time_rate_numerator, m.logs_needing_review AS review_on_time_rate_denominator,
       s.cases_completed_on_time AS service_on_time_rate_numerator, s.cases_completed AS service_on_time_rate_denominator,
       v.completed_by_deadline AS supervision_completion_rate_numerator,
       v.items_due AS supervision_completion_rate_denominator,
       t.target_on_plan_rate_numerator, t.target_on_plan_rate_denominator,
       a.score_total AS special_assessment_score_numerator, a.possible_score AS special_assessment_score_denominator,
       me.score_total AS mutual_evaluation_score_numerator, me.possible_score AS mutual_evaluation_score_denominator,
       sr.satisfied_ratings AS satisfaction_rate_numerator, sr.ratings AS satisfaction_rate_denominator
FROM mart.metrics_by_period m
LEFT JOIN mart.service_execution_by_period s ON s.unit_id = m.unit_id AND s.period_type = m.period_type AND s.period = m.period
LEFT JOIN mart.supervision_by_period v ON v.unit_id = m.unit_id AND v.period_type = m.period_type AND v.period = m.period
LEFT JOIN target t ON t.unit_id = m.unit_id AND t.period_type = m.period_type AND t.period = m.period
LEFT JOIN early e ON e.unit_id = m.unit_id AND e.period_type = m.period_type AND e.period = m.period
LEFT JOIN mart.special_assessment_by_period a
  ON a.unit_id = m.unit_id AND a.period_type = m.period_type AND a.period = m.period
LEFT JOIN mart.mutual_evaluation_by_year me ON me.unit_id = m.unit_id AND me.period_type = m.period_type AND me.period = m.period
LEFT JOIN mart.satisfaction_by_period sr ON sr.unit_id = m.unit_id AND sr.period_type = m.period_type AND sr.period = m.period
WHERE m.level = 'UNIT'
