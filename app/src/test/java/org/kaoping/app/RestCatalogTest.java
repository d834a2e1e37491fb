package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.PublicationLog;
import org.kaoping.jobs.BuildRuns;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * The pipeline through a real Iceberg REST catalog server (a separate process) chosen by configuration alone
 * ({@code warehouse.catalog.type=rest}, {@code warehouse.catalog.uri}): a capture killed (SIGKILL) between a
 * batch's raw appends and its checkpoint commit loses and doubles nothing, then build, publish and reproduce
 * run through the same catalog, Spark's side included; finally the marts are rebuilt on a real Spark standalone
 * cluster (master, worker and executors, each its own JVM) and equal the {@code local[2]} build's, table by table.
 * One class, so the sources, the catalog server and the pipeline's state are set up once for both.
 */
class RestCatalogTest extends WithEmbeddedSources {
  private static RestCatalogServer catalog;

  @BeforeAll
  static void startCatalog() throws Exception {
    catalog = RestCatalogServer.start(dir.resolve("rest-catalog"));
  }

  @AfterAll
  static void stopCatalog() throws Exception {
    catalog.close();
  }

  @Override
  WarehouseCatalog openWarehouse() {
    return WarehouseCatalog.open(catalog.clientProperties());
  }

  @Test
  void killedCaptureThenBuildPublishAndReproduceThroughTheRestCatalogThenTheSameBuildOnASparkCluster() throws Exception {
    SourceLoader loader = new SourceLoader(WorldGenerator.generate(new DemoScale(5, 2, 2025), WorkingCalendar.builtIn()));
    LocalDateTime asOf = LocalDateTime.of(2025, 1, 1, 0, 0);
    Path faults = Files.createDirectories(dir.resolve("faults"));
    try (ChildKaoping.Reaper children = new ChildKaoping.Reaper()) {
      advance(loader, null, asOf);
      Process ingest = children.add(ChildKaoping.start(log(),
          List.of(FaultInjectingFileIO.FAULT + "=block-before-write:.*/ops/ingest_checkpoint/metadata/[^/]+\\.avro",
              FaultInjectingFileIO.FAULT_DIR + "=" + faults),
          args("ingest", "--follow", "--set", "source.worklog.debezium.heartbeat.interval.ms=0",
              "--set", "warehouse.catalog.io-impl=" + FaultInjectingFileIO.class.getName())));
      ChildKaoping.await("the snapshot's checkpoint", 600, () -> checkpointLsn() >= 0);
      asOf = streamMonths(loader, asOf, 1);
      awaitCaughtUp();
      Files.createFile(faults.resolve("armed"));
      asOf = streamMonths(loader, asOf, 1);
      ChildKaoping.await("a batch blocked between its raw appends and its checkpoint", 600,
          () -> Files.exists(faults.resolve("blocked")));
      ingest.destroyForcibly().waitFor(60, TimeUnit.SECONDS); // SIGKILL inside the commit

      asOf = streamMonths(loader, asOf, 1);
      Process catchUp = children.add(ChildKaoping.start(log(), List.of(), args("ingest")));
      assertTrue(catchUp.waitFor(10, TimeUnit.MINUTES), "the catch-up run ends once caught up");
      assertEquals(0, catchUp.exitValue(), "the catch-up run succeeds (see " + log() + ")");
    }
    assertKilledBatchRolledBackWithoutDuplicates();
    assertTrue(Files.isDirectory(catalog.warehouse().resolve("raw").resolve("worklog_work_log")),
        "the tables live where the REST catalog's server put them");
    assertFalse(Files.exists(dir.resolve("warehouse")), "nothing went to the home's directory catalog");

    assertEquals(0, Kaoping.commandLine().execute(args("build", "--set", "spark.master=local[2]")));
    assertStagingEqualsSource();

    String servingUrl = Serving.embedded(KaopingConfig.load(null, Map.of()), server.port()).jdbcUrl();
    assertEquals(0, Kaoping.commandLine().execute(args("publish", "--set", "serving.jdbc-url=" + servingUrl)));
    long publication;
    try (WarehouseCatalog w = openWarehouse()) {
      publication = PublicationLog.open(w).latest().orElseThrow().publicationId();
    }
    String reproduced = stdout(args("reproduce", "--publication", Long.toString(publication), "--set", "spark.master=local[2]"));
    assertTrue(reproduced.contains("reproduced exactly"), reproduced);

    // a real standalone cluster, its executors writing through the same catalog: a build the kaoping command drives
    // with another working day (so every mart is recomputed, from the staging it keeps), SIGKILLed once it has written
    // the person-day facts and the period metrics, leaves every mart's previous snapshot readable and whole; then
    // Kaoping's application jar, submitted as spark-submit does, runs the next build, which repairs what the killed one
    // wrote (equal to local[2]'s, table by table), and publishes
    Map<String, List<String>> local = marts();
    Map<String, Long> before = martSnapshots();
    String lastBuild = lastBuild();
    Path sparkDir = dir.resolve("spark");
    try (SparkCluster cluster = SparkCluster.start(sparkDir); ChildKaoping.Reaper children = new ChildKaoping.Reaper()) {
      Path killedLog = sparkDir.resolve("killed-build.log");
      List<String> onCluster = new ArrayList<>(List.of(args("build", "--set", "metrics.full-day-minutes=480")));
      onCluster.addAll(cluster.driverSettings());
      Process killed = children.add(ChildKaoping.start(killedLog, List.of(), onCluster.toArray(String[]::new)));
      ChildKaoping.await("the build on the cluster to write mart.metrics_by_period (see " + killedLog + ")", 600,
          () -> ChildKaoping.logContains(killedLog, "mart.metrics_by_period: ") || !killed.isAlive());
      assertTrue(killed.isAlive(), "the build was still running when killed (see " + killedLog + ")");
      killed.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
      assertEquals(local, marts(before), "every mart's previous snapshot is readable and whole after the kill");
      assertEquals(lastBuild, lastBuild(), "the killed build recorded nothing");
      assertNotEquals(local.get("fact_person_day"), marts().get("fact_person_day"), "the killed build had committed its person-days");

      Path submittedLog = sparkDir.resolve("submitted.log");
      Process build = children.add(cluster.submit(submittedLog, args("build")));
      assertTrue(build.waitFor(15, TimeUnit.MINUTES), "the submitted build ends (see " + submittedLog + ")");
      assertEquals(0, build.exitValue(), "the submitted build succeeds:\n" + kaopingLines(submittedLog));
      Matcher app = Pattern.compile("app ID (app-[0-9-]+)").matcher(read(submittedLog));
      assertTrue(app.find(), "the submitted build ran as an application of the cluster (see " + submittedLog + ")");
      try (Stream<Path> logs = Files.walk(sparkDir.resolve("work").resolve(app.group(1)))) {
        assertTrue(logs.anyMatch(p -> p.getFileName().toString().equals("stderr")), "its executors ran on the worker");
      }
      Process publish = children.add(cluster.submit(submittedLog, args("publish", "--set", "serving.jdbc-url=" + servingUrl)));
      assertTrue(publish.waitFor(10, TimeUnit.MINUTES), "the submitted publish ends (see " + submittedLog + ")");
      assertEquals(0, publish.exitValue(), "the submitted publish succeeds:\n" + kaopingLines(submittedLog));
    }
    Map<String, List<String>> cluster = marts();
    assertEquals(local.keySet(), cluster.keySet());
    for (String table : local.keySet()) {
      assertEquals(local.get(table), cluster.get(table), table + ": the cluster's build equals local[2]'s");
    }
    try (WarehouseCatalog w = openWarehouse()) {
      assertTrue(PublicationLog.open(w).latest().orElseThrow().publicationId() > publication,
          "the submitted publish recorded a publication");
    }
  }

