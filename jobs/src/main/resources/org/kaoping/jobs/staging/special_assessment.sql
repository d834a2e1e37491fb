-- table: staging.special_assessment
-- grain: one row per special-assessment result (专项考核结果) of a unit, as the assessment system holds it
-- key: assessment_id
-- input: approval_special_assessment
-- rule: special_assessment.score_out_of_range = 专项考核得分不在 0–100 之间
-- rule: special_assessment.unknown_unit = 专项考核的单位不在单位表中
-- violations: see staging/work_log.sql. The source takes any number the assessing office enters; a result that is not
-- out of 100, or of a unit the register does not know, cannot be merged into a unit's total and is set aside.
WITH results AS (
  -- the source's numeric arrives as its exact text
  SELECT event_seq, source_lsn, r, CAST(r.score AS DECIMAL(5, 2)) AS score
  FROM (SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, unit_id BIGINT, assessment STRING, assessed_on DATE,
          score STRING, updated_at TIMESTAMP_NTZ') AS r
        FROM latest_approval_special_assessment)
)
SELECT a.r.id AS assessment_id, a.r.unit_id, trim(a.r.assessment) AS assessment, a.r.assessed_on, a.score, a.r.updated_at,
       filter(array(
         CASE WHEN a.score IS NULL OR a.score < 0 OR a.score > 100 THEN named_struct(
           'rule', 'special_assessment.score_out_of_range', 'disposition', 'EXCLUDED',
           'reason', 'score ' || coalesce(a.r.score, 'null') || ' is not between 0 and 100',
           'offending_values', to_json(named_struct('score', a.r.score))) END,
         CASE WHEN u.unit_id IS NULL THEN named_struct('rule', 'special_assessment.unknown_unit', 'disposition', 'EXCLUDED',
           'reason', 'unit ' || coalesce(CAST(a.r.unit_id AS STRING), 'null') || ' is not in the unit register',
           'offending_values', to_json(named_struct('unit_id', a.r.unit_id))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', a.event_seq, 'source_lsn', a.source_lsn, 'unit_id', a.r.unit_id,
         'month', trunc(a.r.assessed_on, 'MM')) AS reject_context
FROM results a
LEFT JOIN staging.unit u ON u.unit_id = a.r.unit_id
