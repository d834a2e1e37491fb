package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.jobs.quality.ReconciliationLog;
import org.kaoping.warehouse.WarehouseCatalog;

import picocli.CommandLine;

/**
 * {@code kaoping reconcile} on the end-to-end fixture (real PostgreSQL, Debezium, Spark, Iceberg): after capture
 * and build every source table matches staging plus its excluded rows (work_log: 17 rows = 15 in staging + 2 set
 * aside); once the source changes without a new capture, it exits 1 naming the tables and keys that differ.
 */
class ReconcileTest extends WithEmbeddedSources {

  @Test
  void matchesAfterCaptureAndNamesWhatChangedSince() throws Exception {
    runWorklogScript("fixture/phase1.sql");
    runWorklogScript("fixture/phase2.sql");
    assertEquals(0, kaoping(new StringWriter(), "ingest"));
    assertEquals(0, kaoping(new StringWriter(), "build"));

    StringWriter consistent = new StringWriter();
    assertEquals(0, kaoping(consistent, "reconcile"), consistent.toString());
    assertEquals(List.of("worklog.work_log", "17", "15", "2", "match"), line(consistent, "worklog.work_log"));
    assertEquals(List.of("worklog.log_review", "14", "14", "0", "match"), line(consistent, "worklog.log_review"));
    assertEquals(List.of("approval.task_progress", "0", "0", "0", "match"), line(consistent, "approval.task_progress"));

    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      s.execute("UPDATE work_log SET minutes = 360 WHERE id = 1001");
      s.execute("DELETE FROM log_review WHERE id = 2016");
    }
    StringWriter changed = new StringWriter();
    assertEquals(1, kaoping(changed, "reconcile"), changed.toString());
    String out = changed.toString();
    assertEquals(List.of("worklog.work_log", "17", "15", "2", "DIFFERS"), line(changed, "worklog.work_log"));
    assertTrue(out.contains("DIFFERS: worklog.work_log: source 17 rows, warehouse 17; keys 1001 (differs)"), out);
    assertTrue(out.contains("DIFFERS: worklog.log_review: source 13 rows, warehouse 14; keys 2016 (not in the source)"), out);
    assertTrue(out.contains("2 table(s) differ"), out);
    assertEquals(List.of("false 1001 (differs)", "true null"), recordedWorkLog(),
        "ops.reconciliation holds both runs' work_log results, latest first");
  }

  /** ops.reconciliation's rows about worklog.work_log, latest run first: "is_ok differing_keys". */
  private static List<String> recordedWorkLog() throws Exception {
    try (WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse",
        dir.resolve("warehouse").toString()));
        CloseableIterable<Record> rows = IcebergGenerics.read(warehouse.load(ReconciliationLog.TABLE)).build()) {
      List<Record> all = new ArrayList<>();
      rows.forEach(r -> all.add(r.copy()));
      return all.stream().filter(r -> "worklog.work_log".equals(r.getField("source_table")))
          .sorted(Comparator.comparing(r -> (OffsetDateTime) r.getField("reconciled_at"), Comparator.reverseOrder()))
          .map(r -> r.getField("is_ok") + " " + r.getField("differing_keys")).toList();
    }
  }

  /** The fields of the output line about {@code table}. */
  private static List<String> line(StringWriter out, String table) {
    return Arrays.stream(out.toString().split("\n")).filter(l -> l.startsWith(table + " ")).findFirst()
        .map(l -> List.of(l.strip().split("\\s+"))).orElseThrow(() -> new AssertionError("no line for " + table + " in\n" + out));
  }

  private int kaoping(StringWriter out, String command) {
    CommandLine cli = Kaoping.commandLine();
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(command, "--home", dir.toString(),
        "--set", "source.worklog.port=" + server.port(), "--set", "source.approval.port=" + server.port(),
        "--set", "metrics.as-of-date=2025-10-31", "--set", "spark.master=local[2]");
  }

}
