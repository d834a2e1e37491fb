package org.kaoping.delivery.serving;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
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
    String qualified = ServingPublisher.STORE + "." + Sql.q(table);
    StructField[] fields = rows.schema().fields();
    CopyText.Encoding[] encodings = CopyText.encodings(qualified, fields);
    String sql = "COPY " + qualified + " (" + Arrays.stream(fields).map(f -> Sql.q(f.name())).collect(Collectors.joining(", "))
        + ") FROM STDIN";
    String url = jdbcUrl;
    Properties p = properties;
    // Retries cannot duplicate rows: a failed attempt's COPY is rolled back whole, and a second copy of rows a committed
    // attempt wrote breaks the store table's primary key (declared key, pub_from) and fails the publish.
    List<Long> copied = rows.mapPartitions((MapPartitionsFunction<Row, Long>) it -> List.of(copyPartition(url, p, sql,
        qualified, encodings, it)).iterator(), Encoders.LONG()).collectAsList();
    return copied.stream().mapToLong(Long::longValue).sum();
  }

  private static long copyPartition(String url, Properties p, String sql, String table, CopyText.Encoding[] encodings,
      Iterator<Row> rows) throws SQLException {
    if (!rows.hasNext()) {
      return 0;
    }
    try (Connection c = DriverManager.getConnection(url, p)) {
      CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
      try {
        CopyText text = new CopyText(encodings, CHUNK_BYTES);
        while (rows.hasNext()) {
          text.row(rows.next());
          if (text.length() >= CHUNK_BYTES) {
            in.writeToCopy(text.bytes(), 0, text.length());
            text.clear();
          }
        }
        in.writeToCopy(text.bytes(), 0, text.length());
        return in.endCopy();
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
