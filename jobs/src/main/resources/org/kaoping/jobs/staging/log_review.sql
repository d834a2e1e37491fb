-- table: staging.log_review
-- grain: one row per review decision on a log at one level of the review chain
-- key: review_id
-- input: worklog_log_review
-- input: worklog_work_log
-- groups: log_id
-- driver: worklog_log_review (id = review_id): log_id
-- driver: worklog_work_log: id AS log_id
-- rule: log_review.unknown_decision = 审阅决定不是同意、退回或批注
-- rule: log_review.invalid_level = 审阅层级不是一级或二级
-- rule: log_review.log_missing = 审阅的日志不存在
-- rule: log_review.unknown_reviewer = 审阅人不在人员名册中
-- rule: log_review.by_author = 审阅人就是日志填写人
-- rule: log_review.other_unit = 审阅人与填写人不在同一单位
-- rule: log_review.out_of_chain = 审阅人不在该日志的审阅链上
-- rule: log_review.of_draft = 审阅的是草稿日志
-- rule: log_review.before_submission = 审阅早于日志提交
-- rule: log_review.unknown_round = 审阅轮次不是该日志已开始的轮次
-- rule: log_review.duplicate_level = 同一日志同一轮次同一层级重复审阅，只保留最早一次
--
-- violations: see work_log.sql. The chain (DOMAIN.md): a STAFF log is reviewed by a SECTION_CHIEF (level 1) then a
-- DEPUTY_LEADER (level 2); a SECTION_CHIEF's log by a DEPUTY_LEADER; a DEPUTY_LEADER's by the PRINCIPAL_LEADER; a
-- principal leader's log by no one. Roles and units are those held on the day (staging.staff_assignment, built
-- before this model): the author's on the log's work date, the reviewer's on the day of the decision. A returned
-- log corrected and submitted again starts the next review round (the source's review_round, on the log and on
-- each decision), and the chain decides again: of two decisions at one level in one round, the earliest stands.
-- A decision must follow the submission of its round where the source records it (the first submission for
-- round 1, resubmitted_at for the log's current round). log_work_date = the reviewed log's work date, so that the
-- marts of a month read only that month's reviews; log_review_round = the log's current round.
WITH reviews AS (
  -- a source that records no rounds sends none: each of its decisions is then of round 1
  SELECT r.id, r.log_id, r.reviewer_id, r.level, coalesce(r.review_round, 1) AS review_round, r.decision, r.comment,
         r.reviewed_at, r.updated_at, event_seq, source_lsn
  FROM (SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, log_id BIGINT, reviewer_id BIGINT, level INT,
          review_round INT, decision STRING, comment STRING, reviewed_at TIMESTAMP_NTZ, updated_at TIMESTAMP_NTZ') AS r
        FROM latest_worklog_log_review)
),
logs AS (
  SELECT g.id AS log_id, g.staff_id AS author_id, g.work_date, g.status AS log_status, g.submitted_at,
         coalesce(g.review_round, 1) AS log_review_round, g.resubmitted_at
  FROM (SELECT from_json(after_json, 'id BIGINT, staff_id BIGINT, work_date DATE, status STRING, submitted_at TIMESTAMP_NTZ,
          review_round INT, resubmitted_at TIMESTAMP_NTZ') AS g
        FROM latest_worklog_work_log)
),
placed AS (
  SELECT v.*, l.log_id AS known_log_id, l.author_id, l.work_date, l.log_status, l.submitted_at, l.log_review_round,
         CASE WHEN v.review_round = 1 THEN l.submitted_at WHEN v.review_round = l.log_review_round THEN l.resubmitted_at END
           AS round_submitted_at,
         au.unit_id AS author_unit_id, au.role AS author_role,
         rv.staff_id AS known_reviewer_id, rv.unit_id AS reviewer_unit_id, rv.role AS reviewer_role,
         CASE au.role WHEN 'STAFF' THEN CASE v.level WHEN 1 THEN 'SECTION_CHIEF' WHEN 2 THEN 'DEPUTY_LEADER' END
                      WHEN 'SECTION_CHIEF' THEN CASE v.level WHEN 1 THEN 'DEPUTY_LEADER' END
                      WHEN 'DEPUTY_LEADER' THEN CASE v.level WHEN 1 THEN 'PRINCIPAL_LEADER' END END AS chain_role
  FROM reviews v
  LEFT JOIN logs l ON l.log_id = v.log_id
  LEFT JOIN staging.staff_assignment au
    ON au.staff_id = l.author_id AND l.work_date >= au.valid_from AND (au.valid_to IS NULL OR l.work_date <= au.valid_to)
  LEFT JOIN staging.staff_assignment rv
    ON rv.staff_id = v.reviewer_id AND CAST(v.reviewed_at AS DATE) >= rv.valid_from
   AND (rv.valid_to IS NULL OR CAST(v.reviewed_at AS DATE) <= rv.valid_to)
),
judged AS (
SELECT id AS review_id, log_id, reviewer_id, level, review_round, decision, comment, reviewed_at, updated_at,
       work_date AS log_work_date, log_review_round,
       filter(array(
         CASE WHEN decision IS NULL OR decision NOT IN ('APPROVED', 'RETURNED', 'COMMENTED') THEN named_struct(
           'rule', 'log_review.unknown_decision', 'disposition', 'EXCLUDED', 'reason', 'unknown decision ' || coalesce(decision, 'null'),
           'offending_values', to_json(named_struct('decision', decision))) END,
         CASE WHEN level IS NULL OR level NOT IN (1, 2) THEN named_struct('rule', 'log_review.invalid_level', 'disposition', 'EXCLUDED',
           'reason', 'review level must be 1 or 2', 'offending_values', to_json(named_struct('level', level))) END,
         CASE WHEN known_log_id IS NULL THEN named_struct('rule', 'log_review.log_missing', 'disposition', 'EXCLUDED',
           'reason', 'reviews log ' || log_id || ', which does not exist', 'offending_values', to_json(named_struct('log_id', log_id))) END,
         CASE WHEN known_reviewer_id IS NULL THEN named_struct('rule', 'log_review.unknown_reviewer', 'disposition', 'EXCLUDED',
           'reason', 'reviewer ' || reviewer_id || ' is not in the staffing register',
           'offending_values', to_json(named_struct('reviewer_id', reviewer_id))) END,
         CASE WHEN reviewer_id = author_id THEN named_struct('rule', 'log_review.by_author', 'disposition', 'EXCLUDED',
           'reason', 'reviewer ' || reviewer_id || ' wrote the log', 'offending_values',
           to_json(named_struct('reviewer_id', reviewer_id, 'author_id', author_id))) END,
         CASE WHEN reviewer_unit_id <> author_unit_id THEN named_struct('rule', 'log_review.other_unit', 'disposition', 'EXCLUDED',
           'reason', 'reviewer ' || reviewer_id || ' is in unit ' || reviewer_unit_id || ', the author in unit ' || author_unit_id,
           'offending_values', to_json(named_struct('reviewer_id', reviewer_id, 'reviewer_unit_id', reviewer_unit_id,
             'author_unit_id', author_unit_id))) END,
         CASE WHEN author_role IS NOT NULL AND reviewer_role IS NOT NULL AND level IN (1, 2)
                   AND (chain_role IS NULL OR reviewer_role <> chain_role) THEN named_struct(
           'rule', 'log_review.out_of_chain', 'disposition', 'EXCLUDED',
           'reason', 'a ' || reviewer_role || ' decided level ' || level || ' of a log by a ' || author_role || '; the chain wants '
             || coalesce(chain_role, 'no review at that level'),
           'offending_values', to_json(named_struct('reviewer_id', reviewer_id, 'reviewer_role', reviewer_role, 'level', level,
             'author_role', author_role))) END,
         CASE WHEN log_status = 'DRAFT' THEN named_struct('rule', 'log_review.of_draft', 'disposition', 'EXCLUDED',
           'reason', 'reviews log ' || log_id || ', which is a draft', 'offending_values', to_json(named_struct('log_status', log_status))) END,
         CASE WHEN known_log_id IS NOT NULL AND (review_round < 1 OR review_round > log_review_round) THEN named_struct(
           'rule', 'log_review.unknown_round', 'disposition', 'EXCLUDED',
           'reason', 'decides round ' || review_round || ' of log ' || log_id || ', which is in round ' || log_review_round,
           'offending_values', to_json(named_struct('review_round', review_round, 'log_review_round', log_review_round))) END,
         CASE WHEN reviewed_at < round_submitted_at THEN named_struct('rule', 'log_review.before_submission',
           'disposition', 'EXCLUDED',
           'reason', 'decided at ' || reviewed_at || ', before round ' || review_round || ' of the log was submitted at '
             || round_submitted_at,
           'offending_values', to_json(named_struct('reviewed_at', reviewed_at, 'review_round', review_round,
             'submitted_at', round_submitted_at))) END
       ), v -> v IS NOT NULL) AS violations,
       named_struct('event_seq', event_seq, 'source_lsn', source_lsn, 'unit_id', author_unit_id,
         'month', trunc(work_date, 'MM')) AS reject_context
FROM placed
),
-- the earliest decision that breaks no other rule stands: one set aside for another reason does not displace it
ranked AS (
  SELECT *, CASE WHEN size(violations) = 0 THEN row_number() OVER (
           PARTITION BY log_id, review_round, level, size(violations) = 0 ORDER BY reviewed_at, review_id) END AS level_rank
  FROM judged
)
SELECT review_id, log_id, reviewer_id, level, review_round, decision, comment, reviewed_at, updated_at, log_work_date,
       log_review_round,
       CASE WHEN level_rank > 1 THEN array(named_struct('rule', 'log_review.duplicate_level', 'disposition', 'EXCLUDED',
           'reason', 'log ' || log_id || ' already has an earlier decision at level ' || level || ' in round ' || review_round,
           'offending_values', to_json(named_struct('log_id', log_id, 'review_round', review_round, 'level', level,
             'reviewed_at', reviewed_at)))) ELSE violations END AS violations,
       reject_context
FROM ranked
