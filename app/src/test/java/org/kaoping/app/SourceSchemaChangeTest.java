package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.RowSchema;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Source schema changes made between captures, through real PostgreSQL, Debezium, Iceberg and Spark:
 * an added column and a widened type pass with the right numbers; a renamed, dropped or retyped column
 * that a staging model reads stops the build with a sentence naming the table, column and change,
 * never a NULL or a misleading reject; a configured column map lets the build read the renamed column.
 */
class SourceSchemaChangeTest extends WithEmbeddedSources {
  private static final String CONTENT_MAP = "source.worklog.column-map.work_log.content=description";
  private static final String MINUTES_MAP = "source.worklog.column-map.work_log.minutes=minutes_spent";

  private record Outcome(int exit, String err) {}

  @Test
  void schemaChangesAreReadRightOrStopTheBuildWithTheChangeNamed() throws Exception {
    runWorklogScript("fixture/phase1.sql");
    // The initial snapshot must have landed before the schema changes, or it would read them already changed.
    assertEquals(0, kaoping("ingest").exit());
    assertEquals(13, rawRows("work_log"), "a catch-up run ends only once the snapshot is committed");

    // Added column and int -> bigint widening: the build passes and reads the numbers right.
    runWorklogSql("ALTER TABLE work_log ADD COLUMN location text",
        "ALTER TABLE work_log ALTER COLUMN minutes TYPE bigint",
        "UPDATE work_log SET minutes = 301, location = 'office' WHERE id = 1001");
    assertEquals(0, kaoping("ingest").exit());
    assertEquals(0, kaoping("build").exit());
    RowSchema latest1001 = RowSchema.parse((String) latestRaw("work_log", 1001).getField(RawChangeTable.ROW_SCHEMA));
    assertEquals("string", latest1001.type("location"), "raw keeps the added column");
    assertEquals("int64", latest1001.type("minutes"));
    assertEquals(301, stagingLog(1001).getField("minutes"));
    assertEquals(120, stagingLog(1002).getField("minutes"), "rows from before the change read as before");

    // Rename of a column the model reads: the build stops and names the rename, staging keeps its last good state.
    runWorklogSql("ALTER TABLE work_log RENAME COLUMN content TO description",
        "UPDATE work_log SET description = 'rewritten b' WHERE id = 1002");
    assertEquals(0, kaoping("ingest").exit());
    Outcome renamed = kaoping("build");
    assertEquals(1, renamed.exit(), renamed.err());
    assertTrue(renamed.err().contains("staging.work_log stops: it reads column 'content' of worklog table public.work_log,"
        + " which 1 current row(s) no longer have (renamed to 'description'?)"), renamed.err());
    assertTrue(renamed.err().contains(CONTENT_MAP), renamed.err());
    assertEquals("b", stagingLog(1002).getField("content"), "no NULL reached staging");

    // Renamed minutes: named as a rename, not sent to rejects as "minutes outside 1..1440".
    runWorklogSql("ALTER TABLE work_log RENAME COLUMN minutes TO minutes_spent",
        "UPDATE work_log SET minutes_spent = 400 WHERE id = 1003");
    assertEquals(0, kaoping("ingest").exit());
    Outcome minutes = kaoping("build", "--set", CONTENT_MAP);
    assertEquals(1, minutes.exit(), minutes.err());
    assertTrue(minutes.err().contains("it reads column 'minutes' of worklog table public.work_log, which 1 current row(s)"
        + " no longer have (renamed to 'minutes_spent'?)"), minutes.err());
    assertTrue(minutes.err().contains(MINUTES_MAP), minutes.err());
    assertTrue(!minutes.err().contains("'content'"), "the mapped column is no longer a problem: " + minutes.err());

    // Both renames mapped in configuration: the build passes and staging has the values under the model's names.
    assertEquals(0, kaoping("build", "--set", CONTENT_MAP, "--set", MINUTES_MAP).exit());
    assertEquals("rewritten b", stagingLog(1002).getField("content"));
    assertEquals(400, stagingLog(1003).getField("minutes"));
    assertEquals(301, stagingLog(1001).getField("minutes"));
    assertEquals("c", stagingLog(1003).getField("content"), "rows from before the renames keep their values");
    List<String> rejects = new ArrayList<>();
    read("ops", "rejected_rows").forEach(r -> rejects.add(r.getField("record_key") + ": " + r.getField("reason")));
    assertEquals(List.of(), rejects);

    // A dropped column and an incompatible type change: both named at once, with what to do.
    runWorklogSql("ALTER TABLE work_log DROP COLUMN duty_id",
        "ALTER TABLE work_log DROP CONSTRAINT work_log_attachment_count_check",
        "ALTER TABLE work_log ALTER COLUMN attachment_count TYPE text",
        "UPDATE work_log SET attachment_count = 'two' WHERE id = 1004");
    assertEquals(0, kaoping("ingest").exit());
    Outcome dropped = kaoping("build", "--set", CONTENT_MAP, "--set", MINUTES_MAP);
    assertEquals(1, dropped.exit(), dropped.err());
    assertTrue(dropped.err().contains("it reads column 'duty_id' of worklog table public.work_log, which 1 current row(s)"
        + " no longer have (dropped in the source). Restore the column in the source, or map it:"
        + " source.worklog.column-map.work_log.duty_id=<source column>."), dropped.err());
    assertTrue(dropped.err().contains("it reads column 'attachment_count' of worklog table public.work_log as INT,"
        + " but 1 current row(s) have it as text (was integer)"), dropped.err());
  }

  private Outcome kaoping(String command, String... extra) {
    List<String> args = new ArrayList<>(List.of(command, "--home", dir.toString(),
        "--set", "source.worklog.port=" + server.port(), "--set", "source.approval.port=" + server.port(),
        "--set", "metrics.as-of-date=2025-10-31", "--set", "spark.master=local[2]"));
    args.addAll(List.of(extra));
    StringWriter err = new StringWriter();
    var cli = Kaoping.commandLine();
    cli.setErr(new PrintWriter(err, true));
    return new Outcome(cli.execute(args.toArray(String[]::new)), err.toString());
  }

  private static long rawRows(String table) throws Exception {
    try (WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()))) {
      return warehouse.catalog().tableExists(RawChangeTable.identifier("worklog", "public." + table))
          ? TestTables.readAll(warehouse, "raw", "worklog_" + table).size() : 0;
    }
  }

  private static Record stagingLog(long id) throws Exception {
    return read("staging", "work_log").stream().filter(r -> (Long) r.getField("log_id") == id).findFirst().orElseThrow();
  }

  /** The latest raw event of a work-log row. */
  private static Record latestRaw(String table, long id) throws Exception {
    return read("raw", "worklog_" + table).stream().filter(r -> ("{\"id\":" + id + "}").equals(r.getField("key_json")))
        .max((a, b) -> Long.compare((Long) a.getField("event_seq"), (Long) b.getField("event_seq"))).orElseThrow();
  }

  private static List<Record> read(String namespace, String table) throws Exception {
    try (WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()))) {
      return TestTables.readAll(warehouse, namespace, table);
    }
  }

}
