-- table: mart.dim_section
-- grain: one row per section (科室)
-- key: section_id
--
-- the section register as it stands (staging.section): the one place readers take a section's name from
-- section_name = 科室名称 as the section now reads it
SELECT section_id, unit_id, section_name
FROM staging.section
