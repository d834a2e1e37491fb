-- table: staging.service_case
-- grain: one row per approval case, current status
-- key: case_id
-- input: approval_service_case
-- input: approval_service_item
-- rule: service_case.completed_before_accepted = 审批件办结时间早于受理时间
-- violations: see staging/work_log.sql
SELECT r.id AS case_id, r.item_id, r.accepted_at, r.completed_at, r.status, r.handler_id, r.updated_at,
       filter(array(
         CASE WHEN r.completed_at < r.accepted_at THEN named_struct('rule', 'service_case.completed_before_accepted',
           'disposition', 'EXCLUDED', 'reason', 'completed before accepted',
           'offending_values', to_json(named_struct('accepted_at', r.accepted_at, 'completed_at', r.completed_at))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', c.event_seq, 'source_lsn', c.source_lsn, 'unit_id', i.unit_id,
         'month', trunc(CAST(r.accepted_at AS DATE), 'MM')) AS reject_context
FROM (SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, item_id BIGINT, accepted_at TIMESTAMP_NTZ,
        completed_at TIMESTAMP_NTZ, status STRING, handler_id BIGINT, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_approval_service_case) c
LEFT JOIN (SELECT s.id AS item_id, s.unit_id
           FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT') AS s FROM latest_approval_service_item)) i
  ON i.item_id = c.r.item_id
