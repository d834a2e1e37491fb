-- table: mart.dim_unit
-- grain: one row per unit
-- key: unit_id
--
-- the unit register as it stands (staging.unit): level CITY / COUNTY / TOWNSHIP,
-- type PARTY 党群 / GOVERNMENT 政府部门 / INSTITUTION 事业单位, peer group, authorized_headcount = 编制数
SELECT unit_id, unit_name, unit_level, unit_type, peer_group, authorized_headcount
FROM staging.unit
