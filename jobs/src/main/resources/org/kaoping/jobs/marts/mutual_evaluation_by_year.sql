-- table: mart.mutual_evaluation_by_year
-- grain: one row per unit scored by other units in the mutual evaluation (单位互评) of a year begun by the as-of date;
--        period_type YEAR only: the evaluation is yearly
-- key: unit_id, period_type, period
-- check: score_total <= possible_score
-- check: raters > 0
--
-- raters                  = units whose leadership team scored the unit for the year (staging.mutual_evaluation: no
--                           self-rating, one score per rater)
-- score_total             = Σ their scores, each out of 100
-- possible_score          = 100 × raters
-- mutual_evaluation_score = score_total / possible_score: the mean score the unit received, as a share of 100
SELECT rated_unit_id AS unit_id, 'YEAR' AS period_type, CAST(assessment_year AS STRING) AS period, count(*) AS raters,
       sum(score) AS score_total, 100 * count(*) AS possible_score,
       CAST(sum(score) AS DOUBLE) / (100 * count(*)) AS mutual_evaluation_score
FROM staging.mutual_evaluation
WHERE assessment_year <= year(DATE '${as_of_date}')
GROUP BY rated_unit_id, assessment_year
