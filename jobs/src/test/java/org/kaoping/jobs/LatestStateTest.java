package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.kaoping.warehouse.WarehouseCatalog;

/** The current state: latest event per key by stream position, whatever order the rows are stored or appended in. */
class LatestStateTest extends WithSpark {
  @Test
  void latestEventPerKeyWinsAndDeletesRemoveRows() throws Exception {
    StructType schema = new StructType().add("event_seq", DataTypes.LongType).add("op", DataTypes.StringType)
        .add("key_json", DataTypes.StringType).add("after_json", DataTypes.StringType);
    List<Row> first = List.of(
        // key 1: created, updated twice; the updates are stored out of order, the second arrives with a later append
        RowFactory.create(3L, "u", "{\"id\":1}", "{\"id\":1,\"v\":\"third\"}"),
        RowFactory.create(1L, "c", "{\"id\":1}", "{\"id\":1,\"v\":\"first\"}"),
        // key 2: created, deleted in the next append
        RowFactory.create(4L, "c", "{\"id\":2}", "{\"id\":2,\"v\":\"gone\"}"),
        // key 3: the same event delivered twice, once in each append
        RowFactory.create(6L, "r", "{\"id\":3}", "{\"id\":3,\"v\":\"snapshot\"}"),
        // key 4: deleted, then inserted again in the next append
        RowFactory.create(7L, "d", "{\"id\":4}", null));
    List<Row> second = List.of(
        RowFactory.create(2L, "u", "{\"id\":1}", "{\"id\":1,\"v\":\"second\"}"),
        RowFactory.create(5L, "d", "{\"id\":2}", null),
        RowFactory.create(6L, "r", "{\"id\":3}", "{\"id\":3,\"v\":\"snapshot\"}"),
        RowFactory.create(8L, "c", "{\"id\":4}", "{\"id\":4,\"v\":\"back\"}"));
    Map<String, String> expected = Map.of(
        "{\"id\":1}", "{\"id\":1,\"v\":\"third\"}",
        "{\"id\":3}", "{\"id\":3,\"v\":\"snapshot\"}",
        "{\"id\":4}", "{\"id\":4,\"v\":\"back\"}");
    StructType image = StructType.fromDDL("id BIGINT, v STRING");
    try (WarehouseCatalog warehouse = WarehouseCatalog.open(catalog())) {
      CurrentState current = new CurrentState(spark, warehouse);
      spark.createDataFrame(first, schema).repartition(3).writeTo("raw.test_changes").create();
      CurrentState.Refresh built = current.refresh("test_changes", rawSnapshot(warehouse), Map.of(), image, false);
      assertEquals("first build", built.rebuildReason());

      // compaction between the builds commits a replace snapshot: the next build still reads only the new events
      SparkActions.get(spark).rewriteDataFiles(warehouse.load(TableIdentifier.of("raw", "test_changes")))
          .option("min-input-files", "2").execute();
      spark.createDataFrame(second, schema).repartition(2).writeTo("raw.test_changes").append();
      CurrentState.Refresh merged = current.refresh("test_changes", rawSnapshot(warehouse), Map.of(), image, false);
      assertNull(merged.rebuildReason());
      assertEquals(second.size(), merged.events());
      assertEquals(expected, live(current, merged));
      // merged on read: the updated and deleted rows are masked by delete files, no data file is rewritten
      Map<String, String> merge = warehouse.load(TableIdentifier.of("current", "test_changes")).currentSnapshot().summary();
      assertEquals("0", merge.getOrDefault("deleted-data-files", "0"), merge.toString());
      assertTrue(Long.parseLong(merge.getOrDefault("added-delete-files", "0")) > 0, merge.toString());

      CurrentState.Refresh rebuilt = current.refresh("test_changes", rawSnapshot(warehouse), Map.of(), image, true);
      assertEquals(first.size() + second.size(), rebuilt.events());
      assertEquals(expected, live(current, rebuilt));

      // the models reading another column: the images are parsed again from every event
      CurrentState.Refresh retyped = current.refresh("test_changes", rawSnapshot(warehouse), Map.of(),
          StructType.fromDDL("id BIGINT"), false);
      assertEquals("the typed columns the models read changed", retyped.rebuildReason());
      assertEquals(expected, live(current, retyped));
    }
  }

  private static long rawSnapshot(WarehouseCatalog warehouse) {
    return warehouse.load(TableIdentifier.of("raw", "test_changes")).currentSnapshot().snapshotId();
  }

  /** Key → row image of the live rows; each typed image must hold what its JSON says (parsed once, when merged). */
  private static Map<String, String> live(CurrentState current, CurrentState.Refresh refresh) {
    Map<String, String> latest = new TreeMap<>();
    for (Row r : current.live(refresh.table(), refresh.snapshotId()).collectAsList()) {
      Row image = r.getAs(RowImages.COLUMN);
      String json = r.getAs("after_json");
      assertEquals(Long.parseLong(json.replaceAll(".*\"id\":(\\d+).*", "$1")), image.<Long>getAs("id"), json);
      if (List.of(image.schema().fieldNames()).contains("v")) {
        assertEquals(json.replaceAll(".*\"v\":\"(\\w+)\".*", "$1"), image.getAs("v"), json);
      }
      latest.merge(r.<String>getAs("key_json"), json, (a, b) -> a + " AND " + b);
    }
    return latest;
  }

  /**
   * Versions of staff 7: snapshot in section 21; on 03-17 moved to 22 and, later that day, to 23 (the
   * last version of a day wins); on 04-01 a name change (same assignment: no new period).
   */
  @Test
  void assignmentHistoryFromTheChangeEvents() {
    StructType schema = new StructType().add("event_seq", DataTypes.LongType).add("after_json", DataTypes.StringType);
    String v = "{\"id\":7,\"unit_id\":2,\"section_id\":%d,\"role\":\"STAFF\",\"updated_at\":\"%s\"}";
    spark.createDataFrame(List.of(
        RowFactory.create(1L, String.format(v, 21, "2024-12-01T09:00")),
        RowFactory.create(5L, String.format(v, 22, "2025-03-17T08:00")),
        RowFactory.create(6L, String.format(v, 23, "2025-03-17T15:00")),
        RowFactory.create(9L, String.format(v, 23, "2025-04-01T10:00"))), schema)
        .createOrReplaceTempView("raw_worklog_staff");
    List<String> periods = spark.sql(SqlModel.load("staging/staff_assignment.sql").render(Map.of()).sql()
        + " ORDER BY valid_from").collectAsList().stream()
        .map(r -> r.getAs("section_id") + " " + r.getAs("valid_from") + ".." + r.getAs("valid_to")).toList();
    assertEquals(List.of("21 1900-01-01..2025-03-16", "23 2025-03-17..null"), periods);
  }
}
