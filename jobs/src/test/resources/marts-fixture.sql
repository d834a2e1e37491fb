-- Staging tables for MartsFixtureTest (expected values are computed by hand in the test). As-of date 2025-04-30.
-- March 2025 working days: 3-7, 10-14, 17-21, 24-28, 31 (21 days). 2025-04-04 (Fri) is the Qingming holiday.
CREATE OR REPLACE TABLE staging.unit AS SELECT * FROM VALUES
  (2L, '样例局', 'CITY', 'GOVERNMENT', CAST(NULL AS BIGINT), 5, 'CITY_GOVERNMENT')
  AS t(unit_id, unit_name, unit_level, unit_type, parent_unit_id, authorized_headcount, peer_group);
CREATE OR REPLACE TABLE staging.section AS SELECT * FROM VALUES
  (21L, 2L, '一科', 2, 204L), (22L, 2L, '二科', 3, 204L)
  AS t(section_id, unit_id, section_name, authorized_headcount, supervising_leader_id);
CREATE OR REPLACE TABLE staging.staff AS SELECT staff_id, unit_id, section_id, display_name, role,
    CAST(active_from AS DATE) AS active_from, CAST(active_to AS DATE) AS active_to FROM VALUES
  (201L, 2L, 22L, 'Carol', 'STAFF', '2025-03-10', '2025-03-21'),
  (203L, 2L, 21L, 'Chief21', 'SECTION_CHIEF', '2025-04-01', NULL),
  (204L, 2L, CAST(NULL AS BIGINT), 'Deputy', 'DEPUTY_LEADER', '2025-04-01', NULL),
  (205L, 2L, 22L, 'Chief22', 'SECTION_CHIEF', '2025-04-01', NULL)
  AS t(staff_id, unit_id, section_id, display_name, role, active_from, active_to);
-- Carol moves from section 21 to section 22 on Monday 2025-03-17
CREATE OR REPLACE TABLE staging.staff_assignment AS SELECT staff_id, unit_id, section_id, role,
    CAST(valid_from AS DATE) AS valid_from, CAST(valid_to AS DATE) AS valid_to FROM VALUES
  (201L, 2L, 21L, 'STAFF', '1900-01-01', '2025-03-16'),
  (201L, 2L, 22L, 'STAFF', '2025-03-17', NULL),
  (203L, 2L, 21L, 'SECTION_CHIEF', '1900-01-01', NULL),
  (204L, 2L, CAST(NULL AS BIGINT), 'DEPUTY_LEADER', '1900-01-01', NULL),
  (205L, 2L, 22L, 'SECTION_CHIEF', '1900-01-01', NULL)
  AS t(staff_id, unit_id, section_id, role, valid_from, valid_to);
CREATE OR REPLACE TABLE staging.work_category AS SELECT * FROM VALUES
  ('BUSINESS', '业务工作', CAST(NULL AS BIGINT), true), ('WRITING', '文字材料', CAST(NULL AS BIGINT), true),
  ('UNIT2_OWN', '样例局个性工作', 2L, false)
  AS t(category, category_name, unit_id, is_common);
-- The duty register: unit 2's own 701, section 21's 702 and 705, section 22's 703 and 704, the inactive 706; 711 is unit
-- 3's. Carol's logs name 702 (3010, 3011, 3030), 705 (3012), 703 (3017, 3018, 3031), 704 (3019) and unit 3's 711 (3020,
-- credited to no duty); 3013, 3014, 3021 name none. Chief21's April: 3040 names 701, 3041 702, 3042 none.
CREATE OR REPLACE TABLE staging.duty AS SELECT * FROM VALUES
  (701L, 2L, CAST(NULL AS BIGINT), '统筹推进重点工作', '统筹推进重点工作', true, CAST(NULL AS STRING), true),
  (702L, 2L, 21L, '行业监管', '行业监管', true, NULL, true),
  (703L, 2L, 22L, '政策宣传', '政策宣传', true, NULL, true),
  (704L, 2L, 22L, '安全生产监督检查', '安全生产监督检查', false, NULL, true),
  (705L, 2L, 21L, '联合执法', '联合执法', false, 'JC-01', true),
  (706L, 2L, CAST(NULL AS BIGINT), '已划出职能', '已划出职能', true, NULL, false),
  (711L, 3L, CAST(NULL AS BIGINT), '安全生产监督检查', '安全生产监督检查', true, NULL, true)
  AS t(duty_id, unit_id, section_id, duty_name, name_key, is_mandated, shared_code, is_active);
