package org.kaoping.delivery.serving;

import java.io.Serializable;
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

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.unsafe.types.UTF8String;
import org.kaoping.delivery.serving.ServingPublisher.Target;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes a Dataset's rows into a store table with {@code COPY ... FROM STDIN (FORMAT binary)} ({@link CopyBinary}): one
 * COPY on its own connection per Spark partition, the partitions copied in parallel as Spark runs its tasks, each read as
 * Spark's internal rows (no Java object per value) and streamed in chunks of {@link #CHUNK_BYTES}, so memory stays
 * constant whatever the partition's size.
 */
final class StoreCopy {
  /** Encoded bytes sent to the server at a time. */
  static final int CHUNK_BYTES = 256 << 10;
  /** The column {@link #copyWithChecksums} sums per serving partition instead of copying: a row's 64-bit hash. */
  static final String ROW_HASH = "pub_hash";

  /** What one Spark partition's COPY wrote into one serving partition ({@code "*"} when not summing): rows and hash sum. */
  record Copied(String part, long rows, BigInteger hashSum) implements Serializable {}

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
    return run(rows, table, false).stream().mapToLong(Copied::rows).sum();
  }

  /**
   * As {@link #copy}, for rows whose last column is {@link #ROW_HASH} (not copied) and which have column {@code pub_part}:
   * also returns, per serving partition, its row count and the sum of its rows' hashes, as {@link PartitionChecksums#of}
   * gives them, so a table copied whole needs no second pass to checksum it.
   */
  Map<String, PartitionChecksums.State> copyWithChecksums(Dataset<Row> rows, String table) {
    Map<String, Long> counts = new TreeMap<>();
    Map<String, BigInteger> sums = new TreeMap<>();
    for (Copied c : run(rows, table, true)) {
      counts.merge(c.part(), c.rows(), Long::sum);
      sums.merge(c.part(), c.hashSum(), BigInteger::add);
    }
    Map<String, PartitionChecksums.State> out = new TreeMap<>();
    counts.forEach((part, n) -> out.put(part, new PartitionChecksums.State(n, sums.get(part).toString())));
    return out;
  }

  /** Copies, one COPY per Spark partition; returns what each wrote, per serving partition when summing. */
  private List<Copied> run(Dataset<Row> rows, String table, boolean summing) {
    String qualified = ServingPublisher.STORE + "." + Sql.q(table);
    StructField[] all = rows.schema().fields();
    StructField[] fields = summing ? Arrays.copyOf(all, all.length - 1) : all;
    if (summing && !all[all.length - 1].name().equals(ROW_HASH)) {
      throw new IllegalArgumentException("The last column must be " + ROW_HASH + ", not " + all[all.length - 1].name());
    }
    CopyBinary.Encoding[] encodings = CopyBinary.encodings(qualified, fields);
    String sql = "COPY " + qualified + " (" + Arrays.stream(fields).map(f -> Sql.q(f.name())).collect(Collectors.joining(", "))
        + ") FROM STDIN (FORMAT binary)";
    String url = jdbcUrl;
    Properties p = properties;
    int partAt = summing ? rows.schema().fieldIndex("pub_part") : -1;
    int hashAt = all.length - 1;
    // Retries cannot duplicate rows: a failed attempt's COPY is rolled back whole, and a second copy of rows a committed
    // attempt wrote breaks the store table's primary key (declared key, pub_from), at once or when a new table's key is
    // built after its copy, and fails the publish.
    return rows.queryExecution().toRdd().toJavaRDD().mapPartitions((FlatMapFunction<Iterator<InternalRow>, Copied>) it ->
        copyPartition(url, p, sql, qualified, encodings, fields, it, partAt, hashAt).iterator()).collect();
  }

  /** Copies one Spark partition's rows; {@code partAt}: the column of the serving partition to sum hashes by, or -1. */
  private static List<Copied> copyPartition(String url, Properties p, String sql, String table, CopyBinary.Encoding[] encodings,
      StructField[] fields, Iterator<InternalRow> rows, int partAt, int hashAt) throws SQLException {
    if (!rows.hasNext()) {
      return List.of();
    }
    Map<String, HashSum> sums = new HashMap<>();
    UTF8String lastPart = null;
    HashSum last = null;
    try (Connection c = DriverManager.getConnection(url, p)) {
      CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
      try {
        CopyBinary data = new CopyBinary(encodings, fields, CHUNK_BYTES + (CHUNK_BYTES >> 2));
        data.header();
        while (rows.hasNext()) {
          InternalRow row = rows.next();
          data.row(row);
          if (partAt >= 0) {
            UTF8String part = row.getUTF8String(partAt);
            if (!part.equals(lastPart)) { // rows come mostly grouped by partition: look the sum up only when it changes
              lastPart = part.clone(); // the row, and the string in it, may be reused for the next row
              last = sums.computeIfAbsent(lastPart.toString(), k -> new HashSum());
            }
            last.add(row.getLong(hashAt));
          }
          if (data.length() >= CHUNK_BYTES) {
            in.writeToCopy(data.bytes(), 0, data.length());
            data.clear();
          }
        }
        data.trailer();
        in.writeToCopy(data.bytes(), 0, data.length());
        long copied = in.endCopy();
        if (partAt < 0) {
          return List.of(new Copied("*", copied, BigInteger.ZERO));
        }
        List<Copied> out = new ArrayList<>();
        sums.forEach((part, s) -> out.add(new Copied(part, s.rows, s.total())));
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

  /** A partition's row count and the exact sum of its rows' hashes, in a long until it would overflow. */
  private static final class HashSum {
    long rows;
    long low;
    BigInteger high = BigInteger.ZERO;

    void add(long hash) {
      rows++;
      long sum = low + hash;
      if (((low ^ sum) & (hash ^ sum)) < 0) { // overflowed: bank what was summed so far
        high = high.add(BigInteger.valueOf(low));
        sum = hash;
      }
      low = sum;
    }

    BigInteger total() {
      return high.add(BigInteger.valueOf(low));
    }
  }
}
