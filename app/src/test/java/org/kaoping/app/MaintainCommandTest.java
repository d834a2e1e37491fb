package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.SnapshotTags;
import org.kaoping.warehouse.TableFiles;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * {@code kaoping maintain} on a real ingested and built warehouse while a reader queries a raw table
 * and a mart in a loop: every read sees the same data, files get fewer, offsets stay, the snapshots of
 * the retained build stay readable by time travel, abandoned files go once old enough, and ingest resumes.
 */
class MaintainCommandTest extends WithEmbeddedSources {
  static final TableIdentifier RAW = TableIdentifier.of("raw", "worklog_work_log");
  static final TableIdentifier CHECKPOINTS = IngestCheckpoints.TABLE;
  static final TableIdentifier MART = TableIdentifier.of("mart", "metrics_by_period");

  /** Row count and a column sum: equal data reads equal. */
  record Figures(long rows, long sum) {}

  @Test
  void maintenanceUnderAConcurrentReaderKeepsDataOffsetsAndTaggedSnapshots() throws Exception {
    runWorklogScript("fixture/phase1.sql");
    ingest();
    assertEquals(0, kaoping("build"));
    runWorklogScript("fixture/phase2.sql");
    ingest();
    assertEquals(0, kaoping("build"));

    List<String> builds = buildIds();
    String firstTag = SnapshotTags.ofBuild(builds.get(0));
    String lastTag = SnapshotTags.ofBuild(builds.get(1));
    Path oldOrphan;
    Path youngOrphan;
    long firstBuildRawSnapshot;
    IngestCheckpoints.Checkpoint checkpoint;
    int rawFiles;
    int checkpointFiles;
    try (WarehouseCatalog w = warehouse()) {
      Table mart = w.load(MART);
      assertTrue(mart.refs().containsKey(firstTag) && mart.refs().containsKey(lastTag),
          "both builds tagged the mart, and the second build's replace kept the first one's tag: " + mart.refs().keySet());
      Table raw = w.load(RAW);
      assertTrue(raw.refs().containsKey(firstTag), "the first build tagged its raw input: " + raw.refs() + " " + builds);
      firstBuildRawSnapshot = raw.refs().get(firstTag).snapshotId();
      assertFalse(firstBuildRawSnapshot == raw.currentSnapshot().snapshotId(), "phase 2 appended after the first build");
      oldOrphan = abandonedBatchFile(raw);
      youngOrphan = abandonedBatchFile(raw);
      Files.setLastModifiedTime(oldOrphan, FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));
      checkpoint = IngestCheckpoints.open(w).latest("worklog").orElseThrow();
      rawFiles = liveFiles(raw);
      checkpointFiles = liveFiles(w.load(CHECKPOINTS));
    }
    assertTrue(rawFiles >= 2 && checkpointFiles >= 2, "one file per batch before maintenance: " + rawFiles + ", " + checkpointFiles);
    Figures rawBefore = read(RAW, "event_seq", null);
    Figures martBefore = read(MART, "workload_minutes", null);

    AtomicReference<Throwable> readerFailure = new AtomicReference<>();
    AtomicInteger reads = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    // Iceberg's reader, not Spark: the maintain command closes the JVM's one Spark session when it ends
    Thread reader = new Thread(() -> {
      try (WarehouseCatalog w = warehouse()) {
        while (!done.get()) { // a flag, not an interrupt: an interrupt closes the reader's file channels
          assertEquals(rawBefore, read(w, RAW, "event_seq", null), "raw table read during maintenance");
          assertEquals(martBefore, read(w, MART, "workload_minutes", null), "mart read during maintenance");
          reads.incrementAndGet();
        }
      } catch (Throwable e) {
        readerFailure.compareAndSet(null, e);
      }
    }, "concurrent-reader");
    reader.start();
    String firstRun;
    String secondRun;
    try {
      firstRun = maintain();
      secondRun = maintain(); // the second run finds the snapshots the first one's compaction superseded
    } finally {
      done.set(true);
      reader.join(60_000);
    }
    System.out.println(firstRun + secondRun + "concurrent reader: " + reads.get() + " reads, all equal");
    if (readerFailure.get() != null) {
      throw new AssertionError("the concurrent reader failed after " + reads.get() + " reads", readerFailure.get());
    }
    assertTrue(reads.get() >= 3, "the reader ran during maintenance: " + reads.get() + " reads");
    assertTrue(firstRun.contains("raw.worklog_work_log: " + rawFiles + " -> 1 data files"), firstRun);
    java.util.regex.Matcher summary = java.util.regex.Pattern.compile(
        "Maintained \\d+ tables: data files (\\d+) -> (\\d+), [1-9]\\d* snapshot\\(s\\) expired \\([1-9]\\d* bytes freed\\)")
        .matcher(firstRun);
    assertTrue(summary.find(), firstRun);
    assertTrue(Integer.parseInt(summary.group(2)) < Integer.parseInt(summary.group(1)), "fewer files in all: " + summary.group());

