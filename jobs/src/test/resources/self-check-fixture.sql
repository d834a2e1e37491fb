-- Added to marts-fixture.sql for SelfCheckByWeekTest (expected values computed by hand there). As-of date 2025-04-30.
-- Unit 3: Dave joins section 31 on Monday 2025-03-24 and moves to section 32 on Wednesday 2025-04-02, within week
-- 2025-W14 (Monday 03-31 to Sunday 04-06), which crosses the month's end and holds the Qingming holiday (Friday 04-04).
-- Chief31 and the deputy Lead3, his reviewers, start on 2025-04-07. Sunday 04-27 is a make-up working day (调休).
INSERT INTO staging.unit VALUES (3L, '自查局', 'COUNTY', 'GOVERNMENT', CAST(NULL AS BIGINT), 4, 'COUNTY');
INSERT INTO staging.section VALUES (31L, 3L, '甲科', 2, 303L), (32L, 3L, '乙科', 2, 303L);
INSERT INTO staging.staff VALUES
  (301L, 3L, 32L, 'Dave', 'STAFF', DATE '2025-03-24', CAST(NULL AS DATE)),
  (302L, 3L, 31L, 'Chief31', 'SECTION_CHIEF', DATE '2025-04-07', NULL),
  (303L, 3L, CAST(NULL AS BIGINT), 'Lead3', 'DEPUTY_LEADER', DATE '2025-04-07', NULL);
INSERT INTO staging.staff_assignment VALUES
  (301L, 3L, 31L, 'STAFF', DATE '1900-01-01', DATE '2025-04-01'),
  (301L, 3L, 32L, 'STAFF', DATE '2025-04-02', CAST(NULL AS DATE)),
  (302L, 3L, 31L, 'SECTION_CHIEF', DATE '1900-01-01', NULL),
  (303L, 3L, CAST(NULL AS BIGINT), 'DEPUTY_LEADER', DATE '1900-01-01', NULL);
-- 3102 is returned on 04-07 and resubmitted on 04-08 (round 2, not yet reviewed); 3103 is filed late (04-20);
-- 3104 is a whole day of leave; 3105 is Saturday work
INSERT INTO staging.work_log SELECT log_id, staff_id, CAST(work_date AS DATE), category, minutes, status,
    CAST(submitted_at AS TIMESTAMP_NTZ), review_round, CAST(resubmitted_at AS TIMESTAMP_NTZ),
    CAST(submitted_at AS TIMESTAMP_NTZ), CAST(NULL AS BIGINT), concat('log ', log_id) FROM VALUES
  (3101L, 301L, '2025-03-31', 'BUSINESS', 420, 'APPROVED', '2025-03-31 18:00:00', 1, CAST(NULL AS STRING)),
  (3102L, 301L, '2025-04-01', 'BUSINESS', 420, 'SUBMITTED', '2025-04-01 18:00:00', 2, '2025-04-08 09:00:00'),
  (3103L, 301L, '2025-04-02', 'BUSINESS', 420, 'SUBMITTED', '2025-04-20 18:00:00', 1, NULL),
  (3104L, 301L, '2025-04-03', 'LEAVE', 420, 'SUBMITTED', '2025-04-03 18:00:00', 1, NULL),
  (3105L, 301L, '2025-04-05', 'BUSINESS', 120, 'SUBMITTED', '2025-04-05 18:00:00', 1, NULL)
  AS t(log_id, staff_id, work_date, category, minutes, status, submitted_at, review_round, resubmitted_at);
INSERT INTO staging.log_review SELECT review_id, t.log_id, reviewer_id, level, t.review_round, decision, comment,
    CAST(reviewed_at AS TIMESTAMP_NTZ), w.work_date, w.review_round FROM VALUES
  (5001L, 3101L, 302L, 1, 1, 'APPROVED', CAST(NULL AS STRING), '2025-04-07 10:00:00'),
  (5002L, 3101L, 303L, 2, 1, 'APPROVED', NULL, '2025-04-08 10:00:00'),
  (5003L, 3102L, 302L, 1, 1, 'RETURNED', '请补充', '2025-04-07 11:00:00')
  AS t(review_id, log_id, reviewer_id, level, review_round, decision, comment, reviewed_at)
  JOIN staging.work_log w ON w.log_id = t.log_id;
