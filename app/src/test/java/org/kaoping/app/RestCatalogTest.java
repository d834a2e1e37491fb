package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.stream.Stream;

import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.PublicationLog;
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

    String servingUrl = Serving.embedded(KaopingConfig.load(null, Map.of()), server).jdbcUrl();
    assertEquals(0, Kaoping.commandLine().execute(args("publish", "--set", "serving.jdbc-url=" + servingUrl)));
    long publication;
    try (WarehouseCatalog w = openWarehouse()) {
      publication = PublicationLog.open(w).latest().orElseThrow().publicationId();
    }
    String reproduced = stdout(args("reproduce", "--publication", Long.toString(publication), "--set", "spark.master=local[2]"));
    assertTrue(reproduced.contains("reproduced exactly"), reproduced);

    // the same marts recomputed on a real standalone cluster, its executors writing through the same catalog
    Map<String, List<String>> local = marts();
    try (SparkCluster cluster = SparkCluster.start(dir.resolve("spark"))) {
      List<String> onCluster = new ArrayList<>(List.of(args("build", "--full")));
      onCluster.addAll(cluster.driverSettings());
      assertEquals(0, Kaoping.commandLine().execute(onCluster.toArray(String[]::new)));
    }
    try (Stream<Path> logs = Files.walk(dir.resolve("spark").resolve("work"))) {
      assertTrue(logs.anyMatch(p -> p.getFileName().toString().equals("stderr")), "executors ran on the worker");
    }
    Map<String, List<String>> cluster = marts();
    assertEquals(local.keySet(), cluster.keySet());
    for (String table : local.keySet()) {
      assertEquals(local.get(table), cluster.get(table), table + ": the cluster's build equals local[2]'s");
    }
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
