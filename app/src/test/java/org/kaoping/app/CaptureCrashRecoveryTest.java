package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.World;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.ingestion.SourceConnection;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * Exactly-once under failure, with every core kept busy: ingestion runs as a separate process that
 * is killed (SIGKILL) inside a commit and stopped (SIGTERM) inside another while changes stream;
 * afterwards the current-state tables equal the source row for row and no source position was
 * ingested twice. Every wait is on a checkpoint or a source position, with generous deadlines.
 */
class CaptureCrashRecoveryTest extends WithEmbeddedSources {


  @Test
  void killedAndStoppedIngestionLosesAndDuplicatesNothing() throws Exception {
    World world = WorldGenerator.generate(new DemoScale(5, 3, 2025), WorkingCalendar.builtIn());
    SourceLoader loader = new SourceLoader(world);
    LocalDateTime asOf = LocalDateTime.of(2025, 1, 1, 0, 0);
    Path faults = dir.resolve("faults");
    Files.createDirectories(faults);
    try (CpuLoad load = CpuLoad.onEveryCore(); ChildKaoping.Reaper children = new ChildKaoping.Reaper()) {
      advance(loader, null, asOf);
      Process ingest = startIngest(children, faults);
      ChildKaoping.await("the snapshot's checkpoint", 600, () -> checkpointLsn() >= 0);
      asOf = streamMonths(loader, asOf, 2);
      awaitCaughtUp();
      Files.createFile(faults.resolve("armed"));
      asOf = streamMonths(loader, asOf, 1);
      ChildKaoping.await("a batch blocked between its raw appends and its checkpoint", 600, () -> Files.exists(faults.resolve("blocked")));
      ingest.destroyForcibly().waitFor(60, TimeUnit.SECONDS); // SIGKILL inside the commit

      Files.delete(faults.resolve("blocked"));
      asOf = streamMonths(loader, asOf, 1);
      ingest = startIngest(children, faults);
      awaitCaughtUp();
      asOf = streamMonths(loader, asOf, 1);
      Files.createFile(faults.resolve("armed"));
      asOf = streamMonths(loader, asOf, 1);
      ChildKaoping.await("a batch blocked between its raw appends and its checkpoint", 600, () -> Files.exists(faults.resolve("blocked")));
      ingest.destroy(); // SIGTERM inside the commit: a clean stop
      ChildKaoping.await("the stop to be acknowledged", 120, () -> ChildKaoping.logContains(log(), "SIGTERM received"));
      Files.createFile(faults.resolve("release"));
      assertTrue(ingest.waitFor(5, TimeUnit.MINUTES), "ingest stops after SIGTERM");
      assertEquals(0, ingest.exitValue(), "a requested stop of --follow is a success (see " + log() + ")");

      asOf = streamMonths(loader, asOf, 1);
      assertEquals(0, Kaoping.commandLine().execute("ingest", "--home", dir.toString(), "--set", "sources=worklog",
          "--set", "source.worklog.port=" + server.port()), "the final catch-up run");
    }

    assertKilledBatchRolledBackWithoutDuplicates();

    assertEquals(0, Kaoping.commandLine().execute("build", "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port(), "--set", "spark.master=local[2]"));
    assertStagingEqualsSource();
  }

  private static Path log() {
    return ingestLog();
  }

  /**
   * A long-running capture in a child JVM whose next checkpoint commit (after every raw append of its
   * batch) can be blocked on demand; no heartbeats, so that next checkpoint is a data batch's.
   */
  private Process startIngest(ChildKaoping.Reaper children, Path faults) throws Exception {
    return children.add(ChildKaoping.start(log(),
        List.of(FaultInjectingFileIO.FAULT + "=block-before-write:.*/ops/ingest_checkpoint/metadata/[^/]+\\.avro",
            FaultInjectingFileIO.FAULT_DIR + "=" + faults),
        "ingest", "--follow", "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port(), "--set", "source.worklog.debezium.heartbeat.interval.ms=0",
        "--set", "warehouse.catalog.io-impl=" + FaultInjectingFileIO.class.getName()));
  }

}
