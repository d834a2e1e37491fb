package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * Ingestion's failure modes, each at an exact point: a kill inside a raw table's creation, SIGTERM
 * inside a commit, missing grants, a second capture of a source in use. Each test captures the
 * worklog database under its own source name (its own slot and publication).
 */
class IngestFailureModesTest extends WithEmbeddedSources {
  static SourceLoader loader;
  static LocalDateTime loadedTo = LocalDateTime.of(2025, 1, 1, 0, 0);

  @BeforeAll
  static void loadOrganisation() throws Exception {
    loader = new SourceLoader(WorldGenerator.generate(new DemoScale(9, 2, 2025), WorkingCalendar.builtIn()));
    advanceTo(loadedTo);
  }

  @Test
  void aKillInsideTableCreationDoesNotWedgeLaterRuns() throws Exception {
    Path home = dir.resolve("kill-create");
    Path log = home.resolve("ingest.log");
    Files.createDirectories(home);
    Process p = ChildKaoping.start(log,
        List.of(FaultInjectingFileIO.FAULT + "=halt-after-write:.*/raw/kc_work_category/metadata/[^/]+\\.metadata\\.json"),
        args(home, "kc", "ingest", "--set", "warehouse.catalog.io-impl=" + FaultInjectingFileIO.class.getName()));
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the faulty ingest ends");
    assertTrue(ChildKaoping.logContains(log, "FAULT: halting"), "killed inside the table's creation; see " + log);
    Path metadata = home.resolve("warehouse/raw/kc_work_category/metadata");
    assertTrue(Files.list(metadata).noneMatch(f -> f.getFileName().toString().startsWith("v")),
        "the kill left a table without a committed version");

    assertEquals(0, kaoping(home, "kc", "ingest"), "the next run completes");
    assertEquals(sourceCount("work_category"), rawKeys(home, "kc_work_category").size());
    assertEquals(sourceCount("staff"), rawKeys(home, "kc_staff").size());
  }

  @Test
  void sigtermInsideACommitLetsTheBatchCommitWhole() throws Exception {
    Path home = dir.resolve("term-commit");
    Path faults = home.resolve("faults");
    Files.createDirectories(faults);
    Path log = home.resolve("ingest.log");
    Process p = ChildKaoping.start(log,
        List.of(FaultInjectingFileIO.FAULT + "=block-before-write:.*/raw/tc_work_log/metadata/[^/]+\\.avro",
            FaultInjectingFileIO.FAULT_DIR + "=" + faults),
        args(home, "tc", "ingest", "--follow", "--set", "warehouse.catalog.io-impl=" + FaultInjectingFileIO.class.getName()));
    ChildKaoping.await("the snapshot's checkpoint", 300, () -> latestBatch(home, "tc") > 0);
    Files.createFile(faults.resolve("armed"));
    advanceTo(loadedTo.plusMonths(1));
    ChildKaoping.await("the streamed batch to block inside its raw commit", 300, () -> Files.exists(faults.resolve("blocked")));
    long blockedBatch = latestBatch(home, "tc") + 1;
    p.destroy(); // SIGTERM while the commit is in progress
    ChildKaoping.await("the stop to be acknowledged", 60, () -> ChildKaoping.logContains(log, "SIGTERM received"));
    Files.createFile(faults.resolve("release"));
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "ingest stops after SIGTERM");
    keep(log);
    assertEquals(0, p.exitValue(), "a requested stop of --follow is a success; see " + log);

