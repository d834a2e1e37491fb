-- table: staging.work_log
-- grain: one row per work-log entry, current status
-- key: log_id
-- check: minutes > 0
-- input: worklog_work_log
-- input: worklog_staff
-- input: worklog_work_category
-- input: worklog_duty
-- groups: staff_id, work_date
-- driver: worklog_work_log (id = log_id): staff_id, work_date
-- as-of: work_date
-- rule: work_log.minutes_out_of_range = 工作分钟数不在 1–1440 之间
-- rule: work_log.no_work_date = 没有工作日期
-- rule: work_log.future_date = 工作日期晚于数据截至日或填写当天
-- rule: work_log.unknown_status = 状态不是草稿、已提交、已通过或已退回
-- rule: work_log.submitted_without_time = 已提交的日志没有提交时间
-- rule: work_log.unknown_author = 填写人不在人员名册中
-- rule: work_log.author_set_aside = 填写人的人员记录已被隔离
-- rule: work_log.before_joining = 工作日期早于填写人到岗日期
-- rule: work_log.after_leaving = 工作日期晚于填写人离岗日期
-- rule: work_log.unknown_category = 工作类别不在类别表中
-- rule: work_log.other_units_category = 使用了其他单位的个性工作类别
-- rule: work_log.unknown_duty = 日志所填职能不在职能表中
-- rule: work_log.other_units_duty = 日志所填职能属于其他单位
-- rule: work_log.day_over_24h = 同一人同一天计入的日志合计超过 24 小时
--
-- violations: every rule the row breaks (docs/metrics.md, "Data-quality rules"); the build sets a row with an
-- EXCLUDED rule aside in ops.rejected_rows and keeps FLAGGED rows here, listed there too. A source without
-- foreign keys or checks may send any of these. A person-day over 24 hours is judged on the logs that would
-- count (status in ${counted_statuses}) and break no other EXCLUDED rule; all of that day's logs are then set aside.
-- review_round: the log's review round in the source (1, plus one for each resubmission after a return; 1 when
-- the source records none);
-- resubmitted_at: when its current round began, null in round 1 (submitted_at stays the first submission).
-- duty_id: the duty the log served (职能任务), null when it names none. A duty not in the register or of another unit
-- than the author's is FLAGGED, as a wrong category is: the time was worked and counts, but it serves no duty of the
-- author's unit, so the duty marts credit it to none.
WITH logs AS (
  SELECT r.*, event_seq, source_lsn
  FROM (SELECT event_seq, source_lsn, from_json(after_json, 'id BIGINT, staff_id BIGINT, work_date DATE, category STRING,
          minutes INT, duty_id BIGINT, content STRING, attachment_count INT, status STRING, submitted_at TIMESTAMP_NTZ,
          review_round INT, resubmitted_at TIMESTAMP_NTZ, created_at TIMESTAMP_NTZ, updated_at TIMESTAMP_NTZ') AS r
        FROM latest_worklog_work_log)
),
staff AS (
  SELECT s.id AS staff_id, s.unit_id, s.active_from, s.active_to,
         -- staging.staff sets this person aside (staff.sql's EXCLUDED rules): the marts would drop their logs unnamed
         s.role IS NULL OR s.role NOT IN ('PRINCIPAL_LEADER', 'DEPUTY_LEADER', 'SECTION_CHIEF', 'STAFF') OR s.active_from IS NULL
           AS is_set_aside
  FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT, role STRING, active_from DATE, active_to DATE') AS s
        FROM latest_worklog_staff)
),
categories AS (
  SELECT c.code AS category, c.unit_id
  FROM (SELECT from_json(after_json, 'code STRING, unit_id BIGINT') AS c FROM latest_worklog_work_category)
),
duties AS (
  SELECT d.id AS duty_id, d.unit_id
  FROM (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT') AS d FROM latest_worklog_duty)
),
checked AS (
  SELECT l.*, s.unit_id AS author_unit_id,
         filter(array(
           CASE WHEN l.minutes IS NULL OR l.minutes <= 0 OR l.minutes > 1440 THEN named_struct('rule', 'work_log.minutes_out_of_range',
             'disposition', 'EXCLUDED', 'reason', 'minutes outside 1..1440',
             'offending_values', to_json(named_struct('minutes', l.minutes))) END,
           CASE WHEN l.work_date IS NULL THEN named_struct('rule', 'work_log.no_work_date', 'disposition', 'EXCLUDED',
             'reason', 'no work date', 'offending_values', to_json(named_struct('work_date', l.work_date))) END,
           CASE WHEN l.work_date > DATE '${as_of_date}' OR l.work_date > CAST(l.created_at AS DATE) THEN named_struct(
             'rule', 'work_log.future_date', 'disposition', 'EXCLUDED',
             'reason', 'dated ' || l.work_date || ', after ' || CASE WHEN l.work_date > CAST(l.created_at AS DATE)
               THEN 'the day it was written (' || CAST(l.created_at AS DATE) || ')' ELSE 'the as-of date ${as_of_date}' END,
             'offending_values', to_json(named_struct('work_date', l.work_date, 'created_at', l.created_at,
               'as_of_date', DATE '${as_of_date}'))) END,
           CASE WHEN l.status IS NULL OR l.status NOT IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED') THEN named_struct(
             'rule', 'work_log.unknown_status', 'disposition', 'EXCLUDED', 'reason', 'unknown status ' || coalesce(l.status, 'null'),
             'offending_values', to_json(named_struct('status', l.status))) END,
           CASE WHEN l.status <> 'DRAFT' AND l.submitted_at IS NULL THEN named_struct('rule', 'work_log.submitted_without_time',
             'disposition', 'EXCLUDED', 'reason', 'submitted log without submitted_at',
             'offending_values', to_json(named_struct('status', l.status, 'submitted_at', l.submitted_at))) END,
           CASE WHEN s.staff_id IS NULL THEN named_struct('rule', 'work_log.unknown_author', 'disposition', 'EXCLUDED',
             'reason', 'author ' || l.staff_id || ' is not in the staffing register',
             'offending_values', to_json(named_struct('staff_id', l.staff_id))) END,
           CASE WHEN s.is_set_aside THEN named_struct('rule', 'work_log.author_set_aside', 'disposition', 'EXCLUDED',
             'reason', 'author ' || l.staff_id || ' is set aside from staging.staff (see staff rules)',
             'offending_values', to_json(named_struct('staff_id', l.staff_id))) END,
           CASE WHEN l.work_date < s.active_from THEN named_struct('rule', 'work_log.before_joining', 'disposition', 'EXCLUDED',
             'reason', 'dated ' || l.work_date || ', before the author joined on ' || s.active_from,
             'offending_values', to_json(named_struct('work_date', l.work_date, 'active_from', s.active_from))) END,
           CASE WHEN l.work_date > s.active_to THEN named_struct('rule', 'work_log.after_leaving', 'disposition', 'EXCLUDED',
             'reason', 'dated ' || l.work_date || ', after the author left on ' || s.active_to,
             'offending_values', to_json(named_struct('work_date', l.work_date, 'active_to', s.active_to))) END,
           CASE WHEN c.category IS NULL THEN named_struct('rule', 'work_log.unknown_category', 'disposition', 'FLAGGED',
             'reason', 'category ' || coalesce(l.category, 'null') || ' is not in work_category',
             'offending_values', to_json(named_struct('category', l.category))) END,
           CASE WHEN c.unit_id <> s.unit_id THEN named_struct('rule', 'work_log.other_units_category', 'disposition', 'FLAGGED',
             'reason', 'category ' || l.category || ' belongs to unit ' || c.unit_id || ', the author is in unit ' || s.unit_id,
             'offending_values', to_json(named_struct('category', l.category, 'category_unit_id', c.unit_id))) END,
           CASE WHEN l.duty_id IS NOT NULL AND d.duty_id IS NULL THEN named_struct('rule', 'work_log.unknown_duty',
             'disposition', 'FLAGGED', 'reason', 'duty ' || l.duty_id || ' is not in the duty register',
             'offending_values', to_json(named_struct('duty_id', l.duty_id))) END,
           CASE WHEN d.unit_id <> s.unit_id THEN named_struct('rule', 'work_log.other_units_duty', 'disposition', 'FLAGGED',
             'reason', 'duty ' || l.duty_id || ' belongs to unit ' || d.unit_id || ', the author is in unit ' || s.unit_id,
             'offending_values', to_json(named_struct('duty_id', l.duty_id, 'duty_unit_id', d.unit_id))) END
         ), v -> v IS NOT NULL) AS row_violations
  FROM logs l
  LEFT JOIN staff s ON s.staff_id = l.staff_id
  LEFT JOIN categories c ON c.category = l.category
  LEFT JOIN duties d ON d.duty_id = l.duty_id
),
counted AS (
  SELECT *, status IN (${counted_statuses}) AND NOT exists(row_violations, v -> v.disposition = 'EXCLUDED') AS would_count
  FROM checked
),
person_days AS (
  SELECT staff_id, work_date, sum(minutes) AS day_minutes, count(*) AS day_logs
  FROM counted WHERE would_count GROUP BY staff_id, work_date HAVING sum(minutes) > 1440
)
SELECT c.id AS log_id, c.staff_id, c.work_date, c.category, c.minutes, c.duty_id, c.content, c.attachment_count,
       c.status, c.submitted_at, coalesce(c.review_round, 1) AS review_round, c.resubmitted_at, c.created_at, c.updated_at,
       CASE WHEN c.would_count AND d.day_minutes IS NOT NULL THEN concat(c.row_violations, array(named_struct(
         'rule', 'work_log.day_over_24h', 'disposition', 'EXCLUDED',
         'reason', d.day_logs || ' logs of ' || c.staff_id || ' on ' || c.work_date || ' total ' || d.day_minutes
           || ' minutes, more than 24 hours',
         'offending_values', to_json(named_struct('staff_id', c.staff_id, 'work_date', c.work_date, 'minutes', c.minutes,
           'day_minutes', d.day_minutes)))))
         ELSE c.row_violations END AS violations,
       named_struct('event_seq', c.event_seq, 'source_lsn', c.source_lsn, 'unit_id', c.author_unit_id,
         'month', trunc(c.work_date, 'MM')) AS reject_context
FROM counted c
LEFT JOIN person_days d ON d.staff_id = c.staff_id AND d.work_date = c.work_date
