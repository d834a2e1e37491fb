-- table: mart.fact_review_decision
-- grain: one row per review decision on a work-log entry at one level of its review chain in one review round
-- key: review_id
-- refresh: by month of work_date
-- driver: staging.log_review (log_work_date)
-- check: level IN (1, 2)
-- check: decision IN ('APPROVED', 'RETURNED', 'COMMENTED')
--
-- unit_id/section_id = the reviewed log's unit and section on its day (mart.fact_work_log)
-- staff_id/work_date = the reviewed log's author and work date: a decision sits in the log's month
-- reviewer_name = the reviewer's display name (no other personal data)
-- decision = APPROVED, RETURNED or COMMENTED
-- review_round = the log's review round the decision belongs to (1, plus one for each resubmission after a return)
-- comment = the reviewer's text as written
SELECT r.review_id, r.log_id, l.staff_id, l.section_id, l.unit_id, l.work_date,
       r.level, r.review_round, r.reviewer_id, s.display_name AS reviewer_name, r.decision, r.comment, r.reviewed_at
FROM staging.log_review r
JOIN mart.fact_work_log l ON l.log_id = r.log_id
LEFT JOIN staging.staff s ON s.staff_id = r.reviewer_id
WHERE ${in_refresh_months:l.work_date} AND ${in_refresh_months:r.log_work_date} -- the same date: reviews read by month
