-- table: staging.service_item
-- grain: one row per administrative approval service item (审批服务事项)
-- key: item_id
-- input: approval_service_item
SELECT r.id AS item_id, r.unit_id, r.name AS item_name, r.legal_limit_days, r.promised_limit_days, r.updated_at,
       CAST(NULL AS STRING) AS reject_reason
FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT, name STRING, legal_limit_days INT,
        promised_limit_days INT, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_approval_service_item)
