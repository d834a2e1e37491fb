-- table: staging.work_category
-- grain: one row per log category: the nine common ones (unit_id null) and units' own (个性指标)
-- key: category
-- input: worklog_work_category
-- on-change: full rebuild
SELECT r.code AS category, r.name AS category_name, r.unit_id, r.unit_id IS NULL AS is_common, r.updated_at,
       CAST(NULL AS STRING) AS reject_reason
FROM (SELECT from_json(after_json, 'code STRING, name STRING, unit_id BIGINT, updated_at TIMESTAMP_NTZ') AS r
      FROM latest_worklog_work_category)
