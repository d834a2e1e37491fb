-- table: mart.unit_quarter_ranking
-- grain: one row per unit per quarter
-- key: unit_id, quarter
-- check: unit_rank >= 1
--
-- unit_rank = dense rank of the unit's workload ratio within the quarter, highest first; ties share a rank.
-- Interim ranking until the composite score of the indicator scheme exists; units without a ratio
-- (no people, or no expected time) are listed unranked.
SELECT period AS quarter, unit_id, unit_name, unit_level, peer_group, is_complete,
       workload_minutes, expected_minutes, workload_ratio, fill_rate, review_rate,
       CASE WHEN workload_ratio IS NOT NULL
            THEN dense_rank() OVER (PARTITION BY period ORDER BY workload_ratio DESC NULLS LAST) END AS unit_rank
FROM mart.metrics_by_period
WHERE level = 'UNIT' AND period_type = 'QUARTER'
