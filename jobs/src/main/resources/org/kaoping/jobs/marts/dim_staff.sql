-- table: mart.dim_staff
-- grain: one row per person
-- key: staff_id
--
-- the people as they stand (staging.staff), those who left included: the one place readers take a person's name from
-- staff_name = 姓名 (the display name)
-- section_id = the person's section; null for a unit's leaders, who belong to none
-- role = PRINCIPAL_LEADER 主要领导, DEPUTY_LEADER 分管领导, SECTION_CHIEF 科室负责人 or STAFF 工作人员
SELECT staff_id, unit_id, section_id, display_name AS staff_name, role
FROM staging.staff
