package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * The parallel initial load stopped (SIGTERM) and then killed (SIGKILL) midway, a reader held inside the write of a
 * chunk, with the sources changing while it loads and while it is down: the stopped run keeps what it committed and
 * exits 3; the next run reads only the chunks not committed, streams from the slot, and the warehouse ends equal to
 * the source with nothing read twice.
 */
class InitialLoadKillTest extends WithEmbeddedSources {
  private static final String CHUNK_SUMMARY = "kaoping.initial-load.chunk";

  @Test
  void aLoadKilledMidwayResumesChunkByChunkWithoutDuplicates() throws Exception {
    SourceLoader loader = new SourceLoader(WorldGenerator.generate(new DemoScale(5, 3, 2025), WorkingCalendar.builtIn()));
    LocalDateTime asOf = LocalDateTime.of(2025, 3, 1, 0, 0);
    advance(loader, null, asOf);
    Path faults = dir.resolve("faults");
    Files.createDirectories(faults);
    int chunksBeforeKill;
    try (CpuLoad load = CpuLoad.onEveryCore(); ChildKaoping.Reaper children = new ChildKaoping.Reaper()) {
      // a reader blocks writing the second work_log chunk: that chunk can never commit, so the load stays midway
      // however the machine schedules the other readers and the commits
      Process stopped = blockedLoad(children, faults, "1");
      ChildKaoping.await("a work_log chunk committed", 600, () -> workLogChunks() >= 1 || !stopped.isAlive());
      stopped.destroy(); // SIGTERM: the load stops after the commit in hand, the blocked reader is interrupted
      assertTrue(stopped.waitFor(600, TimeUnit.SECONDS), "the stopped load exits");
      assertEquals(3, stopped.exitValue(), "a load stopped before it caught up exits 3: " + Files.readString(log()));
      assertTrue(Files.readString(log()).contains("stopped before catching up"), Files.readString(log()));
      int chunksWhenStopped = workLogChunks();
      assertTrue(chunksWhenStopped >= 1 && chunksWhenStopped < plannedWorkLogChunks(),
          "stopped midway: " + chunksWhenStopped + " of " + plannedWorkLogChunks() + " chunks committed");
      asOf = streamMonths(loader, asOf, 1); // changes while nothing runs

      // the next run resumes the load; a reader blocks on its first work_log chunk, and the run is killed
      Files.delete(faults.resolve("blocked"));
      Process ingest = blockedLoad(children, faults, "0");
      asOf = streamMonths(loader, asOf, 1); // changes while the load is midway
      ingest.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
      chunksBeforeKill = workLogChunks();
      assertTrue(chunksBeforeKill >= chunksWhenStopped, "what the stopped run committed stays");
    }
    assertFalse(hasCheckpoint(), "the killed load had not finished");
    assertTrue(chunksBeforeKill >= 1 && chunksBeforeKill < plannedWorkLogChunks(),
        "killed midway: " + chunksBeforeKill + " of " + plannedWorkLogChunks() + " chunks committed");

    asOf = streamMonths(loader, asOf, 1); // changes while nothing runs
    assertEquals(0, Kaoping.commandLine().execute("ingest", "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port(), "--set", "ingest.load-chunk-rows=150"), "the resumed run");
    asOf = streamMonths(loader, asOf, 1);
    assertEquals(0, Kaoping.commandLine().execute("ingest", "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port()), "a run after the load");

    String output = Files.readString(log());
    System.out.println("---- killed ingest's output ----\n" + output.lines().filter(l -> !l.startsWith("\tat "))
        .collect(Collectors.joining("\n")));
    assertEquals(plannedWorkLogChunks(), workLogChunks(), "every chunk committed, none twice");
    assertNoDuplicatePositions("worklog_work_log");
    assertNoDuplicatePositions("worklog_log_review");
    assertEquals(0, Kaoping.commandLine().execute("build", "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port(), "--set", "spark.master=local[2]"));
    assertStagingEqualsSource();
  }

  /**
   * Starts {@code kaoping ingest --follow} whose readers block writing a work_log chunk's data file after {@code pass}
   * such files were written, and returns once one is blocked there.
   */
  private static Process blockedLoad(ChildKaoping.Reaper children, Path faults, String pass) throws Exception {
    Files.writeString(faults.resolve("armed"), pass);
    Process ingest = children.add(ChildKaoping.start(log(),
        List.of(FaultInjectingFileIO.FAULT + "=block-before-write:.*/raw/worklog_work_log/data/.+\\.parquet",
            FaultInjectingFileIO.FAULT_DIR + "=" + faults),
        "ingest", "--follow", "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port(), "--set", "ingest.load-chunk-rows=150",
        "--set", "ingest.load-workers=2", "--set", "warehouse.catalog.io-impl=" + FaultInjectingFileIO.class.getName()));
    ChildKaoping.await("a reader blocked on a work_log chunk", 600,
        () -> Files.exists(faults.resolve("blocked")) || !ingest.isAlive());
    assertTrue(ingest.isAlive(), "the loading child runs: " + Files.readString(log()));
    return ingest;
  }

  private static Path log() {
    return dir.resolve("ingest.log");
  }

  private static Table workLog(WarehouseCatalog w) {
    return w.load(RawChangeTable.identifier("worklog", "public.work_log"));
  }

  /** Chunks of work_log committed; 0 while the child has not created the table. */
  private static int workLogChunks() {
    try (WarehouseCatalog w = warehouse()) {
      return StreamSupport.stream(workLog(w).snapshots().spliterator(), false)
          .filter(s -> s.summary().containsKey(CHUNK_SUMMARY))
          .mapToInt(s -> s.summary().get(CHUNK_SUMMARY).split(",").length).sum();
    } catch (Exception e) {
      return 0; // the child has not created the table yet
    }
  }

  private static int plannedWorkLogChunks() throws Exception {
    try (WarehouseCatalog w = warehouse()) {
      String plan = workLog(w).properties().get("kaoping.initial-load.plan");
      String bounds = plan.substring(plan.lastIndexOf(';') + 1);
      return bounds.isEmpty() ? 1 : bounds.split(",").length + 1;
    }
  }

  private static boolean hasCheckpoint() throws Exception {
    try (WarehouseCatalog w = warehouse()) {
      return IngestCheckpoints.open(w).latest("worklog").isPresent();
    }
  }
}
