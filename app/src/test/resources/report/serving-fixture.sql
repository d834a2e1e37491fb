-- A hand-made serving database: the kaoping.* views the reports read, as tables with hand-computed rows.
-- Two units of one peer group in 2025-Q3; unit 1 (市农业农村局): 3 people in 2 sections, 66 working days.
CREATE SCHEMA kaoping;

CREATE TABLE kaoping.publication (publication_id bigint, build_id text, published_at timestamptz, as_of_date date,
  scheme_name text, scheme_version text, table_snapshots jsonb);
INSERT INTO kaoping.publication VALUES (7, 'build-fixture', '2025-12-16 08:00:00+00', '2025-12-15', 'built-in',
  '0123456789abcdef', '{"mart.unit_score_by_period": 111, "mart.score_indicator_points": 222, "ops.build_run": 333}');

CREATE TABLE kaoping.unit_score_by_period (unit_id bigint, unit_name text, peer_group text, period_type text, period text,
  score numeric, indicator_points numeric, penalty_points numeric, bonus_points numeric, score_null_reason text,
  rank_in_group int, group_size int, grade text, previous_score numeric, previous_rank int, score_change numeric,
  rank_change int, grade_before_rules text, grade_rule text, place text, previous_grade text, previous_place text,
  consequences text, publication_id bigint);
