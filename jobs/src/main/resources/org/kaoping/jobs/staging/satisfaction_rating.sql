-- table: staging.satisfaction_rating
-- grain: one row per citizen's rating of a unit's service window (社会评价: QR code, SMS or at the window)
-- key: rating_id
-- input: approval_satisfaction_rating
-- rule: satisfaction_rating.rating_out_of_range = 满意度评价不在 1–5 之间
-- rule: satisfaction_rating.unknown_unit = 被评价的单位不在单位表中
-- rule: satisfaction_rating.duplicate_case = 同一办件重复评价，只保留最早的一次
-- violations: see staging/work_log.sql. rating: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意; is_satisfied =
-- 4 or 5. A case is rated once: of two ratings of one case the earliest stands (a rating set aside for another reason
-- does not displace it); a rating without a case (case_id null) is never a duplicate.
WITH ratings AS (
  SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, unit_id BIGINT, case_id BIGINT, channel STRING,
           rating INT, rated_at TIMESTAMP_NTZ, updated_at TIMESTAMP_NTZ') AS r
  FROM latest_approval_satisfaction_rating
),
judged AS (
  SELECT s.r.id AS rating_id, s.r.unit_id, s.r.case_id, s.r.channel, s.r.rating, s.r.rating >= 4 AS is_satisfied,
         s.r.rated_at, s.r.updated_at,
         filter(array(
           CASE WHEN s.r.rating IS NULL OR s.r.rating NOT BETWEEN 1 AND 5 THEN named_struct(
             'rule', 'satisfaction_rating.rating_out_of_range', 'disposition', 'EXCLUDED',
             'reason', 'rating ' || coalesce(CAST(s.r.rating AS STRING), 'null') || ' is not between 1 and 5',
             'offending_values', to_json(named_struct('rating', s.r.rating))) END,
           CASE WHEN u.unit_id IS NULL THEN named_struct('rule', 'satisfaction_rating.unknown_unit', 'disposition', 'EXCLUDED',
             'reason', 'unit ' || coalesce(CAST(s.r.unit_id AS STRING), 'null') || ' is not in the unit register',
             'offending_values', to_json(named_struct('unit_id', s.r.unit_id))) END
         ), v -> v IS NOT NULL) AS violations,
         named_struct('event_seq', s.event_seq, 'source_lsn', s.source_lsn, 'unit_id', s.r.unit_id,
           'month', trunc(CAST(s.r.rated_at AS DATE), 'MM')) AS reject_context
  FROM ratings s
  LEFT JOIN staging.unit u ON u.unit_id = s.r.unit_id
),
ranked AS (
  SELECT *, CASE WHEN size(violations) = 0 AND case_id IS NOT NULL THEN row_number() OVER (
           PARTITION BY case_id, size(violations) = 0 ORDER BY rated_at, rating_id) END AS case_rank
  FROM judged
)
SELECT rating_id, unit_id, case_id, channel, rating, is_satisfied, rated_at, updated_at,
       CASE WHEN case_rank > 1 THEN array(named_struct('rule', 'satisfaction_rating.duplicate_case', 'disposition', 'EXCLUDED',
           'reason', 'case ' || case_id || ' was already rated',
           'offending_values', to_json(named_struct('case_id', case_id, 'rated_at', rated_at)))) ELSE violations END AS violations,
       reject_context
FROM ranked
