-- table: mart.satisfaction_by_period
-- grain: one row per unit per period (MONTH, QUARTER, HALF, YEAR) in which citizens rated its service windows
--        (社会评价), up to the as-of date
-- key: unit_id, period_type, period
-- check: satisfied_ratings + dissatisfied_ratings <= ratings
-- check: ratings > 0
--
-- ratings              = valid ratings of the unit's windows made in the period (staging.satisfaction_rating: 1..5,
--                        one per case)
-- satisfied_ratings    = of those, 5 非常满意 or 4 满意
-- dissatisfied_ratings = of those, 2 不满意 or 1 非常不满意 (3 基本满意 is neither)
-- satisfaction_rate    = satisfied_ratings / ratings                                                (群众满意率)
SELECT r.unit_id, p.period_type, p.period, count(*) AS ratings,
       sum(CASE WHEN r.is_satisfied THEN 1 ELSE 0 END) AS satisfied_ratings,
       sum(CASE WHEN r.rating <= 2 THEN 1 ELSE 0 END) AS dissatisfied_ratings,
       sum(CASE WHEN r.is_satisfied THEN 1 ELSE 0 END) / count(*) AS satisfaction_rate
FROM staging.satisfaction_rating r
JOIN mart.calendar_period p ON p.calendar_date = CAST(r.rated_at AS DATE)
WHERE CAST(r.rated_at AS DATE) <= DATE '${as_of_date}'
GROUP BY r.unit_id, p.period_type, p.period
