package org.kaoping.delivery.reproduction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.jobs.SparkSessions;

/** The row-for-row comparison behind {@code kaoping reproduce}, in Spark: only counts, checksums and a sample of rows come back. */
class ReproductionCompareTest {
  private static final StructType SCHEMA = new StructType().add("unit_id", DataTypes.LongType)
      .add("score", DataTypes.createDecimalType(5, 2)).add("grade", DataTypes.StringType);

  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.create("local[2]", Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    spark.close();
  }

  private static Row row(long id, String score, String grade) {
    return RowFactory.create(id, score == null ? null : new BigDecimal(score), grade);
  }

  private static Dataset<Row> rows(Row... rows) {
    return spark.createDataFrame(List.of(rows), SCHEMA);
  }

  @Test
  void sameRowsInAnyOrderAreIdentical() {
    Reproduction.TableResult r = Reproduction.compare("t", rows(row(1, "85.50", "GOOD"), row(2, null, null)),
        rows(row(2, null, null), row(1, "85.50", "GOOD")));
    assertTrue(r.identical());
    assertEquals(r.recordedChecksum(), r.recomputedChecksum());
    assertTrue(r.onlyRecorded().isEmpty() && r.onlyRecomputed().isEmpty());
  }

  @Test
  void aCentApartIsADifferenceListedOnBothSides() {
    Reproduction.TableResult r = Reproduction.compare("t", rows(row(1, "1.40", "GOOD"), row(2, "90.00", "EXCELLENT")),
        rows(row(1, "1.39", "GOOD"), row(2, "90.00", "EXCELLENT")));
    assertFalse(r.identical());
    assertNotEquals(r.recordedChecksum(), r.recomputedChecksum());
    assertEquals(List.of("unit_id=1|score=1.40|grade=GOOD"), r.onlyRecorded());
    assertEquals(List.of("unit_id=1|score=1.39|grade=GOOD"), r.onlyRecomputed());
  }

  @Test
  void aDuplicatedRowIsADifference() {
    Reproduction.TableResult r = Reproduction.compare("t", rows(row(1, "1.40", "GOOD")),
        rows(row(1, "1.40", "GOOD"), row(1, "1.40", "GOOD")));
    assertFalse(r.identical());
    assertEquals(1, r.onlyRecomputed().size());
  }

  @Test
  void manyDifferencesAreCountedAndOnlyTheFirstListed() {
    Dataset<Row> recorded = spark.createDataFrame(LongStream.rangeClosed(1, 5_000).mapToObj(i -> row(i, "50.00", "GOOD")).toList(),
        SCHEMA);
    Dataset<Row> recomputed = spark.createDataFrame(LongStream.rangeClosed(1, 5_000)
        .mapToObj(i -> row(i, i % 2 == 0 ? "50.01" : "50.00", "GOOD")).toList(), SCHEMA);
    Reproduction.TableResult r = Reproduction.compare("t", recorded, recomputed);
    assertEquals(2_500, r.onlyRecordedRows());
    assertEquals(2_500, r.onlyRecomputedRows());
    assertEquals(Reproduction.MAX_LISTED, r.onlyRecorded().size());
    assertEquals("unit_id=1000|score=50.00|grade=GOOD", r.onlyRecorded().get(0), "the first in text order ('0' < '|')");
  }
}
