-- table: mart.special_assessment_by_period
-- grain: one row per unit per period (MONTH, QUARTER, HALF, YEAR) in which special assessments (专项考核) of the unit
--        were assessed, up to the as-of date
-- key: unit_id, period_type, period
-- check: score_total <= possible_score
-- check: assessments > 0
--
-- assessments              = special-assessment results of the unit assessed in the period (staging.special_assessment)
-- score_total              = Σ their scores, each out of 100
-- possible_score           = 100 × assessments
-- special_assessment_score = score_total / possible_score: their mean as a share of 100, which Golmud merges into the
--                            total by proportion (按比例核算后计入总分)
SELECT a.unit_id, p.period_type, p.period, count(*) AS assessments, sum(a.score) AS score_total,
       100 * count(*) AS possible_score, CAST(sum(a.score) AS DOUBLE) / (100 * count(*)) AS special_assessment_score
FROM staging.special_assessment a
JOIN mart.calendar_period p ON p.calendar_date = a.assessed_on
WHERE a.assessed_on <= DATE '${as_of_date}'
GROUP BY a.unit_id, p.period_type, p.period
