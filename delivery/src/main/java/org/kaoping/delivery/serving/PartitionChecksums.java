package org.kaoping.delivery.serving;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Partitions of a published table and, per partition, its row count and an order-independent checksum (Spark). */
final class PartitionChecksums {
  /** A partition's state: its row count and checksum (the sum of its rows' hashes, as decimal text). */
  record State(long rows, String checksum) {}

  private PartitionChecksums() {}

  /**
   * Per partition of {@code data} (labelled in column {@code pub_part}): {row count, sum of a 64-bit hash of every
   * column and its nullness}.
   */
  static Map<String, State> of(Dataset<Row> data) {
    Dataset<Row> sums = data.groupBy(col("pub_part")).agg(count(lit(1)).alias("n"),
        sum(rowHash(data).cast(DataTypes.createDecimalType(38, 0))).alias("h"));
    Map<String, State> out = new TreeMap<>();
    for (Row r : sums.collectAsList()) {
      out.put(r.getString(0), new State(r.getLong(1), r.getDecimal(2).toPlainString()));
    }
    return out;
  }

  /** A row's 64-bit hash over every column of {@code data} but {@code pub_part}, and each column's nullness. */
  static Column rowHash(Dataset<Row> data) {
    List<Column> hashed = new ArrayList<>();
    for (String c : data.columns()) {
      if (!c.equals("pub_part")) {
        hashed.add(col(c));
        hashed.add(col(c).isNull());
      }
    }
    return xxhash64(hashed.toArray(Column[]::new));
  }

  /** The table's checksum: SHA-256 over its partitions' row counts and checksums. */
  static String ofTable(Map<String, State> parts) {
    StringBuilder text = new StringBuilder();
    parts.forEach((p, s) -> text.append(p).append('=').append(s.rows()).append(':').append(s.checksum()).append('\n'));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
