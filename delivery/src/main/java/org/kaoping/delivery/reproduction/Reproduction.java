package org.kaoping.delivery.reproduction;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.kaoping.delivery.serving.PublicationLog.Publication;
import org.kaoping.jobs.ScoreMarts;
import org.kaoping.jobs.scoring.ScoringScheme;

/**
 * Recomputes a publication's scores from the input snapshots it recorded (Iceberg time travel) with the
 * scheme text it recorded, and compares them row for row with the score tables at their recorded
 * snapshots. Identical means every column of every row is equal, decimals by their exact digits. Both sides stay in
 * Spark; only counts, checksums and a few differing rows reach the driver.
 */
public final class Reproduction {
  /** The input tables the scores are computed from. */
  public static final String UNIT_INPUTS = "mart.unit_score_inputs";
  public static final String PERSON_INPUTS = "mart.person_score_inputs";
  /** The score tables compared, in the order they are reported. */
  public static final List<String> SCORE_TABLES = List.of("mart.unit_score_by_period", "mart.person_score_by_period",
      "mart.score_indicator_points");
  /** Differences listed per table at most. */
  static final int MAX_LISTED = 20;

  /**
   * One table's comparison: rows on each side, their checksums, how many rows only one side has and the first of them
   * (at most {@link #MAX_LISTED}, in text order).
   */
  public record TableResult(String table, long recordedRows, long recomputedRows, String recordedChecksum,
      String recomputedChecksum, long onlyRecordedRows, long onlyRecomputedRows, List<String> onlyRecorded,
      List<String> onlyRecomputed) {
    public boolean identical() {
      return recordedChecksum.equals(recomputedChecksum) && recordedRows == recomputedRows && onlyRecordedRows == 0
          && onlyRecomputedRows == 0;
    }
  }

  /** The whole comparison. */
  public record Result(long publicationId, String schemeName, String schemeVersion, List<TableResult> tables) {
    public boolean identical() {
      return tables.stream().allMatch(TableResult::identical);
    }
  }

  private Reproduction() {}

  /**
   * Reproduces {@code publication}; {@code scheme} replaces the recorded scheme when not null (to see
   * what another scheme would change).
   *
   * @throws IllegalStateException naming the table when the publication lacks a snapshot it needs, or the
   *     snapshot no longer exists
   */
  public static Result run(SparkSession spark, Publication publication, ScoringScheme scheme) {
    return run(spark, publication, scheme, null);
  }

  /**
   * As {@link #run(SparkSession, Publication, ScoringScheme)}, comparing only the rows of
   * {@code period} when not null (everything is recomputed: a score's change needs the period before).
   */
  public static Result run(SparkSession spark, Publication publication, ScoringScheme scheme,
      String period) {
    ScoringScheme used = scheme != null ? scheme
        : ScoringScheme.fromText(publication.schemeYaml(), publication.schemeName());
    Map<String, Dataset<Row>> recomputed = ScoreMarts.compute(spark, atSnapshot(spark, publication, UNIT_INPUTS),
        atSnapshot(spark, publication, PERSON_INPUTS), used);
    List<TableResult> tables = new ArrayList<>();
    for (String table : SCORE_TABLES) {
      Dataset<Row> recorded = atSnapshot(spark, publication, table);
      Dataset<Row> mine = recomputed.get(table).select(columns(recorded));
      if (period != null) {
        recorded = recorded.filter(col("period").equalTo(period));
        mine = mine.filter(col("period").equalTo(period));
      }
      tables.add(compare(table, recorded, mine));
    }
    return new Result(publication.publicationId(), used.name(), used.version(), tables);
  }

  private static Column[] columns(Dataset<Row> like) {
    return Arrays.stream(like.columns()).map(functions::col).toArray(Column[]::new);
  }

  static Dataset<Row> atSnapshot(SparkSession spark, Publication publication, String table) {
    Long snapshot = publication.tableSnapshots().get(table);
    if (snapshot == null) {
      throw new IllegalStateException("Publication " + publication.publicationId() + " recorded no snapshot of " + table
          + ": it cannot be reproduced (it was published before scores were recorded).");
    }
    try {
      return spark.sql("SELECT * FROM " + table + " VERSION AS OF " + snapshot);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Snapshot " + snapshot + " of " + table + " recorded by publication "
          + publication.publicationId() + " cannot be read (" + e.getMessage().lines().findFirst().orElse("")
          + "): it was expired although the publication should keep it tagged (kaoping-publication-"
          + publication.publicationId() + ").", e);
    }
  }

  /**
   * Compares two sides as multisets of canonical rows (every column, decimals by their digits), in Spark: counts and an
   * order-independent checksum as aggregates, the rows only one side has by {@code exceptAll} both ways, of which only
   * the first {@link #MAX_LISTED} come to the driver.
   */
  public static TableResult compare(String table, Dataset<Row> recorded, Dataset<Row> recomputed) {
    // each side and each difference is computed once: the summaries, both differences, their counts and rows read them
    Dataset<Row> a = canonical(recorded).localCheckpoint();
    Dataset<Row> b = canonical(recomputed).localCheckpoint();
    Row sa = summary(a);
    Row sb = summary(b);
    Dataset<Row> onlyA = a.exceptAll(b).localCheckpoint();
    Dataset<Row> onlyB = b.exceptAll(a).localCheckpoint();
    return new TableResult(table, sa.getLong(0), sb.getLong(0), checksum(sa), checksum(sb), onlyA.count(), onlyB.count(),
        first(onlyA), first(onlyB));
  }

  /** One text per row, {@code column=value} joined by {@code |} (a null as {@code null}), in column {@code line}. */
  static Dataset<Row> canonical(Dataset<Row> rows) {
    Column[] fields = Arrays.stream(rows.columns())
        .map(c -> concat(lit(c + "="), coalesce(col(c).cast("string"), lit("null")))).toArray(Column[]::new);
    return rows.select(concat_ws("|", fields).alias("line"));
  }

  /** Row count and the sum of a 64-bit hash of every line: equal for equal multisets, whatever the order. */
  private static Row summary(Dataset<Row> lines) {
    return lines.agg(count(lit(1)), coalesce(sum(xxhash64(col("line")).cast(DataTypes.createDecimalType(38, 0))),
        lit(BigDecimal.ZERO).cast(DataTypes.createDecimalType(38, 0)))).first();
  }

  /** The checksum shown for a side: SHA-256 of its row count and hash sum. */
  private static String checksum(Row summary) {
    try {
      byte[] text = (summary.getLong(0) + ":" + summary.getDecimal(1).toPlainString()).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> first(Dataset<Row> lines) {
    return lines.orderBy("line").limit(MAX_LISTED).collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /** Snapshot ids a reproduction needs, by table: the inputs and the score tables. */
  public static Map<String, Long> neededSnapshots(Publication publication) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String t : List.of(UNIT_INPUTS, PERSON_INPUTS, SCORE_TABLES.get(0), SCORE_TABLES.get(1), SCORE_TABLES.get(2))) {
      out.put(t, publication.tableSnapshots().get(t));
    }
    return out;
  }
}
