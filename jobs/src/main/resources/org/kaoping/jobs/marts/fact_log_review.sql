-- table: mart.fact_log_review
-- grain: one row per submitted log whose author's role needs review
-- key: log_id
-- check: reached_level <= required_levels
--
-- needs review     = status SUBMITTED, APPROVED or RETURNED, author not a PRINCIPAL_LEADER
-- required_levels  = 2 for STAFF (section chief, then supervising deputy leader);
--                    1 for SECTION_CHIEF (deputy leader) and DEPUTY_LEADER (principal leader)
-- is_fully_reviewed = the last required level has decided (APPROVED, RETURNED or COMMENTED),
--                    or an earlier level returned the log (a return ends the chain)
WITH logs AS (
  SELECT log_id, staff_id, work_date, status FROM staging.work_log
  WHERE status IN ('SUBMITTED', 'APPROVED', 'RETURNED') AND work_date <= DATE '${as_of_date}'
),
authors AS (
  SELECT staff_id, unit_id, section_id, role,
         CASE role WHEN 'STAFF' THEN 2 WHEN 'SECTION_CHIEF' THEN 1 WHEN 'DEPUTY_LEADER' THEN 1 ELSE 0 END
           AS required_levels
  FROM staging.staff
),
reviews AS (
  SELECT log_id, max(level) AS max_level, max(CASE WHEN decision = 'RETURNED' THEN 1 ELSE 0 END) = 1 AS was_returned,
         max(reviewed_at) AS last_reviewed_at
  FROM staging.log_review GROUP BY log_id
)
SELECT l.log_id, l.staff_id, a.section_id, a.unit_id, l.work_date, a.role AS author_role, a.required_levels,
       least(coalesce(r.max_level, 0), a.required_levels) AS reached_level,
       coalesce(r.max_level, 0) >= a.required_levels OR coalesce(r.was_returned, false) AS is_fully_reviewed,
       r.last_reviewed_at
FROM logs l
JOIN authors a ON a.staff_id = l.staff_id
LEFT JOIN reviews r ON r.log_id = l.log_id
WHERE a.required_levels > 0
