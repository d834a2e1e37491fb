-- Added to marts-fixture.sql for ReminderMartTest (expected values computed by hand there). As-of date 2025-04-30;
-- the default rule: bell 3 days before the deadline, yellow card 1 day and red card 10 days after it, a task's second
-- spell of yellow cards is red; a task's card gaps 20 and 40 points (tolerance 5).
-- Unit 4: Principal4 (401) is principal leader until 2025-04-15, NewPrincipal (405) from 04-16; Deputy4 (402) supervises
-- section 41 (Staff41, 403); section 42 (Staff42, 404) names no supervising leader.
INSERT INTO staging.unit VALUES (4L, '提醒局', 'COUNTY', 'GOVERNMENT', CAST(NULL AS BIGINT), 5, 'COUNTY');
INSERT INTO staging.section VALUES (41L, 4L, '督查科', 2, 402L), (42L, 4L, '综合科', 2, CAST(NULL AS BIGINT));
INSERT INTO staging.staff VALUES
  (401L, 4L, CAST(NULL AS BIGINT), 'Principal4', 'PRINCIPAL_LEADER', DATE '2025-01-01', DATE '2025-04-15'),
  (402L, 4L, CAST(NULL AS BIGINT), 'Deputy4', 'DEPUTY_LEADER', DATE '2025-01-01', CAST(NULL AS DATE)),
  (403L, 4L, 41L, 'Staff41', 'STAFF', DATE '2025-01-01', NULL),
  (404L, 4L, 42L, 'Staff42', 'STAFF', DATE '2025-01-01', NULL),
  (405L, 4L, CAST(NULL AS BIGINT), 'NewPrincipal', 'PRINCIPAL_LEADER', DATE '2025-04-16', NULL);
INSERT INTO staging.staff_assignment VALUES
  (401L, 4L, CAST(NULL AS BIGINT), 'PRINCIPAL_LEADER', DATE '1900-01-01', DATE '2025-04-15'),
  (402L, 4L, CAST(NULL AS BIGINT), 'DEPUTY_LEADER', DATE '1900-01-01', CAST(NULL AS DATE)),
  (403L, 4L, 41L, 'STAFF', DATE '1900-01-01', NULL),
  (404L, 4L, 42L, 'STAFF', DATE '1900-01-01', NULL),
  (405L, 4L, CAST(NULL AS BIGINT), 'PRINCIPAL_LEADER', DATE '2025-04-16', NULL);
-- 71 open past its deadline; 72 completed a day late; 73 completed before its bell; 74 in the section without a
-- supervising leader; 75 names someone outside the unit; 76 the deputy's own, assigned the day before its deadline;
-- 77 cancelled; 78 not due for months
INSERT INTO staging.supervision_item SELECT supervision_id, 4L, responsible_staff_id, is_responsible_in_unit,
    CAST(deadline AS DATE), CAST(completed_at AS TIMESTAMP_NTZ), status, 'NONE', title,
    CAST(assigned_at AS TIMESTAMP_NTZ) FROM VALUES
  (71L, 403L, true, '2025-04-10', CAST(NULL AS STRING), 'OPEN', '防汛检查', '2025-03-01 09:00:00'),
  (72L, 403L, true, '2025-04-28', '2025-04-29 15:00:00', 'COMPLETED', '安全月方案', '2025-03-01 09:00:00'),
  (73L, 403L, true, '2025-04-20', '2025-04-16 15:00:00', 'COMPLETED', '信访答复', '2025-03-01 09:00:00'),
  (74L, 404L, true, '2025-04-25', NULL, 'OPEN', '档案整理', '2025-03-01 09:00:00'),
  (75L, 999L, false, '2025-04-05', NULL, 'OPEN', '无主事项', '2025-03-01 09:00:00'),
  (76L, 402L, true, '2025-04-29', NULL, 'OPEN', '急办件', '2025-04-28 09:00:00'),
  (77L, 403L, true, '2025-03-01', NULL, 'CANCELLED', '已撤销', '2025-02-01 09:00:00'),
  (78L, 403L, true, '2025-06-30', NULL, 'OPEN', '年中总结', '2025-03-01 09:00:00')
  AS t(supervision_id, responsible_staff_id, is_responsible_in_unit, deadline, completed_at, status, title, assigned_at);
-- 81 (Staff41's): yellow in February, back to a bell in March, yellow again in April; 82 (the deputy's) never started:
-- a yellow card in March (20 behind), a red card in April (50 behind)
INSERT INTO staging.target_task VALUES
  (81L, 4L, '数字档案', 'INDIVIDUAL', CAST(10 AS DECIMAL(5, 2)), 403L, true, DATE '2025-01-01', DATE '2025-12-31'),
  (82L, 4L, '营商环境', 'COMMON', CAST(10 AS DECIMAL(5, 2)), 402L, true, DATE '2025-03-01', DATE '2025-06-30');
INSERT INTO staging.target_task_month SELECT task_id, CAST(month AS DATE), CAST(planned_progress AS DECIMAL(5, 2)),
    CAST(reported_progress AS DECIMAL(5, 2)) FROM VALUES
  (81L, '2025-01-01', 5, 5), (81L, '2025-02-01', 30, 8), (81L, '2025-03-01', 40, 32), (81L, '2025-04-01', 55, NULL),
  (82L, '2025-03-01', 20, NULL), (82L, '2025-04-01', 50, NULL)
  AS t(task_id, month, planned_progress, reported_progress);