  /** The log's lines but Spark's own INFO and WARN ones: Kaoping's progress, errors and stack traces. */
  private static String kaopingLines(Path log) {
    return read(log).lines().filter(l -> !l.matches("\\d\\d/\\d\\d/\\d\\d [0-9:]+ (INFO|WARN) .*")).collect(java.util.stream.Collectors.joining("\n"));
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private String lastBuild() throws Exception {
    try (WarehouseCatalog w = openWarehouse()) {
      return BuildRuns.lastRecorded(w).orElseThrow().buildId();
    }
  }

  /** Every mart's current snapshot id, by table. */
  private Map<String, Long> martSnapshots() throws Exception {
    Map<String, Long> snapshots = new TreeMap<>();
    try (WarehouseCatalog w = openWarehouse()) {
      for (TableIdentifier table : w.tables(WarehouseCatalog.Layer.MART)) {
        snapshots.put(table.name(), w.load(table).currentSnapshot().snapshotId());
      }
    }
    return snapshots;
  }

  /** Every mart's rows at the snapshot {@code snapshots} names, as text, sorted, by table. */
  private Map<String, List<String>> marts(Map<String, Long> snapshots) throws Exception {
    Map<String, List<String>> marts = new TreeMap<>();
    try (WarehouseCatalog w = openWarehouse()) {
      for (Map.Entry<String, Long> e : snapshots.entrySet()) {
        marts.put(e.getKey(), TestTables.readAt(w, "mart", e.getKey(), e.getValue()).stream().map(Object::toString).sorted().toList());
      }
    }
    return marts;
  }

  /** Every mart's rows as text, sorted, by table. */
  private Map<String, List<String>> marts() throws Exception {
    Map<String, List<String>> marts = new TreeMap<>();
    try (WarehouseCatalog w = openWarehouse()) {
      for (TableIdentifier table : w.tables(WarehouseCatalog.Layer.MART)) {
        marts.put(table.name(), TestTables.readAll(w, "mart", table.name()).stream().map(Object::toString).sorted().toList());
      }
    }
    return marts;
  }

  @Test
  void anUnreachableCatalogIsNamedWithItsKey() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    StringWriter err = new StringWriter();
    var cli = Kaoping.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute("build", "--home", dir.resolve("unreachable").toString(), "--set", "warehouse.catalog.type=rest",
        "--set", "warehouse.catalog.uri=http://127.0.0.1:" + closedPort + "/");
    assertEquals(2, exit, err.toString());
    assertTrue(err.toString().contains("Cannot reach the Iceberg REST catalog at http://127.0.0.1:" + closedPort + "/")
        && err.toString().contains("'warehouse.catalog.uri'"), err.toString());
    assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
  }

  private static Path log() {
    return ingestLog();
  }

  private String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--home", dir.toString(), "--set", "sources=worklog", "--set", "source.worklog.port=" + server.port()));
    all.addAll(catalog.settings());
    return all.toArray(String[]::new);
  }

  private static String stdout(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Kaoping.commandLine().execute(args);
    } finally {
      System.setOut(old);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    old.println(text);
    assertEquals(0, exit, text);
    return text;
  }
}
