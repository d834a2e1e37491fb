-- table: mart.reviewer_queue
-- grain: one row per reviewer with logs waiting for their decision at the as-of date
-- key: reviewer_id
-- check: open_logs > 0
--
-- A log waits at the first level that has not decided (it is not fully reviewed and was not returned).
-- Whose turn it is follows the review chain with today's organisation: a STAFF log's level 1 is its
-- section's chief, level 2 the section's supervising deputy leader; a SECTION_CHIEF's log goes to the
-- supervising deputy leader; a DEPUTY_LEADER's log to the unit's principal leader. Logs whose reviewer
-- post is vacant are counted under reviewer_id -1 with the reason.
WITH pending AS (
  SELECT f.log_id, f.section_id, f.unit_id, f.author_role, f.reached_level + 1 AS pending_level, f.waiting_since
  FROM mart.fact_log_review f WHERE NOT f.is_fully_reviewed
),
chiefs AS (SELECT section_id, min(staff_id) AS chief_id FROM staging.staff WHERE role = 'SECTION_CHIEF' GROUP BY section_id),
principals AS (SELECT unit_id, min(staff_id) AS principal_id FROM staging.staff WHERE role = 'PRINCIPAL_LEADER' GROUP BY unit_id),
assigned AS (
  SELECT p.*,
         CASE WHEN p.author_role = 'STAFF' AND p.pending_level = 1 THEN c.chief_id
              WHEN p.author_role = 'STAFF' AND p.pending_level = 2 THEN sec.supervising_leader_id
              WHEN p.author_role = 'SECTION_CHIEF' THEN sec.supervising_leader_id
              WHEN p.author_role = 'DEPUTY_LEADER' THEN pr.principal_id END AS reviewer_id
  FROM pending p
  LEFT JOIN chiefs c ON c.section_id = p.section_id
  LEFT JOIN staging.section sec ON sec.section_id = p.section_id
  LEFT JOIN principals pr ON pr.unit_id = p.unit_id
)
SELECT coalesce(a.reviewer_id, -1) AS reviewer_id, s.display_name AS reviewer_name,
       CASE WHEN a.reviewer_id IS NULL THEN 'no one holds the reviewing post' END AS vacancy_reason,
       count(*) AS open_logs, min(a.waiting_since) AS oldest_waiting_since,
       DATE '${as_of_date}' AS as_of_date
FROM assigned a
LEFT JOIN staging.staff s ON s.staff_id = a.reviewer_id
GROUP BY coalesce(a.reviewer_id, -1), s.display_name, CASE WHEN a.reviewer_id IS NULL THEN 'no one holds the reviewing post' END
