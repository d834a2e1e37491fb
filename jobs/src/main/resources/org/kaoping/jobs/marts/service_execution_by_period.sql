-- table: mart.service_execution_by_period
-- grain: one row per unit with service items per period
-- key: unit_id, period_type, period
-- check: cases_completed_on_time <= cases_completed
-- check: zero_handling_items <= service_items
--
-- handling time (working days) = working-day index of the completion day − that of the acceptance day
-- on_time_rate      = cases completed within the item's promised limit (handling time <= limit, so a case
--                     finished exactly on its limit is on time) / cases completed in the period  (审批服务执行)
-- overdue_open_cases = cases open at the end of the period (or at the as-of date, if earlier) whose
--                     handling time so far exceeds the promised limit
-- zero_handling_items = items that accepted no case in the period (零办理)
-- avg_handling_working_days = mean handling time of the cases completed in the period
-- Only COMPLETED cases count as completed; REJECTED and TRANSFERRED ones are counted apart.
WITH cases AS (
  SELECT c.case_id, c.item_id, i.unit_id, i.promised_limit_days, c.status,
         CAST(c.accepted_at AS DATE) AS accepted_on, CAST(c.completed_at AS DATE) AS closed_on
  FROM staging.service_case c JOIN staging.service_item i ON i.item_id = c.item_id
  WHERE CAST(c.accepted_at AS DATE) <= DATE '${as_of_date}'
),
idx AS (SELECT calendar_date, working_day_index FROM mart.calendar_day),
periods AS (
  SELECT DISTINCT period_type, period, period_start, least(period_end, DATE '${as_of_date}') AS period_cut
  FROM mart.calendar_period WHERE period_start <= DATE '${as_of_date}'
),
unit_periods AS (
  SELECT i.unit_id, p.* FROM (SELECT DISTINCT unit_id FROM staging.service_item) i CROSS JOIN periods p
),
completed AS (
  SELECT u.unit_id, u.period_type, u.period, count(*) AS cases_completed,
         sum(CASE WHEN e.working_day_index - a.working_day_index <= c.promised_limit_days THEN 1 ELSE 0 END)
           AS cases_completed_on_time,
         avg(e.working_day_index - a.working_day_index) AS avg_handling_working_days
  FROM unit_periods u
  JOIN cases c ON c.unit_id = u.unit_id AND c.status = 'COMPLETED' AND c.closed_on BETWEEN u.period_start AND u.period_cut
  JOIN idx a ON a.calendar_date = c.accepted_on
  JOIN idx e ON e.calendar_date = c.closed_on
  GROUP BY u.unit_id, u.period_type, u.period
),
other AS (
  SELECT u.unit_id, u.period_type, u.period,
         sum(CASE WHEN c.accepted_on BETWEEN u.period_start AND u.period_cut THEN 1 ELSE 0 END) AS cases_accepted,
         sum(CASE WHEN c.status IN ('REJECTED', 'TRANSFERRED') AND c.closed_on BETWEEN u.period_start AND u.period_cut
                  THEN 1 ELSE 0 END) AS cases_rejected_or_transferred,
         sum(CASE WHEN c.accepted_on <= u.period_cut AND (c.closed_on IS NULL OR c.closed_on > u.period_cut)
                   AND cut.working_day_index - a.working_day_index > c.promised_limit_days THEN 1 ELSE 0 END)
           AS overdue_open_cases
  FROM unit_periods u
  LEFT JOIN cases c ON c.unit_id = u.unit_id
  LEFT JOIN idx a ON a.calendar_date = c.accepted_on
  LEFT JOIN idx cut ON cut.calendar_date = u.period_cut
  GROUP BY u.unit_id, u.period_type, u.period
),
item_cases AS (
  SELECT i.item_id, u.unit_id, u.period_type, u.period, count(c.case_id) AS cases_accepted
  FROM unit_periods u
  JOIN staging.service_item i ON i.unit_id = u.unit_id
  LEFT JOIN cases c ON c.item_id = i.item_id AND c.accepted_on BETWEEN u.period_start AND u.period_cut
  GROUP BY i.item_id, u.unit_id, u.period_type, u.period
),
items AS (
  SELECT unit_id, period_type, period, count(*) AS service_items,
         sum(CASE WHEN cases_accepted = 0 THEN 1 ELSE 0 END) AS zero_handling_items
  FROM item_cases GROUP BY unit_id, period_type, period
)
SELECT o.unit_id, o.period_type, o.period, i.service_items, i.zero_handling_items, coalesce(o.cases_accepted, 0) AS cases_accepted,
       coalesce(c.cases_completed, 0) AS cases_completed, coalesce(c.cases_completed_on_time, 0) AS cases_completed_on_time,
       CASE WHEN c.cases_completed > 0 THEN c.cases_completed_on_time / c.cases_completed END AS on_time_rate,
       c.avg_handling_working_days, coalesce(o.cases_rejected_or_transferred, 0) AS cases_rejected_or_transferred,
       coalesce(o.overdue_open_cases, 0) AS overdue_open_cases
FROM other o
JOIN items i ON i.unit_id = o.unit_id AND i.period_type = o.period_type AND i.period = o.period
LEFT JOIN completed c ON c.unit_id = o.unit_id AND c.period_type = o.period_type AND c.period = o.period
