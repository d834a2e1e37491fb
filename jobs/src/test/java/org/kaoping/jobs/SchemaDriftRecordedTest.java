package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The schema check trusts the row schemas the current state recorded, and counts rows only when one lacks a column. */
class SchemaDriftRecordedTest extends WithSpark {
  private static final String BEFORE = "id:int64,name:string";
  private static final String RENAMED = "id:int64,title:string";
  private static final SqlModel MODEL = SqlModel.parse("staging/names.sql", """
      -- table: staging.names
      -- grain: one row per unit
      -- key: id
      -- input: src_unit
      SELECT r.id, r.name FROM (SELECT from_json(after_json, 'id BIGINT, name STRING') AS r FROM latest_src_unit)
      """);
  private static final Map<String, SchemaDrift.SourceTable> SOURCES =
      Map.of("src_unit", new SchemaDrift.SourceTable("worklog", "public.unit"));

  @Test
  void recordedSchemasThatAllFitSkipTheCountAndANewOneIsCounted() {
    StructType events = new StructType().add("event_seq", DataTypes.LongType).add("after_json", DataTypes.StringType)
        .add("row_schema", DataTypes.StringType);
    // two live rows: one sent before the source renamed 'name' to 'title', one after
    spark.createDataFrame(List.of(RowFactory.create(1L, "{\"id\":1,\"name\":\"a\"}", BEFORE),
        RowFactory.create(2L, "{\"id\":2,\"title\":\"b\"}", RENAMED)), events).createOrReplaceTempView("latest_src_unit");
    spark.table("latest_src_unit").createOrReplaceTempView("raw_src_unit");

    // as recorded before the rename: nothing to count, so the check passes without reading a row
    assertEquals(List.of(), new SchemaDrift(spark, SOURCES, Map.of("src_unit", Set.of(BEFORE))).check(MODEL, n -> { }));

    // the rename recorded: the rows are counted and the model stops, naming the new column
    List<String> problems = new SchemaDrift(spark, SOURCES, Map.of("src_unit", Set.of(BEFORE, RENAMED)))
        .check(MODEL, n -> { });
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("staging.names stops: it reads column 'name' of worklog table public.unit, which 1"
        + " current row(s) no longer have (renamed to 'title'?)"), problems.get(0));

    // nothing recorded (a current table of an earlier version): counted as before
    assertEquals(1, new SchemaDrift(spark, SOURCES, Map.of()).check(MODEL, n -> { }).size());
  }
}
