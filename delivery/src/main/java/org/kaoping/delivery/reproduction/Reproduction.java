package org.kaoping.delivery.reproduction;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.kaoping.delivery.serving.PublicationLog.Publication;
import org.kaoping.jobs.ScoreMarts;
import org.kaoping.jobs.scoring.ScoringScheme;

/**
 * Recomputes a publication's scores from the input snapshots it recorded (Iceberg time travel) with the
 * scheme text it recorded, and compares them row for row with the score tables at their recorded
 * snapshots. Identical means every column of every row is equal, decimals by their exact digits.
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

  /** One table's comparison: rows on each side, their checksums and the rows only one side has. */
  public record TableResult(String table, long recordedRows, long recomputedRows, String recordedChecksum,
      String recomputedChecksum, List<String> onlyRecorded, List<String> onlyRecomputed) {
    public boolean identical() {
      return recordedChecksum.equals(recomputedChecksum) && recordedRows == recomputedRows;
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
        recorded = recorded.filter(org.apache.spark.sql.functions.col("period").equalTo(period));
        mine = mine.filter(org.apache.spark.sql.functions.col("period").equalTo(period));
      }
      tables.add(compare(table, recorded.collectAsList(), mine.collectAsList()));
    }
    return new Result(publication.publicationId(), used.name(), used.version(), tables);
  }

  private static org.apache.spark.sql.Column[] columns(Dataset<Row> like) {
    return java.util.Arrays.stream(like.columns()).map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new);
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

  /** Compares two sides as multisets of canonical rows (every column, decimals by their digits). */
  public static TableResult compare(String table, List<Row> recorded, List<Row> recomputed) {
    List<String> a = canonical(recorded);
    List<String> b = canonical(recomputed);
    TreeMap<String, Integer> counts = new TreeMap<>();
    a.forEach(r -> counts.merge(r, 1, Integer::sum));
    b.forEach(r -> counts.merge(r, -1, Integer::sum));
    List<String> onlyA = new ArrayList<>();
    List<String> onlyB = new ArrayList<>();
    counts.forEach((row, n) -> {
      for (int i = 0; i < Math.abs(n); i++) {
        (n > 0 ? onlyA : onlyB).add(row);
      }
    });
    return new TableResult(table, a.size(), b.size(), checksum(a), checksum(b), onlyA, onlyB);
  }

  /** One line per row: {@code column=value} joined by {@code |}, sorted. */
  static List<String> canonical(List<Row> rows) {
    List<String> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      StringBuilder line = new StringBuilder();
      String[] names = r.schema().fieldNames();
      for (int i = 0; i < names.length; i++) {
        if (i > 0) {
          line.append('|');
        }
        Object v = r.get(i);
        line.append(names[i]).append('=').append(v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v));
      }
      out.add(line.toString());
    }
    out.sort(null);
    return out;
  }

  /** SHA-256 of the sorted canonical rows, one per line. */
  static String checksum(List<String> sortedLines) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String line : sortedLines) {
        sha.update(line.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
