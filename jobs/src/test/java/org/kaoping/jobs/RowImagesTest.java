package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The typed row images: one type per column across the models, and a model answered from them as from its JSON. */
class RowImagesTest extends WithSpark {
  private static final String LOGS = """
      -- table: staging.logs
      -- grain: one row per log
      -- key: id
      -- input: src_log
      -- input: src_staff
      SELECT r.id, r.minutes, s.s.unit_id
      FROM (SELECT event_seq, from_json(after_json, 'id BIGINT, minutes INT, work_date DATE') AS r FROM latest_src_log)
      LEFT JOIN (SELECT from_json(after_json, 'id BIGINT, unit_id BIGINT') AS s FROM latest_src_staff) s ON s.s.id = r.id
      """;
  private static final String HISTORY = """
      -- table: staging.history
      -- grain: one row per log
      -- key: id
      -- input: src_log
      SELECT r.id, r.note FROM (SELECT from_json(after_json, 'id BIGINT, note STRING') AS r FROM raw_src_log)
      """;

  @Test
  void eachRawTableGetsTheColumnsTheModelsReadFromItsLiveRows() {
    String other = """
        -- table: staging.other
        -- grain: one row per log
        -- key: id
        -- input: src_log
        SELECT r.* FROM (SELECT from_json(after_json, 'id BIGINT, category STRING') AS r FROM latest_src_log)
        """;
    RowImages images = RowImages.of(List.of(SqlModel.parse("logs", LOGS), SqlModel.parse("other", other),
        SqlModel.parse("history", HISTORY)));
    assertEquals(StructType.fromDDL("id BIGINT, minutes INT, work_date DATE, category STRING"), images.of("src_log"));
    assertEquals(StructType.fromDDL("id BIGINT, unit_id BIGINT"), images.of("src_staff"));
    assertTrue(images.of("src_nothing").isEmpty());
    assertEquals(DataTypes.DateType, images.type("src_log", "work_date"));
    assertEquals(null, images.type("src_log", "note"), "a read of every event (raw_) is not a column of the current state");
  }

  @Test
  void aColumnDeclaredWithTwoTypesIsRefused() {
    String wider = LOGS.replace("staging.logs", "staging.wider").replace("minutes INT", "minutes BIGINT");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RowImages.of(List.of(SqlModel.parse("logs.sql", LOGS), SqlModel.parse("wider.sql", wider))));
    assertEquals("wider.sql reads column 'minutes' of latest_src_log as BIGINT, but logs.sql reads it as INT: the current"
        + " state keeps one typed column, so declare the same type in both.", e.getMessage());
  }

  @Test
  void aModelAnsweredFromTheImagesGivesWhatItsJsonGives() {
    RowImages images = RowImages.of(List.of(SqlModel.parse("logs", LOGS)));
    StructType events = new StructType().add("event_seq", DataTypes.LongType).add("after_json", DataTypes.StringType);
    spark.createDataFrame(List.of(
        RowFactory.create(1L, "{\"id\":1,\"minutes\":90,\"work_date\":\"2025-03-03\",\"content\":\"x\"}"),
        RowFactory.create(2L, "{\"id\":2,\"minutes\":\"not a number\",\"work_date\":null}"),
        RowFactory.create(3L, "{\"id\":3}")), events)
        .withColumn(RowImages.COLUMN, functions.from_json(functions.col("after_json"), images.of("src_log")))
        .createOrReplaceTempView("latest_src_log");
    spark.createDataFrame(List.of(RowFactory.create(4L, "{\"id\":1,\"unit_id\":7}")), events)
        .withColumn(RowImages.COLUMN, functions.from_json(functions.col("after_json"), images.of("src_staff")))
        .createOrReplaceTempView("latest_src_staff");

    SqlModel model = SqlModel.parse("logs", LOGS);
    String typed = RowImages.typed(model).sql();
    assertFalse(typed.contains("from_json"), typed);
    List<Row> fromJson = spark.sql(model.sql() + " ORDER BY id").collectAsList();
    assertEquals(3, fromJson.size());
    assertEquals(fromJson, spark.sql(typed + " ORDER BY id").collectAsList());
    // raw_ reads (every event) keep their JSON
    assertEquals(SqlModel.parse("history", HISTORY).sql(), RowImages.typed(SqlModel.parse("history", HISTORY)).sql());
  }
}
