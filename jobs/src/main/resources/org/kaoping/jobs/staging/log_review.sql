-- table: staging.log_review
-- grain: one row per review decision on a log at one level of the review chain
-- key: review_id
-- input: worklog_log_review
-- input: worklog_work_log
SELECT r.id AS review_id, r.log_id, r.reviewer_id, r.level, r.decision, r.comment, r.reviewed_at, r.updated_at,
       CASE WHEN r.decision NOT IN ('APPROVED', 'RETURNED', 'COMMENTED') THEN 'unknown decision ' || r.decision
            WHEN r.level NOT IN (1, 2) THEN 'review level must be 1 or 2'
            WHEN g.log_id IS NULL THEN 'reviews log ' || r.log_id || ', which does not exist'
       END AS reject_reason
FROM (SELECT from_json(after_json, 'id BIGINT, log_id BIGINT, reviewer_id BIGINT, level INT, decision STRING,
        comment STRING, reviewed_at TIMESTAMP_NTZ, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_worklog_log_review) v
LEFT JOIN (SELECT CAST(get_json_object(after_json, '$.id') AS BIGINT) AS log_id FROM latest_worklog_work_log) g
  ON g.log_id = v.r.log_id
