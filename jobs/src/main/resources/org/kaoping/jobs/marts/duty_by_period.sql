-- table: mart.duty_by_period
-- grain: one row per active duty of the register per period (MONTH, QUARTER, HALF, YEAR) begun by the as-of date, of
--        the years the data covers; the register as it stands now (an inactive duty is listed in no period)
-- key: duty_id, period_type, period
-- refresh: by period
-- check: (logs = 0) = is_missing
-- check: duty_minutes >= 0
--
-- logs         = counted logs naming the duty in the period, by people of its unit (mart.duty_minutes_by_month)
-- duty_minutes = Σ their minutes                                                           (职能履行工作量)
-- is_missing   = no such log in the period: a duty the register lists and no one worked on  (职能缺失)
-- section_id   = the section the duty is decomposed to; null for a duty of the unit as a whole
WITH periods AS (
  SELECT DISTINCT period_type, period FROM mart.calendar_period WHERE period_start <= DATE '${as_of_date}'
),
work AS (
  SELECT m.duty_id, p.period_type, p.period, sum(m.logs) AS logs, sum(m.duty_minutes) AS duty_minutes
  FROM mart.duty_minutes_by_month m JOIN mart.calendar_month_period p ON p.month = m.period
  GROUP BY m.duty_id, p.period_type, p.period
)
SELECT d.duty_id, d.unit_id, d.section_id, d.duty_name, d.is_mandated, d.shared_code, p.period_type, p.period,
       coalesce(w.logs, 0) AS logs, coalesce(w.duty_minutes, 0) AS duty_minutes, w.duty_id IS NULL AS is_missing
FROM staging.duty d
CROSS JOIN periods p
LEFT JOIN work w ON w.duty_id = d.duty_id AND w.period_type = p.period_type AND w.period = p.period
WHERE d.is_active
