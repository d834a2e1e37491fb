-- table: mart.duty_overlap
-- grain: one row per active duty claimed by more than one unit (职责交叉), per way it is claimed
-- key: duty_id, overlap_kind
-- check: claiming_units > 1
--
-- overlap_kind   = NAME: units of one peer group list a duty of the same name (compared without spaces and
--                  punctuation, staging.duty name_key); SHARED_CODE: units hold duties of one shared code from the
--                  boundary list (职责边界清单), whatever their names
-- overlap_key    = the peer group and compared name, or the shared code
-- claiming_units = distinct units claiming it
-- other_units    = the names of the other claiming units (by unit id, joined by 、)
WITH duties AS (
  SELECT d.duty_id, d.unit_id, d.section_id, d.duty_name, d.name_key, d.shared_code, u.peer_group,
         coalesce(u.unit_name, CAST(d.unit_id AS STRING)) AS unit_name
  FROM staging.duty d LEFT JOIN staging.unit u ON u.unit_id = d.unit_id
  WHERE d.is_active
),
claims AS (
  SELECT duty_id, unit_id, unit_name, section_id, duty_name, 'NAME' AS overlap_kind, peer_group || ' ' || name_key AS overlap_key
  FROM duties WHERE peer_group IS NOT NULL AND name_key <> ''
  UNION ALL
  SELECT duty_id, unit_id, unit_name, section_id, duty_name, 'SHARED_CODE', shared_code
  FROM duties WHERE shared_code <> ''
),
keyed AS (
  SELECT c.*, collect_set(named_struct('unit_id', unit_id, 'unit_name', unit_name))
           OVER (PARTITION BY overlap_kind, overlap_key) AS units
  FROM claims c
)
SELECT duty_id, unit_id, section_id, duty_name, overlap_kind, overlap_key, size(units) AS claiming_units,
       array_join(transform(array_sort(filter(units, u -> u.unit_id <> unit_id)), u -> u.unit_name), '、') AS other_units
FROM keyed
WHERE size(units) > 1
