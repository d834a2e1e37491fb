-- table: mart.fact_log_review
-- grain: one row per submitted log whose author's role needs review
-- key: log_id
-- refresh: by month of work_date
-- driver: staging.log_review (log_work_date)
-- check: reached_level <= required_levels
-- check: NOT is_reviewed_on_time OR is_fully_reviewed
-- check: review_round >= 1
--
-- needs review      = status SUBMITTED, APPROVED or RETURNED, author (role on the log's day) not a PRINCIPAL_LEADER
-- required_levels   = 2 for STAFF (section chief, then supervising deputy leader);
--                     1 for SECTION_CHIEF (deputy leader) and DEPUTY_LEADER (principal leader)
-- review_round      = the log's last review round (a returned log corrected and submitted again starts the next);
--                     reached level, fully reviewed, latencies and on time are judged on that round alone
-- round_submitted_at = when the last round began: the submission in round 1, the latest resubmission after
-- is_fully_reviewed = the last required level has decided (APPROVED, RETURNED or COMMENTED),
--                     or an earlier level returned the log (a return ends the round's chain)
-- level latency     = working days from the round's submission (level 1) or the level before (level 2)
--                     to the decision: calendar working-day index of the decision day minus that of the start day
-- is_reviewed_on_time = fully reviewed, and every level that decided did so within
--                     ${review_on_time_working_days} working days
-- returns           = RETURNED decisions on the log over all its rounds
WITH logs AS (
  SELECT log_id, staff_id, section_id, unit_id, author_role, work_date, submitted_at, review_round,
         CASE WHEN review_round > 1 THEN coalesce(resubmitted_at, submitted_at) ELSE submitted_at END AS round_submitted_at
  FROM mart.fact_work_log
  WHERE status IN ('SUBMITTED', 'APPROVED', 'RETURNED') AND ${in_refresh_months:work_date}
),
day_index AS (
  SELECT calendar_date, working_day_index FROM mart.calendar_day
),
reviews AS (
  SELECT r.log_id,
         max(CASE WHEN r.review_round = l.review_round THEN r.level END) AS max_level,
         max(CASE WHEN r.review_round = l.review_round AND r.decision = 'RETURNED' THEN 1 ELSE 0 END) = 1 AS was_returned,
         min(CASE WHEN r.review_round = l.review_round AND r.level = 1 THEN r.reviewed_at END) AS level1_at,
         min(CASE WHEN r.review_round = l.review_round AND r.level = 2 THEN r.reviewed_at END) AS level2_at,
         max(CASE WHEN r.review_round = l.review_round THEN r.reviewed_at END) AS last_reviewed_at,
         sum(CASE WHEN r.decision = 'RETURNED' THEN 1 ELSE 0 END) AS returns
  FROM staging.log_review r JOIN logs l ON l.log_id = r.log_id
  WHERE ${in_refresh_months:r.log_work_date} -- the log's date: only the months rewritten are read
  GROUP BY r.log_id
),
timed AS (
  SELECT l.log_id, l.staff_id, l.section_id, l.unit_id, l.work_date, l.author_role, l.submitted_at, l.review_round,
         l.round_submitted_at, r.level1_at,
         CASE l.author_role WHEN 'STAFF' THEN 2 WHEN 'SECTION_CHIEF' THEN 1 WHEN 'DEPUTY_LEADER' THEN 1 ELSE 0 END
           AS required_levels,
         r.max_level, r.was_returned, r.last_reviewed_at, coalesce(r.returns, 0) AS returns,
         d1.working_day_index - d0.working_day_index AS level1_latency_working_days,
         d2.working_day_index - d1.working_day_index AS level2_latency_working_days
  FROM logs l
  LEFT JOIN reviews r ON r.log_id = l.log_id
  LEFT JOIN day_index d0 ON d0.calendar_date = CAST(l.round_submitted_at AS DATE)
  LEFT JOIN day_index d1 ON d1.calendar_date = CAST(r.level1_at AS DATE)
  LEFT JOIN day_index d2 ON d2.calendar_date = CAST(r.level2_at AS DATE)
)
SELECT log_id, staff_id, section_id, unit_id, work_date, author_role, required_levels,
       least(coalesce(max_level, 0), required_levels) AS reached_level,
       coalesce(max_level, 0) >= required_levels OR coalesce(was_returned, false) AS is_fully_reviewed,
       (coalesce(max_level, 0) >= required_levels OR coalesce(was_returned, false))
         AND coalesce(level1_latency_working_days <= ${review_on_time_working_days}, false)
         AND (level2_latency_working_days IS NULL OR level2_latency_working_days <= ${review_on_time_working_days})
         AS is_reviewed_on_time,
       level1_latency_working_days, level2_latency_working_days, last_reviewed_at,
       CASE WHEN least(coalesce(max_level, 0), required_levels) = 0 THEN round_submitted_at ELSE level1_at END AS waiting_since,
       submitted_at, review_round, round_submitted_at, returns
FROM timed
WHERE required_levels > 0
