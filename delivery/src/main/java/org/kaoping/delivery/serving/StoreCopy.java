package org.kaoping.delivery.serving;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.kaoping.delivery.serving.ServingPublisher.Target;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes a Dataset's rows into a store table with {@code COPY ... FROM STDIN} (text format, {@link CopyText}): one
 * COPY on its own connection per Spark partition, streamed in chunks of {@link #CHUNK_BYTES}, so memory stays
 * constant whatever the partition's size.
 */
final class StoreCopy {
  /** Encoded bytes sent to the server at a time. */
  static final int CHUNK_BYTES = 64 << 10;
  /** The column {@link #copyWithChecksums} sums per serving partition instead of copying: a row's 64-bit hash. */
  static final String ROW_HASH = "pub_hash";

  private final String jdbcUrl;
  private final Properties properties;

  StoreCopy(Target target) {
    this.jdbcUrl = target.jdbcUrl();
    this.properties = target.properties();
  }

  /**
   * Copies every row of {@code rows} into store table {@code table}, its columns by name; returns the rows copied.
   *
   * <p>Each partition's COPY is one statement, so one transaction: a partition that fails leaves none of its rows and
   * fails the Spark job, so the publish fails before the switch (partitions already copied are invisible leftovers the
   * next publish removes).
   *
   * @throws IllegalStateException naming the table and column when a column's type has no COPY encoding
   */
  long copy(Dataset<Row> rows, String table) {
    return run(rows, table, false).stream().mapToLong(line -> Long.parseLong(line.split("\t")[1])).sum();
  }

  /**
   * As {@link #copy}, for rows whose last column is {@link #ROW_HASH} (not copied) and which have column {@code pub_part}:
   * also returns, per serving partition, its row count and the sum of its rows' hashes, as {@link PartitionChecksums#of}
   * gives them, so a table copied whole needs no second pass to checksum it.
   */
  Map<String, String[]> copyWithChecksums(Dataset<Row> rows, String table) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, BigInteger> sums = new TreeMap<>();
    for (String line : run(rows, table, true)) {
      String[] f = line.split("\t");
      counts.computeIfAbsent(f[0], k -> new long[1])[0] += Long.parseLong(f[1]);
      sums.merge(f[0], new BigInteger(f[2]), BigInteger::add);
    }
    Map<String, String[]> out = new TreeMap<>();
    counts.forEach((part, n) -> out.put(part, new String[] {Long.toString(n[0]), sums.get(part).toString()}));
    return out;
  }

  /** Copies, one COPY per Spark partition; returns per Spark partition "part, rows, hash sum" lines (part "*" when not summing). */
  private List<String> run(Dataset<Row> rows, String table, boolean summing) {
    String qualified = ServingPublisher.STORE + "." + Sql.q(table);
    StructField[] all = rows.schema().fields();
    StructField[] fields = summing ? Arrays.copyOf(all, all.length - 1) : all;
    if (summing && !all[all.length - 1].name().equals(ROW_HASH)) {
      throw new IllegalArgumentException("The last column must be " + ROW_HASH + ", not " + all[all.length - 1].name());
    }
    CopyText.Encoding[] encodings = CopyText.encodings(qualified, fields);
    String sql = "COPY " + qualified + " (" + Arrays.stream(fields).map(f -> Sql.q(f.name())).collect(Collectors.joining(", "))
        + ") FROM STDIN";
    String url = jdbcUrl;
    Properties p = properties;
    int partAt = summing ? rows.schema().fieldIndex("pub_part") : -1;
    // Retries cannot duplicate rows: a failed attempt's COPY is rolled back whole, and a second copy of rows a committed
    // attempt wrote breaks the store table's primary key (declared key, pub_from), at once or when a new table's key is
    // built after its copy, and fails the publish.
    return rows.mapPartitions((MapPartitionsFunction<Row, String>) it -> copyPartition(url, p, sql, qualified, encodings,
        it, partAt).iterator(), Encoders.STRING()).collectAsList();
  }

  /** Copies one Spark partition's rows; {@code partAt}: the column of the serving partition to sum hashes by, or -1. */
  private static List<String> copyPartition(String url, Properties p, String sql, String table, CopyText.Encoding[] encodings,
      Iterator<Row> rows, int partAt) throws SQLException {
    if (!rows.hasNext()) {
      return List.of();
    }
    Map<String, long[]> counts = new HashMap<>();
    Map<String, BigInteger> sums = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url, p)) {
      CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
      try {
        CopyText text = new CopyText(encodings, CHUNK_BYTES);
        while (rows.hasNext()) {
          Row row = rows.next();
          text.row(row);
          if (partAt >= 0) {
            String part = row.getString(partAt);
            counts.computeIfAbsent(part, k -> new long[1])[0]++;
            sums.merge(part, BigInteger.valueOf(row.getLong(row.length() - 1)), BigInteger::add);
          }
          if (text.length() >= CHUNK_BYTES) {
            in.writeToCopy(text.bytes(), 0, text.length());
            text.clear();
          }
        }
        in.writeToCopy(text.bytes(), 0, text.length());
        long copied = in.endCopy();
        if (partAt < 0) {
          return List.of("*\t" + copied + "\t0");
        }
        List<String> out = new ArrayList<>();
        counts.forEach((part, n) -> out.add(part + "\t" + n[0] + "\t" + sums.get(part)));
        return out;
      } finally {
        if (in.isActive()) {
          in.cancelCopy();
        }
      }
    } catch (SQLException e) {
      throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), e.getSQLState(), e);
    }
  }
}