-- Chief21's April logs show review rounds: 3040 returned by the deputy in round 1 (04-02), resubmitted 04-03 09:00 and
-- approved in round 2 on 04-10; 3041 returned (04-03), resubmitted 04-08 09:00, round 2 not yet decided; 3042 approved.
CREATE OR REPLACE TABLE staging.work_log AS SELECT log_id, staff_id, CAST(work_date AS DATE) AS work_date, category, minutes,
    status, CAST(submitted_at AS TIMESTAMP_NTZ) AS submitted_at, review_round,
    CAST(resubmitted_at AS TIMESTAMP_NTZ) AS resubmitted_at, CAST(submitted_at AS TIMESTAMP_NTZ) AS updated_at,
    CASE WHEN log_id IN (3010, 3011, 3030, 3041) THEN 702L WHEN log_id IN (3017, 3018, 3031) THEN 703L
         WHEN log_id = 3019 THEN 704L WHEN log_id = 3012 THEN 705L WHEN log_id = 3020 THEN 711L WHEN log_id = 3040 THEN 701L
    END AS duty_id, concat('log ', log_id) AS content FROM VALUES
  (3010L, 201L, '2025-03-10', 'BUSINESS', 420, 'APPROVED', '2025-03-10 18:00:00', 1, CAST(NULL AS STRING)),
  (3011L, 201L, '2025-03-11', 'BUSINESS', 420, 'APPROVED', '2025-03-11 18:00:00', 1, CAST(NULL AS STRING)),
  (3012L, 201L, '2025-03-12', 'BUSINESS', 420, 'SUBMITTED', '2025-03-12 18:00:00', 1, CAST(NULL AS STRING)),
  (3013L, 201L, '2025-03-13', 'BUSINESS', 420, 'SUBMITTED', '2025-03-13 18:00:00', 1, CAST(NULL AS STRING)),
  (3014L, 201L, '2025-03-14', 'BUSINESS', 420, 'SUBMITTED', '2025-03-14 18:00:00', 1, CAST(NULL AS STRING)),
  (3017L, 201L, '2025-03-17', 'BUSINESS', 420, 'SUBMITTED', '2025-03-17 18:00:00', 1, CAST(NULL AS STRING)),
  (3018L, 201L, '2025-03-18', 'BUSINESS', 420, 'SUBMITTED', '2025-03-18 18:00:00', 1, CAST(NULL AS STRING)),
  (3019L, 201L, '2025-03-19', 'BUSINESS', 420, 'SUBMITTED', '2025-03-19 18:00:00', 1, CAST(NULL AS STRING)),
  (3020L, 201L, '2025-03-20', 'BUSINESS', 420, 'SUBMITTED', '2025-03-20 18:00:00', 1, CAST(NULL AS STRING)),
  (3021L, 201L, '2025-03-21', 'BUSINESS', 420, 'SUBMITTED', '2025-03-21 18:00:00', 1, CAST(NULL AS STRING)),
  (3030L, 201L, '2025-03-12', 'WRITING', 210, 'SUBMITTED', '2025-03-12 18:30:00', 1, CAST(NULL AS STRING)),
  (3031L, 201L, '2025-03-18', 'UNIT2_OWN', 210, 'SUBMITTED', '2025-03-18 18:30:00', 1, CAST(NULL AS STRING)),
  (3040L, 203L, '2025-04-01', 'BUSINESS', 420, 'APPROVED', '2025-04-01 18:00:00', 2, '2025-04-03 09:00:00'),
  (3041L, 203L, '2025-04-02', 'BUSINESS', 420, 'SUBMITTED', '2025-04-02 18:00:00', 2, '2025-04-08 09:00:00'),
  (3042L, 203L, '2025-04-03', 'BUSINESS', 420, 'APPROVED', '2025-04-03 18:00:00', 1, NULL)
  AS t(log_id, staff_id, work_date, category, minutes, status, submitted_at, review_round, resubmitted_at);
