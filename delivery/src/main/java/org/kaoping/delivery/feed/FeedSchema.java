package org.kaoping.delivery.feed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feed's versioned schema: every column of a delivered row, in order, with its SQL type. Bump
 * {@link #VERSION} on any change, say what a target of the version before gains in {@link #ADDED_IN}, and describe
 * it in docs/feed.md; a target of an older version is migrated (FeedTarget), a newer one refused.
 */
public final class FeedSchema {
  /** Version of the row layout, recorded in the target ({@code cadre_feed_schema}) and in every manifest. */
  public static final int VERSION = 2;

  /** Column → SQL type of a delivered row (CSV, JSON Lines and the target tables share the names). */
  public static final Map<String, String> COLUMNS = columns(
      "feed_version", "INTEGER NOT NULL",
      "period", "VARCHAR(10) NOT NULL",
      "period_type", "VARCHAR(8) NOT NULL",
      "level", "VARCHAR(6) NOT NULL",
      "entity_id", "BIGINT NOT NULL",
      "entity_name", "VARCHAR(200)",
      "unit_id", "BIGINT",
      "unit_name", "VARCHAR(200)",
      "ranking_group", "VARCHAR(100)",
      "is_complete", "BOOLEAN NOT NULL",
      "is_provisional", "BOOLEAN NOT NULL",
      "score", "NUMERIC(5,2)",
      "indicator_points", "NUMERIC(5,2)",
      "penalty_points", "NUMERIC(5,2)",
      "bonus_points", "NUMERIC(5,2)",
      "missing_indicators", "VARCHAR(500)",
      "score_null_reason", "VARCHAR(500)",
      "rank_in_group", "INTEGER",
      "group_size", "INTEGER",
      "grade", "VARCHAR(10)",
      "grade_before_rules", "VARCHAR(10)",
      "grade_rule", "VARCHAR(40)",
      "consequences", "VARCHAR(200)",
      "indicators", "TEXT",
      "scheme_name", "VARCHAR(200) NOT NULL",
      "scheme_version", "VARCHAR(64) NOT NULL",
      "publication_id", "BIGINT NOT NULL",
      "build_id", "VARCHAR(64) NOT NULL",
      "source_snapshots", "TEXT NOT NULL",
      "row_sha256", "VARCHAR(64) NOT NULL");

  /**
   * Version → the row columns it added to the version before: what migrating a target to it adds (at the tables' end:
   * rows are written by column name), null in the rows delivered before.
   */
  public static final Map<Integer, List<String>> ADDED_IN = Map.of(2, List.of("grade_before_rules", "grade_rule",
      "consequences"));

  /** Columns that say where a row came from, not what it says: left out of the content checksums. */
  public static final List<String> PROVENANCE = List.of("feed_version", "publication_id", "build_id", "source_snapshots",
      "row_sha256");

  /** Column → SQL type of {@code cadre_feed_version}: one row per period and version. */
  public static final Map<String, String> VERSION_COLUMNS = columns(
      "period", "VARCHAR(10) NOT NULL",
      "feed_version", "INTEGER NOT NULL",
      "feed_schema_version", "INTEGER NOT NULL",
      "previous_version", "INTEGER",
      "reason", "TEXT NOT NULL",
      "rows_added", "INTEGER NOT NULL",
      "rows_changed", "INTEGER NOT NULL",
      "rows_removed", "INTEGER NOT NULL",
      "is_provisional", "BOOLEAN NOT NULL",
      "publication_id", "BIGINT NOT NULL",
      "build_id", "VARCHAR(64) NOT NULL",
      "as_of_date", "DATE NOT NULL",
      "scheme_name", "VARCHAR(200) NOT NULL",
      "scheme_version", "VARCHAR(64) NOT NULL",
      "row_count", "INTEGER NOT NULL",
      "unit_rows", "INTEGER NOT NULL",
      "person_rows", "INTEGER NOT NULL",
      "content_sha256", "VARCHAR(64) NOT NULL",
      "delivered_at", "TIMESTAMP WITH TIME ZONE NOT NULL");

  private FeedSchema() {}

  private static Map<String, String> columns(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
