package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staging merge: latest event per key by stream position, whatever order the rows are stored in. */
class LatestStateTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.create("local[2]", Map.of("type", "hadoop", "warehouse", dir.toString()), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    spark.close();
  }

  @Test
  void latestEventPerKeyWinsAndDeletesRemoveRows() {
    StructType schema = new StructType().add("event_seq", DataTypes.LongType).add("op", DataTypes.StringType)
        .add("key_json", DataTypes.StringType).add("after_json", DataTypes.StringType);
    List<Row> events = List.of(
        // key 1: created, updated twice; the updates are stored out of order
        RowFactory.create(3L, "u", "{\"id\":1}", "{\"id\":1,\"v\":\"third\"}"),
        RowFactory.create(1L, "c", "{\"id\":1}", "{\"id\":1,\"v\":\"first\"}"),
        RowFactory.create(2L, "u", "{\"id\":1}", "{\"id\":1,\"v\":\"second\"}"),
        // key 2: created then deleted
        RowFactory.create(5L, "d", "{\"id\":2}", null),
        RowFactory.create(4L, "c", "{\"id\":2}", "{\"id\":2,\"v\":\"gone\"}"),
        // key 3: the same event delivered twice
        RowFactory.create(6L, "r", "{\"id\":3}", "{\"id\":3,\"v\":\"snapshot\"}"),
        RowFactory.create(6L, "r", "{\"id\":3}", "{\"id\":3,\"v\":\"snapshot\"}"),
        // key 4: deleted, then inserted again
        RowFactory.create(7L, "d", "{\"id\":4}", null),
        RowFactory.create(8L, "c", "{\"id\":4}", "{\"id\":4,\"v\":\"back\"}"));
    spark.createDataFrame(events, schema).repartition(3).createOrReplaceTempView("changes");

    Map<String, String> latest = new TreeMap<>();
    for (Row r : spark.sql(WarehouseBuild.latestStateSql("changes")).collectAsList()) {
      latest.merge(r.<String>getAs("key_json"), r.<String>getAs("after_json"), (a, b) -> a + " AND " + b);
    }
    assertEquals(Map.of(
        "{\"id\":1}", "{\"id\":1,\"v\":\"third\"}",
        "{\"id\":3}", "{\"id\":3,\"v\":\"snapshot\"}",
        "{\"id\":4}", "{\"id\":4,\"v\":\"back\"}"), latest);
  }
}
