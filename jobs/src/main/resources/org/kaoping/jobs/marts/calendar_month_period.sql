-- table: mart.calendar_month_period
-- grain: one row per calendar month per period (MONTH, QUARTER, HALF, YEAR) that contains it
-- key: month, period_type
--
-- month = the month's label (2025-03), period = the label of the month, quarter, half-year or year holding it: the
-- periods a month's sums roll up into (mart.measures_by_month and the other monthly marts)
SELECT DISTINCT m.period AS month, p.period_type, p.period
FROM mart.calendar_period m JOIN mart.calendar_period p ON p.calendar_date = m.calendar_date
WHERE m.period_type = 'MONTH'