-- unit 1: 38.00 + 24.30 + 29.40 = 91.70 indicator points, - 0.50 penalty (one notice) + 1.00 bonus = 92.20
-- unit 2: 34.00 + 25.00 + 26.00 = 85.00, - 5.00 (one accountability, 追责) = 80.00: GOOD by its score, made ADEQUATE
-- 2025 (the year): unit 1 first and EXCELLENT after EXCELLENT in 2024; unit 2 80.00 - 5.00 = 75.00 earns GOOD, made
-- ADEQUATE by an accountability, last after last and ADEQUATE in 2024 (the score job's consequences, hand-derived)
INSERT INTO kaoping.unit_score_by_period VALUES
  (1, '市农业农村局', 'CITY_GOVERNMENT', 'QUARTER', '2025-Q3', 92.20, 91.70, 0.50, 1.00, NULL, 1, 2, 'EXCELLENT', 88.00, 2, 4.20, 1,
   'EXCELLENT', NULL, 'FIRST', 'GOOD', 'LAST', NULL, 7),
  (2, '市教育局', 'CITY_GOVERNMENT', 'QUARTER', '2025-Q3', 80.00, 85.00, 5.00, 0.00, NULL, 2, 2, 'ADEQUATE', 90.00, 1, -10.00, -1,
   'GOOD', 'accountability', 'LAST', 'EXCELLENT', 'FIRST', NULL, 7),
  (1, '市农业农村局', 'CITY_GOVERNMENT', 'YEAR', '2025', 91.00, 91.00, 0.00, 0.00, NULL, 1, 2, 'EXCELLENT', 89.00, 1, 2.00, 0,
   'EXCELLENT', NULL, 'FIRST', 'EXCELLENT', 'FIRST', 'promotion_recommendation', 7),
  (2, '市教育局', 'CITY_GOVERNMENT', 'YEAR', '2025', 75.00, 80.00, 5.00, 0.00, NULL, 2, 2, 'ADEQUATE', 72.00, 2, 3.00, 0,
   'GOOD', 'accountability', 'LAST', 'ADEQUATE', 'LAST', 'rectification_report,leadership_action', 7),
  -- 2025-H1 (a half-year): unit 1 38.00 + 24.00 + 28.00 = 90.00 EXCELLENT; unit 2 32.00 + 24.00 + 22.00 = 78.00 GOOD
  (1, '市农业农村局', 'CITY_GOVERNMENT', 'HALF', '2025-H1', 90.00, 90.00, 0.00, 0.00, NULL, 1, 2, 'EXCELLENT', NULL, NULL, NULL,
   NULL, 'EXCELLENT', NULL, 'FIRST', NULL, NULL, NULL, 7),
  (2, '市教育局', 'CITY_GOVERNMENT', 'HALF', '2025-H1', 78.00, 78.00, 0.00, 0.00, NULL, 2, 2, 'GOOD', NULL, NULL, NULL,
   NULL, 'GOOD', NULL, 'LAST', NULL, NULL, NULL, 7);

CREATE TABLE kaoping.score_indicator_points (level text, entity_id bigint, period_type text, period text, indicator text,
  value double precision, weight numeric, effective_weight numeric, points numeric, publication_id bigint);
INSERT INTO kaoping.score_indicator_points VALUES
  ('UNIT', 1, 'QUARTER', '2025-Q3', 'workload_ratio', 0.95, 40.00, 40.0000, 38.00, 7),
  ('UNIT', 1, 'QUARTER', '2025-Q3', 'fill_rate', 0.90, 30.00, 30.0000, 24.30, 7),
  ('UNIT', 1, 'QUARTER', '2025-Q3', 'review_rate', 0.98, 30.00, 30.0000, 29.40, 7),
  ('UNIT', 2, 'QUARTER', '2025-Q3', 'workload_ratio', 0.85, 40.00, 40.0000, 34.00, 7),
  ('UNIT', 2, 'QUARTER', '2025-Q3', 'fill_rate', 0.95, 30.00, 30.0000, 25.00, 7),
  ('UNIT', 2, 'QUARTER', '2025-Q3', 'review_rate', 0.90, 30.00, 30.0000, 26.00, 7),
  ('UNIT', 1, 'YEAR', '2025', 'workload_ratio', 0.95, 40.00, 40.0000, 38.00, 7),
  ('UNIT', 1, 'YEAR', '2025', 'fill_rate', 0.90, 30.00, 30.0000, 24.00, 7),
  ('UNIT', 1, 'YEAR', '2025', 'review_rate', 0.98, 30.00, 30.0000, 29.00, 7),
  ('UNIT', 2, 'YEAR', '2025', 'workload_ratio', 0.85, 40.00, 40.0000, 32.00, 7),
  ('UNIT', 2, 'YEAR', '2025', 'fill_rate', 0.95, 30.00, 30.0000, 24.00, 7),
  ('UNIT', 2, 'YEAR', '2025', 'review_rate', 0.90, 30.00, 30.0000, 24.00, 7),
  ('UNIT', 1, 'HALF', '2025-H1', 'workload_ratio', 0.95, 40.00, 40.0000, 38.00, 7),
  ('UNIT', 1, 'HALF', '2025-H1', 'fill_rate', 0.90, 30.00, 30.0000, 24.00, 7),
  ('UNIT', 1, 'HALF', '2025-H1', 'review_rate', 0.98, 30.00, 30.0000, 28.00, 7),
  ('UNIT', 2, 'HALF', '2025-H1', 'workload_ratio', 0.85, 40.00, 40.0000, 32.00, 7),
  ('UNIT', 2, 'HALF', '2025-H1', 'fill_rate', 0.95, 30.00, 30.0000, 24.00, 7),
  ('UNIT', 2, 'HALF', '2025-H1', 'review_rate', 0.90, 30.00, 30.0000, 22.00, 7);

CREATE TABLE kaoping.metrics_by_period (level text, entity_id bigint, unit_id bigint, section_id bigint, entity_name text,
  period_type text, period text, period_start date, period_end date, is_complete boolean, workload_minutes bigint,
  expected_minutes bigint, workload_ratio double precision, fill_rate double precision, review_rate double precision,
  publication_id bigint, return_rate double precision);
-- expected minutes: 66 working days x 420 = 27720 a person; unit 1: 3 x 27720 = 83160 at 95 % = 79002;
-- unit 2: 2 people, 55440 at 85 % = 47124; city-wide (79002 + 47124) / (83160 + 55440) = 91.0 %
INSERT INTO kaoping.metrics_by_period VALUES
  ('UNIT', 1, 1, NULL, '市农业农村局', 'YEAR', '2025', '2025-01-01', '2025-12-31', true, 316008, 332640, 0.95, 0.90, 0.98, 7, 0.04),
  ('UNIT', 2, 2, NULL, '市教育局', 'YEAR', '2025', '2025-01-01', '2025-12-31', true, 188496, 221760, 0.85, 0.95, 0.90, 7, 0.06),
  ('UNIT', 1, 1, NULL, '市农业农村局', 'HALF', '2025-H1', '2025-01-01', '2025-06-30', true, 158004, 166320, 0.95, 0.90, 0.98, 7, 0.04),
  ('UNIT', 2, 2, NULL, '市教育局', 'HALF', '2025-H1', '2025-01-01', '2025-06-30', true, 94248, 110880, 0.85, 0.95, 0.90, 7, 0.06),
  ('UNIT', 1, 1, NULL, '市农业农村局', 'QUARTER', '2025-Q3', '2025-07-01', '2025-09-30', true, 79002, 83160, 0.95, 0.90, 0.98, 7, 0.04),
  ('UNIT', 2, 2, NULL, '市教育局', 'QUARTER', '2025-Q3', '2025-07-01', '2025-09-30', true, 47124, 55440, 0.85, 0.95, 0.90, 7, 0.06),
  ('SECTION', 11, 1, 11, '办公室', 'QUARTER', '2025-Q3', '2025-07-01', '2025-09-30', true, 27720, 27720, 1.00, 0.95, 0.97, 7, 0.05),
  ('SECTION', 12, 1, 12, '综合科', 'QUARTER', '2025-Q3', '2025-07-01', '2025-09-30', true, 25002, 27720, 0.9019480519480519, 0.85, 0.99, 7, 0.02),
  ('PERSON', 101, 1, 11, '张三', 'QUARTER', '2025-Q3', '2025-07-01', '2025-09-30', true, 27720, 27720, 1.00, 0.95, 0.97, 7, NULL),
  ('PERSON', 102, 1, 12, '李四', 'QUARTER', '2025-Q3', '2025-07-01', '2025-09-30', true, 25002, 27720, 0.9019480519480519, 0.85, 0.99, 7, NULL),
  ('PERSON', 103, 1, NULL, '王五', 'QUARTER', '2025-Q3', '2025-07-01', '2025-09-30', true, 26280, 27720, 0.948051948051948, 0.90, NULL, 7, NULL),
  ('UNIT', 1, 1, NULL, '市农业农村局', 'MONTH', '2025-07', '2025-07-01', '2025-07-31', true, 26000, 27720, 0.937950937950938, 0.90, 0.98, 7, NULL),
  ('UNIT', 1, 1, NULL, '市农业农村局', 'MONTH', '2025-08', '2025-08-01', '2025-08-31', true, 28000, 27720, 1.0101010101010102, 0.90, 0.98, 7, NULL),
  ('UNIT', 1, 1, NULL, '市农业农村局', 'MONTH', '2025-09', '2025-09-01', '2025-09-30', true, 25002, 27720, 0.9019480519480519, 0.90, 0.98, 7, NULL);

CREATE TABLE kaoping.category_share_by_period (level text, entity_id bigint, period text, category text,
  category_name text, category_share double precision, publication_id bigint);
INSERT INTO kaoping.category_share_by_period VALUES
  ('UNIT', 1, '2025-Q3', 'BUSINESS', '业务工作', 0.6, 7), ('UNIT', 1, '2025-Q3', 'MEETING_TRAINING', '会议培训', 0.4, 7);

CREATE TABLE kaoping.person_score_by_period (staff_id bigint, ranked_in_unit text, period text, score numeric,
  rank_in_unit int, unit_size int, grade text, publication_id bigint);
INSERT INTO kaoping.person_score_by_period VALUES
  (101, '1', '2025-Q3', 88.50, 1, 3, 'GOOD', 7), (102, '1', '2025-Q3', 80.00, 2, 3, 'GOOD', 7),
  (103, '1', '2025-Q3', 75.00, 3, 3, 'ADEQUATE', 7);

-- 张三 (101) answers for three items settled in the quarter, two by their deadline; the others for none
CREATE TABLE kaoping.responsibility_by_period (staff_id bigint, period_type text, period text, items_due bigint,
  completed_by_deadline bigint, completed_early bigint, overdue bigint, publication_id bigint);
INSERT INTO kaoping.responsibility_by_period VALUES (101, 'QUARTER', '2025-Q3', 3, 2, 1, 1, 7);

-- implied FTE of unit 1: 79002 / (66 x 420) = 2.85
CREATE TABLE kaoping.headcount_efficiency_by_period (level text, entity_id bigint, period text, implied_fte double precision,
  actual_staff double precision, authorized_headcount int, publication_id bigint);
INSERT INTO kaoping.headcount_efficiency_by_period VALUES ('UNIT', 1, '2025-Q3', 2.85, 3, 4, 7);

CREATE TABLE kaoping.service_execution_by_period (unit_id bigint, period text, service_items bigint, zero_handling_items bigint,
  cases_accepted bigint, cases_completed bigint, cases_completed_on_time bigint, on_time_rate double precision,
  cases_rejected_or_transferred bigint, overdue_open_cases bigint, publication_id bigint);
INSERT INTO kaoping.service_execution_by_period VALUES (1, '2025-Q3', 2, 1, 10, 8, 6, 0.75, 1, 1, 7);

CREATE TABLE kaoping.supervision_by_period (unit_id bigint, period text, items_due bigint, completed_by_deadline bigint,
  completion_rate double precision, still_open bigint, penalty_reminders bigint, penalty_talks bigint, penalty_notices bigint,
  penalty_admonitions bigint, penalty_accountabilities bigint, publication_id bigint);
INSERT INTO kaoping.supervision_by_period VALUES (1, '2025-Q3', 2, 1, 0.5, 0, 0, 0, 1, 0, 0, 7),
  (2, '2025-Q3', 1, 0, 0.0, 0, 0, 0, 0, 0, 1, 7), (2, '2025', 3, 2, 0.6666666666666666, 0, 0, 0, 0, 0, 1, 7);

CREATE TABLE kaoping.target_task_warning (task_id bigint, unit_id bigint, title text, kind text, points numeric, month date,
  planned_progress numeric, reported_progress numeric, warning_colour text, escalation text, publication_id bigint);
INSERT INTO kaoping.target_task_warning VALUES
  (5, 1, '乡村振兴示范点建设', 'COMMON', 20.00, '2025-08-01', 60.00, 40.00, 'RED', 'YELLOW_CARD', 7),
  (5, 1, '乡村振兴示范点建设', 'COMMON', 20.00, '2025-09-01', 80.00, 0.00, 'BLACK', 'RED_CARD', 7),
  (6, 2, '校舍安全改造', 'INDIVIDUAL', 10.00, '2025-09-01', 50.00, 55.00, 'GREEN', 'NONE', 7);

-- unit 1's duty register in 2025-Q3: its own 901 (no work) and 906 (2400 min), 办公室's 902 (4200) and 903 (no work),
-- 综合科's 904 (3600) and 905 (2400): 4 of 6 with work (66.7 %), 12600 min = 210.0 h, 35.0 h per duty; 办公室 1 of 2,
-- 4200 min over 2 duties = 35.0 h; 综合科 2 of 2, 6000 min = 50.0 h per duty. 906 and 905 are claimed by 市教育局 too.
CREATE TABLE kaoping.duty_coverage_by_period (level text, entity_id bigint, unit_id bigint, section_id bigint, period text,
  duties_listed bigint, duties_with_work bigint, coverage_rate double precision, duty_minutes bigint, publication_id bigint);
INSERT INTO kaoping.duty_coverage_by_period VALUES ('UNIT', 1, 1, NULL, '2025-Q3', 6, 4, 0.6666666666666666, 12600, 7),
  ('SECTION', 11, 1, 11, '2025-Q3', 2, 1, 0.5, 4200, 7), ('SECTION', 12, 1, 12, '2025-Q3', 2, 2, 1.0, 6000, 7);
CREATE TABLE kaoping.duty_by_period (duty_id bigint, unit_id bigint, section_id bigint, duty_name text, period text,
  duty_minutes bigint, is_missing boolean, publication_id bigint);
INSERT INTO kaoping.duty_by_period VALUES (901, 1, NULL, '农业发展规划', '2025-Q3', 0, true, 7),
  (902, 1, 11, '公文运转与档案管理', '2025-Q3', 4200, false, 7), (903, 1, 11, '会务保障', '2025-Q3', 0, true, 7),
  (904, 1, 12, '农产品质量安全监管', '2025-Q3', 3600, false, 7), (905, 1, 12, '乡村振兴统筹', '2025-Q3', 2400, false, 7),
  (906, 1, NULL, '安全生产监督检查', '2025-Q3', 2400, false, 7);
CREATE TABLE kaoping.duty_overlap (duty_id bigint, unit_id bigint, duty_name text, overlap_kind text, other_units text,
  publication_id bigint);
INSERT INTO kaoping.duty_overlap VALUES (905, 1, '乡村振兴统筹', 'SHARED_CODE', '市教育局', 7),
  (906, 1, '安全生产监督检查', 'NAME', '市教育局', 7);

-- unit 1's reminders reached in 2025-Q3: a bell and a yellow card on supervised item 21, the red card of task 5 to the
-- principal leader: 3 (警铃 1, 黄牌 1, 红牌 1). Item 21's bell of 2025-06-28 is of Q2 and unit 2's card of another unit:
-- neither is listed.
CREATE TABLE kaoping.dim_staff (staff_id bigint, unit_id bigint, section_id bigint, staff_name text, role text,
  publication_id bigint);
INSERT INTO kaoping.dim_staff VALUES (101, 1, 11, '张三', 'STAFF', 7), (102, 1, 12, '李四', 'SECTION_CHIEF', 7),
  (103, 1, NULL, '王五', 'PRINCIPAL_LEADER', 7), (104, 1, NULL, '钱七', 'DEPUTY_LEADER', 7), (201, 2, NULL, '赵六', 'PRINCIPAL_LEADER', 7);
CREATE TABLE kaoping.reminder (item_kind text, item_id bigint, unit_id bigint, item_title text, deadline date, level text,
  level_rank integer, reached_on date, recipient_staff_id bigint, recipient_role text, responsible_staff_id bigint,
  reason text, publication_id bigint);
INSERT INTO kaoping.reminder VALUES
  ('SUPERVISION', 20, 1, '春耕物资储备核查', '2025-07-01', 'BELL', 1, '2025-06-28', 101, 'RESPONSIBLE', 101,
   '督办事项《春耕物资储备核查》2025-07-01到期，尚未办结', 7),
  ('SUPERVISION', 21, 1, '农机补贴发放核查', '2025-08-20', 'BELL', 1, '2025-08-17', 101, 'RESPONSIBLE', 101,
   '督办事项《农机补贴发放核查》2025-08-20到期，尚未办结', 7),
  ('SUPERVISION', 21, 1, '农机补贴发放核查', '2025-08-20', 'YELLOW_CARD', 2, '2025-08-21', 104, 'SUPERVISING_LEADER', 101,
   '督办事项《农机补贴发放核查》已逾期1天仍未办结', 7),
  ('TARGET_TASK', 5, 1, '乡村振兴示范点建设', NULL, 'RED_CARD', 3, '2025-09-30', 103, 'PRINCIPAL_LEADER', 103,
   '目标任务《乡村振兴示范点建设》2025年9月完成进度0%，落后计划（80%）80个百分点（计划2025-12-31完成）', 7),
  ('SUPERVISION', 31, 2, '校车安全检查', '2025-09-10', 'RED_CARD', 3, '2025-09-20', 201, 'PRINCIPAL_LEADER', NULL,
   '督办事项《校车安全检查》已逾期10天仍未办结', 7);

-- the reports read as the serving database's read-only role, as in production
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kaoping_reader') THEN CREATE ROLE kaoping_reader LOGIN; END IF;
END $$;
GRANT USAGE ON SCHEMA kaoping TO kaoping_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA kaoping TO kaoping_reader;
