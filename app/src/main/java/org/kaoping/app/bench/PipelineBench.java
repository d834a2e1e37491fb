package org.kaoping.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;
import org.kaoping.app.CaptureSettings;
import org.kaoping.app.EmbeddedServing;
import org.kaoping.app.Pipeline;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.demo.CopyLoader;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.ingestion.CaptureRunner;
import org.kaoping.ingestion.SourceConnection;
import org.kaoping.jobs.WarehouseBuild;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * The pipeline benchmark: one run on one machine, each step beside a peer measured in the same run (Debezium's own
 * snapshot and engine, DuckDB over the same Iceberg snapshot), with its seconds, rate, peak heap and peak resident
 * memory. The figures go to standard output and to {@code bench-results.md} in the benchmark's home.
 */
public final class PipelineBench {
  private static final Pattern TABLE_SECONDS = Pattern.compile("^((?:staging|mart)\\.[a-z_]+): .*\\(([0-9.]+) s\\)$");
  private static final long PEER_TIMEOUT_SECONDS = 6 * 3600;

  /** What to run: the world's scale, where, and how many working days the streaming and incremental steps add. */
  public record Plan(int units, long seed, int streamDays, int incrementalDays) {}

  private final KaopingConfig config;
  private final Plan plan;
  private final PrintStream out;
  private final StepMeter meter = new StepMeter(this::measured);
  private final Map<String, Double> buildTableSeconds = new LinkedHashMap<>();

  public PipelineBench(KaopingConfig config, Plan plan, PrintStream out) {
    this.config = config;
    this.plan = plan;
    this.out = out;
  }

