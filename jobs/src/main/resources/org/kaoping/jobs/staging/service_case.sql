-- table: staging.service_case
-- grain: one row per approval case, current status
-- key: case_id
-- input: approval_service_case
SELECT r.id AS case_id, r.item_id, r.accepted_at, r.completed_at, r.status, r.handler_id, r.updated_at,
       CASE WHEN r.completed_at < r.accepted_at THEN 'completed before accepted' END AS reject_reason
FROM (SELECT from_json(after_json, 'id BIGINT, item_id BIGINT, accepted_at TIMESTAMP_NTZ, completed_at TIMESTAMP_NTZ,
        status STRING, handler_id BIGINT, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_approval_service_case)