CREATE OR REPLACE TABLE staging.log_review AS SELECT review_id, t.log_id, reviewer_id, level, t.review_round, decision, comment,
    CAST(reviewed_at AS TIMESTAMP_NTZ) AS reviewed_at, w.work_date AS log_work_date, w.review_round AS log_review_round FROM VALUES
  (4001L, 3010L, 203L, 1, 1, 'APPROVED', CAST(NULL AS STRING), '2025-03-11 10:00:00'),
  (4002L, 3010L, 204L, 2, 1, 'APPROVED', NULL, '2025-03-14 10:00:00'),
  (4003L, 3011L, 203L, 1, 1, 'APPROVED', NULL, '2025-03-17 10:00:00'),
  (4004L, 3011L, 204L, 2, 1, 'APPROVED', NULL, '2025-03-17 15:00:00'),
  (4005L, 3012L, 203L, 1, 1, 'COMMENTED', '请补充办理依据', '2025-03-12 20:00:00'),
  (4010L, 3040L, 204L, 1, 1, 'RETURNED', '请补充', '2025-04-02 10:00:00'),
  (4011L, 3040L, 204L, 1, 2, 'APPROVED', NULL, '2025-04-10 10:00:00'),
  (4012L, 3041L, 204L, 1, 1, 'RETURNED', '请补充', '2025-04-03 10:00:00'),
  (4013L, 3042L, 204L, 1, 1, 'APPROVED', NULL, '2025-04-03 19:00:00')
  AS t(review_id, log_id, reviewer_id, level, review_round, decision, comment, reviewed_at)
  LEFT JOIN staging.work_log w ON w.log_id = t.log_id;
CREATE OR REPLACE TABLE staging.service_item AS SELECT * FROM VALUES
  (31L, 2L, '许可一', 10, 3), (32L, 2L, '许可二', 10, 5)
  AS t(item_id, unit_id, item_name, legal_limit_days, promised_limit_days);
CREATE OR REPLACE TABLE staging.service_case AS SELECT case_id, item_id, CAST(accepted_at AS TIMESTAMP_NTZ) AS accepted_at,
    CAST(completed_at AS TIMESTAMP_NTZ) AS completed_at, status FROM VALUES
  (1L, 31L, '2025-03-03 09:00:00', '2025-03-06 16:00:00', 'COMPLETED'),
  (2L, 31L, '2025-03-03 09:30:00', '2025-03-07 16:00:00', 'COMPLETED'),
  (3L, 31L, '2025-03-20 09:00:00', NULL, 'IN_PROGRESS'),
  (4L, 31L, '2025-03-10 09:00:00', '2025-03-11 09:00:00', 'REJECTED'),
  (5L, 31L, '2025-04-03 09:00:00', '2025-04-08 11:00:00', 'COMPLETED')
  AS t(case_id, item_id, accepted_at, completed_at, status);
-- Responsible people: Carol 51 (on the deadline day) and 52 (late); 53's person 999 is in no unit (flagged: no one's);
-- Chief22 54 (early) and 55 (not yet due); the deputy 56 (late, TALK) and the target tasks.
CREATE OR REPLACE TABLE staging.supervision_item AS SELECT supervision_id, unit_id, responsible_staff_id,
    is_responsible_in_unit, CAST(deadline AS DATE) AS deadline,
    CAST(completed_at AS TIMESTAMP_NTZ) AS completed_at, status, penalty, concat('督办', supervision_id) AS title,
    CAST('2025-03-01 09:00:00' AS TIMESTAMP_NTZ) AS assigned_at FROM VALUES
  (51L, 2L, 201L, true, '2025-03-14', '2025-03-14 16:00:00', 'COMPLETED', 'NONE'),
  (52L, 2L, 201L, true, '2025-03-20', '2025-03-21 10:00:00', 'COMPLETED', 'REMINDER'),
  (53L, 2L, 999L, false, '2025-03-31', NULL, 'OPEN', 'NOTICE'),
  (54L, 2L, 205L, true, '2025-05-15', '2025-04-10 11:00:00', 'COMPLETED', 'NONE'),
  (55L, 2L, 205L, true, '2025-05-20', NULL, 'OPEN', 'NONE'),
  (56L, 2L, 204L, true, '2025-04-22', '2025-04-28 09:00:00', 'COMPLETED', 'TALK')
  AS t(supervision_id, unit_id, responsible_staff_id, is_responsible_in_unit, deadline, completed_at, status, penalty);
CREATE OR REPLACE TABLE staging.target_task AS SELECT task_id, unit_id, title, kind, CAST(points AS DECIMAL(5, 2)) AS points,
    responsible_leader_id, is_responsible_in_unit,
    CAST(planned_start AS DATE) AS planned_start, CAST(planned_end AS DATE) AS planned_end FROM VALUES
  (61L, 2L, 'T1', 'COMMON', 10, 204L, true, '2025-01-01', '2025-05-31'),
  (62L, 2L, 'T2', 'INDIVIDUAL', 10, 204L, true, '2025-01-01', '2025-10-31'),
  (63L, 2L, 'T3', 'INDIVIDUAL', 10, 204L, true, '2025-03-01', '2025-04-30')
  AS t(task_id, unit_id, title, kind, points, responsible_leader_id, is_responsible_in_unit, planned_start, planned_end);