  /** Runs every step in order; returns the report's path. */
  public Path run() throws Exception {
    Path home = config.home();
    long started = System.nanoTime();
    WorkingCalendar calendar = config.calendar();
    DemoScale scale = new DemoScale(plan.seed(), plan.units(), DemoScale.DEFAULT_YEAR);
    LocalDate yearStart = LocalDate.of(scale.year(), 1, 1);
    LocalDateTime end = LocalDate.of(scale.year(), 12, 15).atTime(20, 0);
    List<LocalDate> workingDays = calendar.workingDays(yearStart, end.toLocalDate());
    int later = plan.streamDays() + plan.incrementalDays();
    if (later >= workingDays.size()) {
      throw new IllegalArgumentException("--stream-days " + plan.streamDays() + " leaves no history before the year's end");
    }
    LocalDateTime historyEnd = workingDays.get(workingDays.size() - 1 - later).atTime(20, 0);
    LocalDateTime streamEnd = workingDays.get(workingDays.size() - 1 - plan.incrementalDays()).atTime(20, 0);
    Pipeline pipeline = new Pipeline(config, line -> out.println("      " + line));
    try (EmbeddedSourceServer server = EmbeddedSourceServer.start(home.resolve("sources"));
         EmbeddedServing serving = EmbeddedServing.start(config);
         WarehouseCatalog warehouse = pipeline.openWarehouse()) {
      server.ensureSourceSchemas();
      List<SourceConnection> sources = new ArrayList<>();
      for (String name : config.sourceNames()) {
        sources.add(CaptureSettings.source(config, name, "127.0.0.1", server.port()));
      }
      step("generate", "the source systems' history up to " + historyEnd.toLocalDate());
      meter.measure("generate", () -> {
        CopyLoader.Result r = CopyLoader.load(server, WorldGenerator.of(scale, calendar), historyEnd,
            line -> out.println("      " + line));
        return new StepMeter.Outcome<>(r, r.totalRows(), "rows", String.format(java.util.Locale.ROOT,
            "COPY %.1f s, keys and indexes rebuilt %.1f s", r.loadSeconds(), r.restoreSeconds()));
      });
      // the later steps' changes, from the same world generated again unit by unit (bounded memory at any scale)
      WorldGenerator loader = WorldGenerator.of(scale, calendar);

      step("initial load", "Kaoping's capture of the existing rows");
      meter.measure("initial load", () -> {
        pipeline.ingest(warehouse, "127.0.0.1", server.port(), CaptureRunner.Mode.CATCH_UP);
        return StepMeter.Outcome.of(null, rawRows(warehouse, null), "rows");
      });
      step("debezium snapshot", "Debezium's own snapshot of the same tables, to a consumer that does nothing");
      meter.measure("debezium snapshot", () -> StepMeter.Outcome.of(null,
          peers(sources, DebeziumPeer.Mode.SNAPSHOT, rawRowsBySource(warehouse)), "rows"));

      step("streaming", plan.streamDays() + " working days of changes, captured from the WAL");
      for (SourceConnection source : sources) {
        DebeziumPeer.createStreamSlot(source);
      }
      Map<String, Long> before = rawRowsBySource(warehouse);
      advance(server, loader, historyEnd, streamEnd);
      meter.measure("streaming", () -> {
        pipeline.ingest(warehouse, "127.0.0.1", server.port(), CaptureRunner.Mode.CATCH_UP);
        return StepMeter.Outcome.of(null, rawRows(warehouse, null) - sum(before), "events");
      });
      Map<String, Long> streamed = new LinkedHashMap<>();
      rawRowsBySource(warehouse).forEach((source, rows) -> streamed.put(source, rows - before.getOrDefault(source, 0L)));
      step("debezium streaming", "Debezium's engine over the same changes, to a consumer that does nothing");
      meter.measure("debezium streaming", () -> StepMeter.Outcome.of(null,
          peers(sources, DebeziumPeer.Mode.STREAM, streamed), "events"));

      try (SparkSession spark = pipeline.spark()) {
        step("full build", "staging and marts from the whole raw history");
        WarehouseBuild.Result full = meter.measure("full build", () -> {
          WarehouseBuild.Result r = build(spark, warehouse, true);
          return StepMeter.Outcome.of(r, r.rows().values().stream().mapToLong(Long::longValue).sum(), "rows");
        });
        step("duckdb", "DuckDB: the headline metrics per person, section and unit and month from the same snapshots");
        DuckDbHeadline.Result duck = meter.measure("duckdb", () -> {
          DuckDbHeadline.Result r = DuckDbHeadline.run(warehouse, config.metricSettings(), full.asOfDate());
          return new StepMeter.Outcome<>(r, r.rows(), "rows", r.differences().isEmpty()
              ? "equal to mart.metrics_by_period" : "DIFFERS: " + String.join("; ", r.differences()));
        });
        ServingPublisher.Target target = serving.target();
        step("full publish", "every published table to the serving database");
        meter.measure("full publish", () -> {
          ServingPublisher.Result r = pipeline.publish(spark, warehouse, target, true);
          return new StepMeter.Outcome<>(r, r.rowsWritten(), "rows", partitions(r));
        });

        step("one-day capture", plan.incrementalDays() + " working day(s) of new activity");
        meter.measure("one-day capture", () -> {
          long rows = advance(server, loader, streamEnd, end);
          pipeline.ingest(warehouse, "127.0.0.1", server.port(), CaptureRunner.Mode.CATCH_UP);
          return StepMeter.Outcome.of(null, rows, "rows");
        });
        step("one-day build", "the incremental build after that day");
        meter.measure("one-day build", () -> {
          WarehouseBuild.Result r = build(spark, warehouse, false);
          return StepMeter.Outcome.of(r, -1, "");
        });
        step("one-day publish", "the incremental publish after that build");
        meter.measure("one-day publish", () -> {
          ServingPublisher.Result r = pipeline.publish(spark, warehouse, target, false);
          return new StepMeter.Outcome<>(r, r.rowsWritten(), "rows", partitions(r));
        });
        if (!duck.differences().isEmpty()) {
          out.println("WARNING: DuckDB's headline metrics differ from the marts: " + duck.differences());
        }
      }
    }
    double total = (System.nanoTime() - started) / 1e9;
    String report = new BenchReport(plan, meter.figures(), buildTableSeconds, total).markdown();
    out.println();
    out.println(report);
    Path file = home.resolve("bench-results.md");
    Files.writeString(file, report);
    return file;
  }

