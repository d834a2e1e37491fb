-- table: staging.mutual_evaluation
-- grain: one row per score one unit's leadership team gave another unit for a year (单位互评)
-- key: evaluation_id
-- input: approval_mutual_evaluation
-- rule: mutual_evaluation.score_out_of_range = 互评得分不在 0–100 之间
-- rule: mutual_evaluation.unknown_unit = 评分单位或被评单位不在单位表中
-- rule: mutual_evaluation.self_rating = 单位给自己评分
-- rule: mutual_evaluation.duplicate = 同一单位对同一单位同一年度重复评分，只保留最早提交的一次
-- violations: see staging/work_log.sql. Each unit scores others, never itself, once a year: of two scores one rater
-- gave one unit for one year, the first submitted stands (as the assessment office takes the first form it receives);
-- a score set aside for another reason does not displace it. reject_context names the rater: who entered the row.
WITH scores AS (
  -- the source's numeric arrives as its exact text
  SELECT event_seq, source_lsn, r, CAST(r.score AS DECIMAL(5, 2)) AS score
  FROM (SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, rater_unit_id BIGINT, rated_unit_id BIGINT,
          assessment_year INT, score STRING, submitted_at TIMESTAMP_NTZ, updated_at TIMESTAMP_NTZ') AS r
        FROM latest_approval_mutual_evaluation)
),
judged AS (
  SELECT e.r.id AS evaluation_id, e.r.rater_unit_id, e.r.rated_unit_id, e.r.assessment_year, e.score, e.r.submitted_at,
         e.r.updated_at,
         filter(array(
           CASE WHEN e.score IS NULL OR e.score < 0 OR e.score > 100 THEN named_struct(
             'rule', 'mutual_evaluation.score_out_of_range', 'disposition', 'EXCLUDED',
             'reason', 'score ' || coalesce(e.r.score, 'null') || ' is not between 0 and 100',
             'offending_values', to_json(named_struct('score', e.r.score))) END,
           CASE WHEN rater.unit_id IS NULL OR rated.unit_id IS NULL THEN named_struct(
             'rule', 'mutual_evaluation.unknown_unit', 'disposition', 'EXCLUDED',
             'reason', 'unit ' || coalesce(CAST(CASE WHEN rater.unit_id IS NULL THEN e.r.rater_unit_id ELSE e.r.rated_unit_id END
               AS STRING), 'null') || ' is not in the unit register',
             'offending_values', to_json(named_struct('rater_unit_id', e.r.rater_unit_id, 'rated_unit_id', e.r.rated_unit_id))) END,
           CASE WHEN e.r.rater_unit_id = e.r.rated_unit_id THEN named_struct(
             'rule', 'mutual_evaluation.self_rating', 'disposition', 'EXCLUDED',
             'reason', 'unit ' || e.r.rater_unit_id || ' scored itself',
             'offending_values', to_json(named_struct('rater_unit_id', e.r.rater_unit_id, 'rated_unit_id', e.r.rated_unit_id))) END
         ), v -> v IS NOT NULL) AS violations,
         named_struct('event_seq', e.event_seq, 'source_lsn', e.source_lsn, 'unit_id', e.r.rater_unit_id,
           'month', trunc(CAST(e.r.submitted_at AS DATE), 'MM')) AS reject_context
  FROM scores e
  LEFT JOIN staging.unit rater ON rater.unit_id = e.r.rater_unit_id
  LEFT JOIN staging.unit rated ON rated.unit_id = e.r.rated_unit_id
),
ranked AS (
  SELECT *, CASE WHEN size(violations) = 0 THEN row_number() OVER (
           PARTITION BY rater_unit_id, rated_unit_id, assessment_year, size(violations) = 0
           ORDER BY submitted_at, evaluation_id) END AS submission_rank
  FROM judged
)
SELECT evaluation_id, rater_unit_id, rated_unit_id, assessment_year, score, submitted_at, updated_at,
       CASE WHEN submission_rank > 1 THEN array(named_struct('rule', 'mutual_evaluation.duplicate', 'disposition', 'EXCLUDED',
           'reason', 'unit ' || rater_unit_id || ' already scored unit ' || rated_unit_id || ' for ' || assessment_year,
           'offending_values', to_json(named_struct('rater_unit_id', rater_unit_id, 'rated_unit_id', rated_unit_id,
             'assessment_year', assessment_year, 'submitted_at', submitted_at)))) ELSE violations END AS violations,
       reject_context
FROM ranked