    assertTrue(latestBatch(home, "tc") >= blockedBatch, "the batch in hand got its checkpoint; see " + log);
    try (WarehouseCatalog w = warehouse(home)) {
      long checkpointed = latestBatch(home, "tc");
      for (TableIdentifier id : w.tables(WarehouseCatalog.Layer.RAW)) {
        Table t = w.load(id);
        if ("tc".equals(t.properties().get(RawChangeTable.SOURCE_PROPERTY)) && t.currentSnapshot() != null) {
          long batch = Long.parseLong(t.currentSnapshot().summary().get(RawChangeTable.BATCH_SEQ_SUMMARY));
          assertTrue(batch <= checkpointed, id + " holds batch " + batch + " past the checkpoint " + checkpointed);
        }
      }
    }
    assertEquals(0, kaoping(home, "tc", "ingest"));
    assertEquals(sourceCount("work_log"), rawKeys(home, "tc_work_log").size(), "every log captured once");
  }

  @Test
  void missingGrantsFailWithTheGrantToRun() throws Exception {
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE no_replication LOGIN");
      s.execute("CREATE ROLE no_select LOGIN REPLICATION");
      s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO no_select");
      s.execute("REVOKE SELECT ON log_review FROM no_select");
    }
    Path home = dir.resolve("grants");
    StringWriter err = new StringWriter();
    assertEquals(1, kaoping(home, "gr", err, "ingest", "--set", "source.gr.user=no_replication"));
    assertTrue(err.toString().contains("ALTER ROLE no_replication WITH REPLICATION"), err.toString());

    err = new StringWriter();
    assertEquals(1, kaoping(home, "gr", err, "ingest", "--set", "source.gr.user=no_select"));
    assertTrue(err.toString().contains("cannot read public.log_review"), err.toString());
    assertTrue(err.toString().contains("GRANT SELECT ON ALL TABLES IN SCHEMA public TO no_select"), err.toString());
  }

  @Test
  void aSecondCaptureOfASourceInUseFails() throws Exception {
    Path home = dir.resolve("slot-busy");
    Files.createDirectories(home);
    Path log = home.resolve("ingest.log");
    Process first = ChildKaoping.start(log, List.of(), args(home, "sb", "ingest", "--follow"));
    try {
      ChildKaoping.await("the first capture's checkpoint", 300, () -> latestBatch(home, "sb") > 0);
      StringWriter err = new StringWriter();
      assertEquals(1, kaoping(dir.resolve("slot-busy-2"), "sb", err, "ingest"), "the second run must not succeed");
      assertTrue(err.toString().contains("another capture of this source is running"), err.toString());
    } finally {
      first.destroy();
      assertTrue(first.waitFor(3, TimeUnit.MINUTES));
    }
  }

  /** Keeps a child's log under target/ for whoever reads a failure. */
  private static void keep(Path log) throws Exception {
    Path kept = Path.of("target", "test-logs", log.getParent().getFileName() + "-" + log.getFileName());
    Files.createDirectories(kept.getParent());
    Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * A transaction committed asynchronously just before the run can lie past the server's WAL write
   * position; the catch-up target must still cover it. Commits here are asynchronous and the WAL writer
   * slow, batches small and heartbeats frequent: every row of the big transaction must be captured.
   */
  @Test
  void aCatchUpCoversTransactionsCommittedAsynchronously() throws Exception {
    Path home = dir.resolve("async-commit");
    String[] smallBatches = {"--set", "source.ac.debezium.heartbeat.interval.ms=10",
        "--set", "source.ac.debezium.max.batch.size=64"};
    assertEquals(0, kaoping(home, "ac", concat(new String[] {"ingest"}, smallBatches)));
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE worklog SET synchronous_commit = off");
      s.execute("ALTER SYSTEM SET wal_writer_delay = '10s'");
      s.execute("SELECT pg_reload_conf()");
    }
    try {
      advanceTo(loadedTo.plusMonths(2));
      assertEquals(0, kaoping(home, "ac", concat(new String[] {"ingest"}, smallBatches)));
    } finally {
      try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
        s.execute("ALTER DATABASE worklog RESET synchronous_commit");
        s.execute("ALTER SYSTEM RESET wal_writer_delay");
        s.execute("SELECT pg_reload_conf()");
      }
    }
    assertEquals(sourceCount("work_log"), rawKeys(home, "ac_work_log").size(), "every log captured");
    assertEquals(sourceCount("log_review"), rawKeys(home, "ac_log_review").size(), "every review captured");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static void advanceTo(LocalDateTime to) throws Exception {
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      loader.advance(loadedTo.equals(to) ? null : loadedTo, to, w, a);
    }
    loadedTo = to;
  }

  private static String[] args(Path home, String source, String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(List.of("--home", home.toString(), "--set", "sources=" + source, "--set", "source." + source + ".database=worklog",
        "--set", "source." + source + ".port=" + server.port()));
    return a.toArray(String[]::new);
  }

  private static int kaoping(Path home, String source, String... command) {
    return Kaoping.commandLine().execute(args(home, source, command));
  }

  private static int kaoping(Path home, String source, StringWriter err, String... command) {
    return Kaoping.commandLine().setErr(new PrintWriter(err, true)).execute(args(home, source, command));
  }

  private static WarehouseCatalog warehouse(Path home) {
    return WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", home.resolve("warehouse").toString()));
  }

  private static long latestBatch(Path home, String source) {
    try (WarehouseCatalog w = warehouse(home)) {
      return IngestCheckpoints.open(w).latest(source).map(IngestCheckpoints.Checkpoint::batchSeq).orElse(0L);
    } catch (Exception e) {
      return 0; // the warehouse is being created by the child
    }
  }

  private static Set<String> rawKeys(Path home, String table) throws Exception {
    Set<String> keys = new HashSet<>();
    List<String> all = new ArrayList<>();
    try (WarehouseCatalog w = warehouse(home)) {
      for (Record r : TestTables.readAll(w, "raw", table)) {
        keys.add((String) r.getField("key_json"));
        all.add(r.getField("op") + "/" + r.getField("source_lsn") + "/" + r.getField("key_json"));
      }
    }
    assertEquals(all.size(), new HashSet<>(all).size(), "raw." + table + " has an event twice");
    return keys;
  }

  private static long sourceCount(String table) throws Exception {
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
