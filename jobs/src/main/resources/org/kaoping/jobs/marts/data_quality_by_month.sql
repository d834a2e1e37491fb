-- table: mart.data_quality_by_month
-- grain: one row per data-quality rule per unit per month with at least one record breaking it in this build
-- key: rule, unit_id, month
-- check: rejected_rows > 0
-- check: disposition IN ('EXCLUDED', 'FLAGGED')
--
-- rejected_rows = records breaking the rule (ops.rejected_rows: one row per record and rule broken)
-- unit_id       = the unit the record belongs to (a log: its author's; a review: the log author's on the log's day);
--                 -1 when it cannot be told (e.g. a log whose author is not in the staffing register)
-- month         = the month the record is about (work date, acceptance, assignment, report month), 'unknown' if none
-- disposition   = EXCLUDED (left out of every metric) or FLAGGED (counted, and listed); fixed per rule
SELECT r.rule, r.model, max(r.disposition) AS disposition, coalesce(r.unit_id, -1) AS unit_id, u.unit_name,
       coalesce(date_format(r.month, 'yyyy-MM'), 'unknown') AS month, count(*) AS rejected_rows
FROM ops.rejected_rows r
LEFT JOIN staging.unit u ON u.unit_id = r.unit_id
GROUP BY r.rule, r.model, coalesce(r.unit_id, -1), u.unit_name, coalesce(date_format(r.month, 'yyyy-MM'), 'unknown')
