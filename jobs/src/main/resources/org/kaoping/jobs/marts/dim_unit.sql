-- table: mart.dim_unit
-- grain: one row per unit
-- key: unit_id
--
-- the unit register as it stands (staging.unit)
-- unit_level = CITY 市直, COUNTY 县级 or TOWNSHIP 乡镇
-- unit_type = PARTY 党群, GOVERNMENT 政府部门 or INSTITUTION 事业单位
-- peer_group = the group a unit is ranked in (差异化考核)
-- authorized_headcount = 编制数 (authorized posts)
SELECT unit_id, unit_name, unit_level, unit_type, peer_group, authorized_headcount
FROM staging.unit