    assertEquals(rawBefore, read(RAW, "event_seq", null), "raw data unchanged");
    assertEquals(martBefore, read(MART, "workload_minutes", null), "mart data unchanged");
    try (WarehouseCatalog w = warehouse()) {
      Table raw = w.load(RAW);
      assertEquals(1, liveFiles(raw), "raw batches compacted");
      assertEquals(1, liveFiles(w.load(CHECKPOINTS)), "checkpoint rows compacted");
      assertEquals(checkpoint, IngestCheckpoints.open(w).latest("worklog").orElseThrow(), "the committed offset is kept");
      assertNull(raw.snapshot(firstBuildRawSnapshot), "the first build's tag was released (keep-builds=1) and its snapshot expired");
      assertFalse(raw.refs().containsKey(firstTag));
      assertNotNull(raw.refs().get(lastTag), "the latest build's tag stays");
      assertFalse(raw.refs().get(lastTag).snapshotId() == raw.currentSnapshot().snapshotId(),
          "the tagged snapshot is no longer current: without the tag the second run would have expired it");
      assertEquals(rawBefore, read(RAW, "event_seq", raw.refs().get(lastTag).snapshotId()),
          "the latest build's raw input, by time travel");
      Table mart = w.load(MART);
      assertEquals(martBefore, read(MART, "workload_minutes", mart.refs().get(lastTag).snapshotId()),
          "the latest build's mart output, by time travel");
    }
    assertFalse(Files.exists(oldOrphan), "an abandoned file older than the margin is removed");
    assertTrue(Files.exists(youngOrphan), "an abandoned file younger than the margin is kept (a writer may commit it)");

    runWorklogSql("UPDATE work_log SET minutes = 310, updated_at = '2025-10-16 09:00' WHERE id = 1001");
    ingest();
    Figures rawAfter = read(RAW, "event_seq", null);
    assertEquals(rawBefore.rows() + 1, rawAfter.rows(), "the resumed ingest adds the one new change, nothing twice");
    assertEquals(rawBefore.sum() + checkpoint.lastEventSeq() + 1, rawAfter.sum(), "it continues the event sequence");
    try (WarehouseCatalog w = warehouse()) {
      assertEquals(checkpoint.batchSeq() + 1, IngestCheckpoints.open(w).latest("worklog").orElseThrow().batchSeq());
    }
  }

  /** Runs maintain with everything superseded expirable, one build kept, and a one-day orphan margin; returns its output. */
  private String maintain() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, kaoping("maintain", "--set", "maintain.snapshot-retention-hours=0", "--set", "maintain.keep-snapshots=1",
          "--set", "maintain.keep-builds=1", "--set", "maintain.orphan-min-age-hours=24"),
          () -> captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** A Parquet file written into the table's data directory and never committed, as an interrupted batch leaves it. */
  private static Path abandonedBatchFile(Table raw) {
    TableFiles.Writer writer = TableFiles.writer(raw);
    GenericRecord r = GenericRecord.create(RawChangeTable.SCHEMA);
    r.setField("event_seq", 999_999L);
    r.setField("op", "c");
    r.setField("is_snapshot", false);
    r.setField("batch_seq", 999_999L);
    r.setField("ingested_at", java.time.OffsetDateTime.now());
    writer.write(r);
    String location = writer.finish().location();
    Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    assertTrue(Files.exists(file), file.toString());
    return file;
  }

  /** Rows and the sum of {@code column} of a table, at its current snapshot or at {@code snapshotId}. */
  private static Figures read(TableIdentifier id, String column, Long snapshotId) throws Exception {
    try (WarehouseCatalog w = warehouse()) {
      return read(w, id, column, snapshotId);
    }
  }

  /** Loads the table afresh (its current snapshot now) and reads it through one long-lived catalog, as a reader does. */
  private static Figures read(WarehouseCatalog w, TableIdentifier id, String column, Long snapshotId) throws IOException {
    IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(w.load(id));
    if (snapshotId != null) {
      scan = scan.useSnapshot(snapshotId);
    }
    long rows = 0;
    long sum = 0;
    Set<Object> seen = new HashSet<>();
    try (CloseableIterable<Record> it = scan.build()) {
      for (Record r : it) {
        rows++;
        Object v = r.getField(column);
        sum += v == null ? 0 : ((Number) v).longValue();
        if (id.equals(RAW)) {
          assertTrue(seen.add(v), "event_seq " + v + " read twice");
        }
      }
    }
    return new Figures(rows, sum);
  }

  private static int liveFiles(Table table) throws IOException {
    table.refresh();
    int n = 0;
    try (var tasks = table.newScan().planFiles()) {
      for (var ignored : tasks) {
        n++;
      }
    }
    return n;
  }

  private static List<String> buildIds() throws Exception {
    try (WarehouseCatalog w = warehouse()) {
      return TestTables.readAll(w, "ops", "build_run").stream()
          .sorted(java.util.Comparator.comparing(r -> (java.time.OffsetDateTime) r.getField("finished_at")))
          .map(r -> (String) r.getField("build_id")).toList();
    }
  }

  /** Ingests in a child JVM, as a scheduled run would: one process per run. */
  private void ingest() throws Exception {
    Path log = dir.resolve("ingest.log");
    Process p = ChildKaoping.start(log, List.of(), "ingest", "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port());
    assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "ingest finishes within 5 minutes");
    System.out.println("---- ingest output ----\n" + readQuietly(log));
    assertEquals(0, p.exitValue(), "ingest exit code");
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private int kaoping(String command, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of(command, "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port(), "--set", "metrics.as-of-date=2025-10-31",
        "--set", "spark.master=local[2]"));
    args.addAll(List.of(more));
    return Kaoping.commandLine().execute(args.toArray(String[]::new));
  }

}
