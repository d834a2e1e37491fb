package org.kaoping.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;
import org.kaoping.warehouse.WarehouseCatalog;

/** What a following capture says: nothing while only heartbeats pass, one line per batch that brought changes. */
class CaptureProgressTest extends WithSourceServer {
  /** Longer than the few seconds the capture once repeated "0 events committed" at. */
  private static final Duration QUIET = Duration.ofSeconds(8);

  @Test
  void aQuietSourceSaysNothingAndEachBatchOfChangesOneLine() throws Exception {
    WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("wh").toString()));
    SourceConnection source = new SourceConnection("worklog", "127.0.0.1", server.port(), "worklog", "postgres", "",
        "public", Map.of("heartbeat.interval.ms", "300")); // heartbeat-only batches, often
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    CaptureRunner runner = new CaptureRunner(warehouse, source);
    Thread following = new Thread(() -> {
      try {
        runner.run(CaptureRunner.Mode.FOLLOW, line -> {
          System.out.println(line);
          lines.add(line);
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "follow-worklog");
    following.start();
    try {
      await("the engine streams", () -> runner.lastCheckpoint() != null && !runner.snapshotting());
      Checkpoint quietFrom = runner.lastCheckpoint();
      await("heartbeat batches committed for " + QUIET.toSeconds() + " s", () -> {
        Checkpoint cp = runner.lastCheckpoint();
        return cp.batchSeq() > quietFrom.batchSeq() + 1
            && Duration.between(quietFrom.committedAt(), cp.committedAt()).compareTo(QUIET) > 0;
      });
      List<String> quiet = List.copyOf(lines);
      assertEquals(0, runner.eventsCommitted(), "only heartbeats passed");
      assertTrue(quiet.stream().noneMatch(l -> l.contains("events")), "nothing said while nothing happened: " + quiet);

      try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO work_category (code, name) VALUES ('a', 'A'), ('b', 'B'), ('c', 'C')");
      }
      await("a line for the batch of changes", () -> List.copyOf(lines).stream().anyMatch(l -> l.contains("3 events")));
      List<String> batchLines = List.copyOf(lines).stream().filter(l -> l.contains("events")).toList();
      assertEquals(1, batchLines.size(), "one line for the one batch: " + batchLines);
      assertTrue(batchLines.get(0).matches("worklog: batch \\d+ committed, 3 events, at LSN \\S+"),
          batchLines.get(0));
    } finally {
      runner.requestStop();
      following.join(120_000);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        fail("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }
}