CREATE OR REPLACE TABLE staging.target_task_month AS SELECT task_id, CAST(month AS DATE) AS month,
    CAST(planned_progress AS DECIMAL(5, 2)) AS planned_progress, CAST(reported_progress AS DECIMAL(5, 2)) AS reported_progress
  FROM VALUES
  (61L, '2025-01-01', 20, 20), (61L, '2025-02-01', 40, 25), (61L, '2025-03-01', 60, 100), (61L, '2025-04-01', 80, NULL),
  (62L, '2025-01-01', 10, NULL), (62L, '2025-02-01', 20, NULL), (62L, '2025-03-01', 30, NULL), (62L, '2025-04-01', 40, NULL),
  (63L, '2025-03-01', 50, 60), (63L, '2025-04-01', 100, 97)
  AS t(task_id, month, planned_progress, reported_progress);
-- Special assessments of unit 2: 90.00 (03-10) and 85.50 (03-25) in March, 96.00 in April, 80.00 on 05-06 (after the
-- as-of date: counted nowhere).
CREATE OR REPLACE TABLE staging.special_assessment AS SELECT assessment_id, unit_id, assessment,
    CAST(assessed_on AS DATE) AS assessed_on, CAST(score AS DECIMAL(5, 2)) AS score FROM VALUES
  (1101L, 2L, '安全生产', '2025-03-10', '90.00'), (1102L, 2L, '信访维稳', '2025-03-25', '85.50'),
  (1103L, 2L, '党风廉政建设', '2025-04-15', '96.00'), (1104L, 2L, '平安建设', '2025-05-06', '80.00')
  AS t(assessment_id, unit_id, assessment, assessed_on, score);
-- Mutual evaluation: units 3, 4 and 5 score unit 2 for 2025 (92.00, 88.00, 90.50); unit 3 scored it 70.00 for 2024;
-- a score for 2026, a year not begun by the as-of date, counts nowhere.
CREATE OR REPLACE TABLE staging.mutual_evaluation AS SELECT evaluation_id, rater_unit_id, rated_unit_id, assessment_year,
    CAST(score AS DECIMAL(5, 2)) AS score, CAST(submitted_at AS TIMESTAMP_NTZ) AS submitted_at FROM VALUES
  (1151L, 3L, 2L, 2025, '92.00', '2025-04-10 10:00:00'), (1152L, 4L, 2L, 2025, '88.00', '2025-04-11 10:00:00'),
  (1153L, 5L, 2L, 2025, '90.50', '2025-04-12 10:00:00'), (1154L, 3L, 2L, 2024, '70.00', '2025-01-05 10:00:00'),
  (1155L, 4L, 2L, 2026, '99.00', '2025-04-20 10:00:00')
  AS t(evaluation_id, rater_unit_id, rated_unit_id, assessment_year, score, submitted_at);
-- Citizens' ratings of unit 2's windows: March 5, 4, 3, 1; April 5 and 5 (the second late on the as-of day); May 4
-- (after the as-of date).
CREATE OR REPLACE TABLE staging.satisfaction_rating AS SELECT rating_id, unit_id, case_id, channel, rating,
    rating >= 4 AS is_satisfied, CAST(rated_at AS TIMESTAMP_NTZ) AS rated_at FROM VALUES
  (1201L, 2L, 1L, 'WINDOW', 5, '2025-03-05 10:00:00'), (1202L, 2L, 2L, 'QR', 4, '2025-03-12 11:00:00'),
  (1203L, 2L, 3L, 'SMS', 3, '2025-03-20 09:00:00'), (1204L, 2L, CAST(NULL AS BIGINT), 'WINDOW', 1, '2025-03-28 15:00:00'),
  (1205L, 2L, 5L, 'QR', 5, '2025-04-02 10:00:00'), (1206L, 2L, 6L, 'SMS', 5, '2025-04-30 23:00:00'),
  (1207L, 2L, 7L, 'QR', 4, '2025-05-02 10:00:00')
  AS t(rating_id, unit_id, case_id, channel, rating, rated_at);
