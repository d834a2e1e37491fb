package org.kaoping.delivery.serving;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.delivery.serving.ServingPublisher.Target;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.jobs.SparkSessions;
import org.kaoping.jobs.SqlModel;

/**
 * {@link StoreCopy} against a real PostgreSQL: every type a published table has, nulls and awkward text round-trip (in
 * COPY's binary format) to what Spark's JDBC writer (the publisher's former path) stores, and to the exact values; a failed partition's COPY
 * leaves none of its rows. The JVM runs in Asia/Shanghai (the session in UTC), so time zones cannot cancel out.
 */
class StoreCopyTest {
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType).add("label", DataTypes.StringType)
      .add("n_int", DataTypes.IntegerType).add("n_short", DataTypes.ShortType).add("flag", DataTypes.BooleanType)
      .add("amount", DataTypes.createDecimalType(38, 10)).add("share", DataTypes.createDecimalType(5, 4))
      .add("x", DataTypes.DoubleType).add("y", DataTypes.FloatType).add("day", DataTypes.DateType)
      .add("at", DataTypes.TimestampType).add("local_at", DataTypes.TimestampNTZType);
  private static final String AWKWARD = "九月的工作\t制表\n换行\\反斜杠\r回车 \\N \\. 'quote' \"double\" ,comma";

  @TempDir static Path dir;
  static EmbeddedSourceServer server;
  static SparkSession spark;
  static Target target;
  static TimeZone jvmZone;

  @BeforeAll
  static void start() throws Exception {
    jvmZone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Asia/Shanghai"));
    server = EmbeddedSourceServer.start(dir.resolve("pg"));
    server.createDatabase("serving");
    target = new Target("jdbc:postgresql://127.0.0.1:" + server.port() + "/serving", EmbeddedSourceServer.USER, null, "reader", null);
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + ServingPublisher.STORE);
    }
    spark = SparkSessions.create("local[2]", Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    spark.close();
    server.close();
    TimeZone.setDefault(jvmZone);
  }

  @Test
  void everyTypeRoundTripsAsTheJdbcWriterStoredIt() throws Exception {
    List<Row> rows = List.of(
        RowFactory.create(1L, AWKWARD, 42, (short) 7, true, new BigDecimal("1234567890123456789012345678.0123456789"),
            new BigDecimal("-0.1234"), Double.NaN, 1.5f, LocalDate.of(2025, 9, 15), Instant.parse("2025-09-15T10:00:00.123456Z"),
            LocalDateTime.parse("2025-09-15T18:00:00.000001")),
        RowFactory.create(2L, null, null, null, null, null, null, null, null, null, null, null),
        RowFactory.create(3L, "", Integer.MIN_VALUE, Short.MIN_VALUE, false, new BigDecimal("-9876543210987654321098765432.1000000001"),
            new BigDecimal("9.9999"), Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, LocalDate.of(1970, 1, 1),
            Instant.parse("2025-03-09T02:30:00.123Z"), LocalDateTime.parse("2025-12-31T23:59:59.999999")),
        RowFactory.create(4L, "\\", Integer.MAX_VALUE, Short.MAX_VALUE, true, new BigDecimal("0E-10"), new BigDecimal("-0.0001"),
            -0.0, Float.MAX_VALUE, LocalDate.of(2024, 2, 29), Instant.parse("1969-12-31T23:59:59.999999Z"),
            LocalDateTime.parse("1900-01-01T00:00:00")),
        RowFactory.create(5L, "中文 only", 0, (short) 0, false, new BigDecimal("0.0000000001"), new BigDecimal("0.0000"),
            0.1 + 0.2, 1.0e-45f, LocalDate.of(9999, 12, 31), Instant.parse("1991-04-14T16:00:00Z"),
            LocalDateTime.parse("1991-04-14T02:30:00")), // a local time Shanghai's summer time skipped
        RowFactory.create(6L, "-", 1, (short) 1, true, new BigDecimal("1E+20"), new BigDecimal("1.0000"), 1.0e300, -0.0f,
            LocalDate.of(1, 1, 1), Instant.parse("2000-01-01T00:00:00Z"), LocalDateTime.parse("2000-02-29T12:34:56.5")),
        RowFactory.create(7L, "公元前", -1, (short) -1, false, new BigDecimal("-1"), new BigDecimal("-9.9999"), -1.0e-300, 1.0e-10f,
            LocalDate.of(-43, 3, 15), Instant.parse("-0043-03-15T12:00:00.5Z"), LocalDateTime.of(-43, 3, 15, 12, 0)));
    Dataset<Row> data = spark.createDataFrame(rows, SCHEMA);
    String copied = storeTable("types__1", data);
    String written = storeTable("types__2", data);
    Dataset<Row> published = data.withColumn("pub_part", lit("*")).withColumn("pub_from", lit(1L)).repartition(3);

    assertEquals(rows.size(), new StoreCopy(target).copy(published, copied), "rows copied");
    jdbcWrite(published, written);

    // Two cells are left out, where the JDBC writer (java.sql.Timestamp in the JVM's zone) was wrong and COPY is exact
    // (the values below): row 5's local time, skipped by Shanghai's 1991 summer time, it stored an hour later; row 7's
    // instant in 44 BC it stored 5 min 43 s later (the zone's local mean time offset, +08:05:43).
    String comparable = "SELECT row(id, label, n_int, n_short, flag, amount, share, x, y, day, CASE WHEN id = 7 THEN NULL ELSE at END,"
        + " CASE WHEN id = 5 THEN NULL ELSE local_at END, pub_part, pub_from, pub_to)::text FROM ";
    assertEquals(texts(comparable + table(written) + " ORDER BY id"), texts(comparable + table(copied) + " ORDER BY id"),
        "COPY stores what the JDBC writer stored, row for row");
    assertEquals(List.of(AWKWARD), texts("SELECT label FROM " + table(copied) + " WHERE id = 1"));
    assertEquals(List.of("1|1234567890123456789012345678.0123456789|-0.1234|NaN|1.5|2025-09-15|2025-09-15 10:00:00.123456"
            + "|2025-09-15 18:00:00.000001",
        "3|-9876543210987654321098765432.1000000001|9.9999|Infinity|-Infinity|1970-01-01|2025-03-09 02:30:00.123"
            + "|2025-12-31 23:59:59.999999",
        "4|0.0000000000|-0.0001|-0|3.4028235e+38|2024-02-29|1969-12-31 23:59:59.999999|1900-01-01 00:00:00",
        "5|0.0000000001|0.0000|0.30000000000000004|1e-45|9999-12-31|1991-04-14 16:00:00|1991-04-14 02:30:00",
        "6|100000000000000000000.0000000000|1.0000|1e+300|-0|0001-01-01|2000-01-01 00:00:00|2000-02-29 12:34:56.5",
        "7|-1.0000000000|-9.9999|-1e-300|1e-10|0044-03-15 BC|0044-03-15 12:00:00.5 BC|0044-03-15 12:00:00 BC"),
        texts("SELECT concat_ws('|', id, amount, share, x, y, day, at AT TIME ZONE 'UTC', local_at) FROM " + table(copied)
            + " WHERE id <> 2 ORDER BY id"), "the exact values (timestamptz as its UTC instant)");
    assertEquals(List.of("1|0"), texts("SELECT count(*) || '|' || count(label) + count(n_int) + count(n_short) + count(flag)"
        + " + count(amount) + count(share) + count(x) + count(y) + count(day) + count(at) + count(local_at) + count(pub_to)"
        + " FROM " + table(copied) + " WHERE id = 2"), "row 2: null in every column but its key (no column counted), pub_to too");
  }

  @Test
  void streamsChunksLargerRowsAndManyPartitionsCountingWhatWasCopied() throws Exception {
    String big = "长".repeat(100_000); // 300 KB in UTF-8: one row larger than a chunk
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < 20_000; i++) {
      rows.add(RowFactory.create(i, i == 777 ? big : "row\t" + i, (int) i, (short) 1, i % 2 == 0, BigDecimal.valueOf(i, 10),
          new BigDecimal("0.5000"), i / 3.0, 0.25f, LocalDate.of(2025, 1, 1).plusDays(i % 365),
          Instant.ofEpochSecond(1_700_000_000L + i, 1000 * i), LocalDateTime.of(2025, 1, 1, 0, 0).plusNanos(1000 * i)));
    }
    Dataset<Row> data = spark.createDataFrame(new JavaSparkContext(spark.sparkContext()).parallelize(rows, 5), SCHEMA);
    String copied = storeTable("many__1", data);
    long n = new StoreCopy(target).copy(data.withColumn("pub_part", lit("*")).withColumn("pub_from", lit(1L)), copied);
    assertEquals(20_000, n);
    assertEquals(List.of("20000|199990000|300000|0.0199990000|10000.0000"), texts("SELECT count(*) || '|' || sum(n_int) || '|'"
        + " || max(octet_length(label)) || '|' || sum(amount) || '|' || sum(share) FROM " + table(copied)));
    assertEquals(List.of("row\t5|2023-11-14 22:13:25.000005"), texts("SELECT label || '|' || (at AT TIME ZONE 'UTC') FROM "
        + table(copied) + " WHERE id = 5"));
  }

  @Test
  void aPartitionWhoseCopyFailsLeavesNoneOfItsRowsAndFailsTheCopy() throws Exception {
    Row r = RowFactory.create(0L, "x", 1, (short) 1, true, BigDecimal.ONE, BigDecimal.ONE, 1.0, 1.0f, LocalDate.of(2025, 1, 1),
        Instant.EPOCH, LocalDateTime.of(2025, 1, 1, 0, 0));
    List<Row> rows = new ArrayList<>();
    for (long id : new long[] {10, 11, 12, 20, 21, 20}) { // the second partition repeats key 20
      Object[] v = new Object[SCHEMA.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.get(i);
      }
      v[0] = id;
      rows.add(RowFactory.create(v));
    }
    Dataset<Row> data = spark.createDataFrame(new JavaSparkContext(spark.sparkContext()).parallelize(rows, 2), SCHEMA);
    String copied = keyedStoreTable("failing__1", data); // as a later publication copies into a table with its key
    Exception e = assertThrows(Exception.class, () -> new StoreCopy(target).copy(data.withColumn("pub_part", lit("*"))
        .withColumn("pub_from", lit(1L)), copied));
    assertTrue(String.valueOf(e.getMessage()).contains("COPY into kaoping_store.\"failing__1\" failed"), e.getMessage());
    assertEquals(List.of("0"), texts("SELECT count(*) FROM " + table(copied) + " WHERE id >= 20"), "nothing of the failed partition");
  }

  @Test
  void aTypeWithoutEncodingIsRefusedNamingTableAndColumn() {
    Dataset<Row> data = spark.sql("SELECT 1L AS id, array(1, 2) AS tags");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StoreCopy(target).copy(data, "tagged__1"));
    assertEquals("Cannot copy column tags of kaoping_store.\"tagged__1\" to the serving database: its Spark type array<int> has"
        + " no COPY encoding", e.getMessage());
  }

  @Test
  void aCopyThatChecksumsGivesThePartitionChecksumsOfTheSameRows() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < 3_000; i++) {
      rows.add(RowFactory.create(i, i % 7 == 0 ? null : "row " + i, (int) i, (short) 1, i % 2 == 0, BigDecimal.valueOf(i, 10),
          new BigDecimal("0.5000"), i / 3.0, 0.25f, LocalDate.of(2025, 1, 1).plusDays(i % 365),
          Instant.ofEpochSecond(1_700_000_000L + i), LocalDateTime.of(2025, 1, 1, 0, 0).plusSeconds(i)));
    }
    Dataset<Row> data = spark.createDataFrame(new JavaSparkContext(spark.sparkContext()).parallelize(rows, 4), SCHEMA)
        .withColumn("pub_part", org.apache.spark.sql.functions.date_format(org.apache.spark.sql.functions.col("day"), "yyyy-MM"));
    String copied = storeTable("summed__1", data.drop("pub_part"));
    Map<String, PartitionChecksums.State> summed = new StoreCopy(target).copyWithChecksums(data.withColumn("pub_from", lit(1L))
        .withColumn(StoreCopy.ROW_HASH, PartitionChecksums.rowHash(data)), copied);
    Map<String, PartitionChecksums.State> checksums = PartitionChecksums.of(data);
    assertEquals(12, summed.size());
    assertEquals(PartitionChecksums.ofTable(checksums), PartitionChecksums.ofTable(summed), "the same counts and hash sums");
    assertEquals(List.of("3000"), texts("SELECT count(*) FROM " + table(copied)));
  }

  @Test
  void aNewTableWhoseKeyRepeatsIsRefusedNamingTheKeyWhenItsKeyIsBuilt() throws Exception {
    Dataset<Row> data = spark.sql("SELECT id, 'x' AS label FROM VALUES (10L), (20L), (20L) AS v(id)");
    String copied = storeTable("repeated__1", data);
    new StoreCopy(target).copy(data.withColumn("pub_part", lit("*")).withColumn("pub_from", lit(1L)), copied);
    try (Connection c = connect()) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new VersionedStore(c, s -> {}).addKeyAndIndexes(copied, published(data), 1));
      assertEquals("mart.types: key (id) = 20 would appear twice in the serving database; the publication was not switched to.",
          e.getMessage());
    }
  }

  @Test
  void tablesRefreshedAtOnceGiveTheirOutcomesInOrderAndAFailureAsItWasThrown() throws Exception {
    Dataset<Row> good = spark.sql("SELECT id, concat('row ', id) AS label FROM range(1000)");
    Dataset<Row> bad = spark.sql("SELECT 1L AS id, array(1, 2) AS tags");
    List<PublishedTable> tables = List.of(published("mart.good", "good", good), published("mart.bad", "bad", bad),
        published("mart.also_good", "also_good", good));
    try (TableRefreshes refreshes = new TableRefreshes(tables, t -> new TableRefresh.Previous(null, Map.of(), null), 1, true,
        target, null, s -> {})) {
      assertEquals("good__1", refreshes.outcome(0).store());
      assertEquals(1000, refreshes.outcome(0).rowsWritten());
      IllegalStateException direct = assertThrows(IllegalStateException.class, () -> VersionedStore.signature(tables.get(1)));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> refreshes.outcome(1));
      assertEquals(direct.getMessage(), e.getMessage(), "the failure of a table with no serving type, as thrown");
      assertEquals(1000, refreshes.outcome(2).rowsWritten(), "the others go on");
    }
    assertEquals(List.of("1000|1000"), texts("SELECT (SELECT count(*) FROM " + table("good__1") + ") || '|' || count(*) FROM "
        + table("also_good__1")));
  }

  // ---- helpers

  /** Creates store table {@code name} for {@code data} as a publish does before its first copy (its key, id, comes after). */
  private static String storeTable(String name, Dataset<Row> data) throws SQLException {
    PublishedTable t = published(data);
    try (Connection c = connect()) {
      new VersionedStore(c, s -> {}).createStoreTable(name, t, VersionedStore.signature(t));
    }
    return name;
  }

  /** Creates store table {@code name} for {@code data} with its key and indexes, as a publication after the first finds it. */
  private static String keyedStoreTable(String name, Dataset<Row> data) throws SQLException {
    storeTable(name, data);
    try (Connection c = connect()) {
      new VersionedStore(c, s -> {}).addKeyAndIndexes(name, published(data), 1);
    }
    return name;
  }

  private static PublishedTable published(Dataset<Row> data) {
    return published("mart.types", "types", data);
  }

  private static PublishedTable published(String source, String name, Dataset<Row> data) {
    SqlModel model = new SqlModel("test", source, "one row per id", List.of("id"), List.of(), List.of(),
        SqlModel.Refresh.WHOLE, "");
    return new PublishedTable(source, name, model, data, null);
  }

  /** The publisher's former path: Spark's JDBC writer, batched INSERTs. */
  private static void jdbcWrite(Dataset<Row> rows, String storeTable) {
    Properties p = target.properties();
    p.setProperty("batchsize", "5000");
    p.setProperty("reWriteBatchedInserts", "true");
    rows.withColumn("pub_to", lit(null).cast(DataTypes.LongType)).write().mode(SaveMode.Append)
        .jdbc(target.jdbcUrl(), table(storeTable), p);
  }

  private static String table(String storeTable) {
    return ServingPublisher.STORE + "." + Sql.q(storeTable);
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(target.jdbcUrl(), target.properties());
  }

  private static List<String> texts(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
