-- table: mart.calendar_period
-- grain: one row per calendar day per period type (MONTH, QUARTER, HALF, YEAR) that contains it
-- key: calendar_date, period_type
-- check: calendar_date BETWEEN period_start AND period_end
--
-- period labels: MONTH 2025-03, QUARTER 2025-Q1, HALF 2025-H1 (January to June; H2 July to December), YEAR 2025
-- (org.kaoping.jobs.scoring.PeriodType labels them alike). working_days_to_as_of counts the period's working days up
-- to the as-of date (the denominator of headcount efficiency).
WITH periods AS (
  SELECT c.calendar_date, c.is_working_day, p.period_type, p.period, p.period_start, p.period_end
  FROM mart.calendar_day c
  LATERAL VIEW stack(4,
      'MONTH', date_format(calendar_date, 'yyyy-MM'), trunc(calendar_date, 'MM'), last_day(calendar_date),
      'QUARTER', concat(year(calendar_date), '-Q', quarter(calendar_date)), trunc(calendar_date, 'QUARTER'),
                 date_sub(add_months(trunc(calendar_date, 'QUARTER'), 3), 1),
      'HALF', concat(year(calendar_date), '-H', CASE WHEN month(calendar_date) <= 6 THEN 1 ELSE 2 END),
              add_months(trunc(calendar_date, 'YEAR'), CASE WHEN month(calendar_date) <= 6 THEN 0 ELSE 6 END),
              date_sub(add_months(trunc(calendar_date, 'YEAR'), CASE WHEN month(calendar_date) <= 6 THEN 6 ELSE 12 END), 1),
      'YEAR', CAST(year(calendar_date) AS STRING), trunc(calendar_date, 'YEAR'),
              date_sub(add_months(trunc(calendar_date, 'YEAR'), 12), 1)
    ) p AS period_type, period, period_start, period_end
)
SELECT calendar_date, period_type, period, period_start, period_end,
       sum(CASE WHEN is_working_day AND calendar_date <= DATE '${as_of_date}' THEN 1 ELSE 0 END)
         OVER (PARTITION BY period_type, period) AS working_days_to_as_of,
       date_add(period_end, 1) <= date_sub(DATE '${as_of_date}', ${fill_grace_working_days}) AS is_complete
FROM periods