  private void step(String name, String what) {
    out.println("[" + name + "] " + what);
  }

  /** A step's figure, printed and kept in {@code bench-steps.md} of the home as soon as it is measured. */
  private void measured(StepMeter.Figure f) {
    String line = BenchReport.row(f);
    out.println("[" + f.step() + "] measured: " + line);
    try {
      Files.writeString(config.home().resolve("bench-steps.md"), line + System.lineSeparator(),
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      out.println("WARNING: cannot keep the step's figure in bench-steps.md: " + e.getMessage());
    }
  }

  private WarehouseBuild.Result build(SparkSession spark, WarehouseCatalog warehouse, boolean full) {
    return new WarehouseBuild(spark, warehouse, config.metricSettings(), config.calendar(), config.scoringScheme(),
        config.columnMaps()).run(line -> {
          out.println("      " + line);
          Matcher m = TABLE_SECONDS.matcher(line);
          if (m.matches()) {
            buildTableSeconds.put(m.group(1) + (full ? "" : " (one day)"), Double.parseDouble(m.group(2)));
          }
        }, full);
  }

  private static long advance(EmbeddedSourceServer server, WorldGenerator world, LocalDateTime from, LocalDateTime to)
      throws Exception {
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      return SourceLoader.advanceUnitByUnit(world, from, to, w, a).values().stream().mapToLong(Integer::longValue).sum();
    }
  }

  /** The Debezium peer on every source at once (as Kaoping captures them), each until it delivered its rows. */
  private static long peers(List<SourceConnection> sources, DebeziumPeer.Mode mode, Map<String, Long> expected)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(sources.size());
    try {
      List<Future<Long>> running = new ArrayList<>();
      for (SourceConnection source : sources) {
        long rows = expected.getOrDefault(source.name(), 0L);
        running.add(pool.submit(() -> DebeziumPeer.run(source, mode, rows, PEER_TIMEOUT_SECONDS)));
      }
      long delivered = 0;
      for (Future<Long> f : running) {
        delivered += f.get();
      }
      return delivered;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A publish's note: partitions written, and how many of them had their checksum computed. */
  private static String partitions(ServingPublisher.Result r) {
    return r.partitionsWritten() + " partitions written, " + r.checksummed().values().stream().mapToInt(java.util.Set::size).sum()
        + " checksummed";
  }

  private static long sum(Map<String, Long> rows) {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Raw events per source (raw tables are named {@code <source>_<table>}), heartbeats left out. */
  private Map<String, Long> rawRowsBySource(WarehouseCatalog warehouse) {
    Map<String, Long> bySource = new LinkedHashMap<>();
    for (String source : config.sourceNames()) {
      bySource.put(source, rawRows(warehouse, source));
    }
    return bySource;
  }

  private static long rawRows(WarehouseCatalog warehouse, String source) {
    long rows = 0;
    for (TableIdentifier id : warehouse.catalog().listTables(Namespace.of("raw"))) {
      String name = id.name();
      if ((source != null && !name.startsWith(source + "_")) || name.endsWith(SourceConnection.HEARTBEAT_TABLE)) {
        continue;
      }
      Snapshot snapshot = warehouse.catalog().loadTable(id).currentSnapshot();
      if (snapshot != null) {
        rows += Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
      }
    }
    return rows;
  }

  /** Marks a benchmark's own home, so a later run may delete it and nothing else. */
  private static final String MARKER = ".kaoping-bench";

  /** Starts a benchmark home afresh: a new or empty directory, or one an earlier benchmark run marked as its own. */
  public static void prepare(Path home) throws IOException {
    if (Files.isDirectory(home)) {
      boolean empty;
      try (Stream<Path> entries = Files.list(home)) {
        empty = entries.findAny().isEmpty();
      }
      if (!empty && !Files.exists(home.resolve(MARKER))) {
        throw new IllegalStateException(home + " holds something other than a benchmark run: give a new or empty --home");
      }
      try (Stream<Path> all = Files.walk(home)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(home);
    Files.writeString(home.resolve(MARKER), "a kaoping bench run; the next run deletes this directory\n");
  }
}
