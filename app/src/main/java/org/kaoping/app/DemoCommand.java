package org.kaoping.app;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.feed.FeedDelivery;
import org.kaoping.delivery.feed.FeedSettings;
import org.kaoping.delivery.reminder.ReminderDelivery;
import org.kaoping.delivery.reminder.ReminderSettings;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.EmbeddedSourceServer.LoadedState;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.World;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.ingestion.CaptureRunner;
import org.kaoping.ingestion.SourceConnection;
import org.kaoping.jobs.WarehouseBuild;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;
import org.kaoping.warehouse.WorkingCalendar;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Run the whole pipeline on one machine with generated data.",
        "Steps:",
        "  1. start an embedded PostgreSQL holding the work-log and approval systems (in <home>/sources),",
        "  2. generate a year of organisation, work logs, reviews and approval cases (deterministic in --seed),",
        "  3. capture both systems with Debezium into Iceberg (snapshot first, then the year's changes streamed),",
        "  4. build staging and marts with Spark, print the latest quarter's unit ranking, reconcile the sources with the",
        "     warehouse (recorded in ops.reconciliation) and publish the marts",
        "     to the serving database (database 'serving' of an embedded PostgreSQL of its own, in <home>/serving-db),",
        "  5. deliver the cadre-management feed for the latest complete quarter (database 'cadre' and <home>/feed),",
        "     the reminders reached, each once (the same database and <home>/reminders),",
        "     and write its evaluation reports, one PDF per unit and the city-wide summary (<home>/reports/<quarter>).",
        "A second run continues: it adds the next --advance-days working days of activity, captures only the",
        "new changes (no re-snapshot) and refreshes the marts."})
final class DemoCommand implements Callable<Integer> {
  /** The first run loads the year up to this day (evening); later runs advance from there. */
  static final int FIRST_RUN_MONTH = 12;
  static final int FIRST_RUN_DAY = 15;

  @Mixin ConfigOptions options;

  @Option(names = "--units", description = "Number of units to generate (default: ${DEFAULT-VALUE}).")
  int units = DemoScale.DEFAULT_UNITS;

  @Option(names = "--seed", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed = DemoScale.DEFAULT_SEED;

  @Option(names = "--advance-days", description = "Working days of new activity a repeated run adds (default: ${DEFAULT-VALUE}).")
  int advanceDays = 3;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    PrintStream out = System.out;
    long started = System.currentTimeMillis();
    Pipeline pipeline = new Pipeline(config, line -> out.println("      " + line));
    WorkingCalendar calendar = config.calendar();
    Path sourcesDir = config.home().resolve("sources");
    out.println("[1/5] Starting the embedded PostgreSQL source systems in " + sourcesDir + " and the serving database's"
        + " server in " + EmbeddedServing.dataDirectory(config));
    org.kaoping.delivery.serving.ServingPublisher.Target servingTarget;
    try (WarehouseLock ingestLock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.INGEST, "kaoping demo");
         WarehouseLock buildLock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.BUILD, "kaoping demo");
         EmbeddedSourceServer server = EmbeddedSourceServer.start(sourcesDir);
         EmbeddedServing servingServer = EmbeddedServing.start(config);
         WarehouseCatalog warehouse = pipeline.openWarehouse()) {
      server.ensureSourceSchemas();
      if (server.dropDatabaseIfPresent(Serving.EMBEDDED_DATABASE)) {
        out.println("      the serving database has a server of its own now (" + EmbeddedServing.dataDirectory(config)
            + "): dropped its old copy from the sources' server; the next publish writes every table");
      }
      LoadedState state = server.loadedState();
      DemoScale scale = state != null ? state.scale() : new DemoScale(seed, units, DemoScale.DEFAULT_YEAR);
      if (state != null && (state.scale().seed() != seed || state.scale().units() != units)) {
        out.println("      this home was generated with --units " + state.scale().units() + " --seed " + state.scale().seed()
            + "; continuing that world (use another --home for a different one)");
      }
      out.println("[2/5] Generating the demo world (" + scale.units() + " units, seed " + scale.seed() + ", year " + scale.year() + ")");
      World world = WorldGenerator.generate(scale, calendar);
      out.println("      " + world.staff().size() + " people, " + world.logs().size() + " work logs, "
          + world.reviews().size() + " reviews, " + world.serviceCases().size() + " approval cases in the year");
      SourceLoader loader = new SourceLoader(world);
      String host = "127.0.0.1";
      int port = server.port();
      out.println("[3/5] Capturing changes with Debezium into the Iceberg raw layer");
      if (state == null) {
        LocalDateTime yearStart = LocalDate.of(scale.year(), 1, 1).atStartOfDay();
        advance(server, loader, null, yearStart, scale, out);
        out.println("      initial snapshot of the organisation (as of " + yearStart.toLocalDate() + ")");
        pipeline.ingest(warehouse, host, port, CaptureRunner.Mode.CATCH_UP);
        LocalDateTime target = LocalDate.of(scale.year(), FIRST_RUN_MONTH, FIRST_RUN_DAY).atTime(20, 0);
        LocalDateTime from = yearStart;
        for (LocalDateTime to = yearStart.plusMonths(1); from.isBefore(target); to = to.plusMonths(1)) {
          LocalDateTime step = to.isAfter(target) ? target : to;
          advance(server, loader, from, step, scale, out);
          from = step;
        }
      } else {
        LocalDateTime cap = LocalDate.of(scale.year() + 1, 1, 15).atTime(20, 0);
        LocalDateTime next = calendar.plusWorkingDays(state.asOf().toLocalDate(), Math.max(1, advanceDays)).atTime(20, 0);
        if (next.isAfter(cap)) {
          next = cap;
        }
        if (next.isAfter(state.asOf())) {
          advance(server, loader, state.asOf(), next, scale, out);
        } else {
          out.println("      the demo year is fully loaded; no new activity to add");
        }
      }
      out.println("      streaming the changes");
      pipeline.ingest(warehouse, host, port, CaptureRunner.Mode.CATCH_UP);

      out.println("[4/5] Building staging and marts with Spark (" + config.sparkMaster() + ")");
      try (SparkSession spark = pipeline.spark()) {
        WarehouseBuild.Result result = pipeline.build(spark, warehouse, false);
        LocalDate before = result.previousAsOfDate();
        out.println("[5/5] Results (data as of " + result.asOfDate()
            + (before == null ? "" : before.equals(result.asOfDate()) ? ", unchanged" : ", was " + before) + ")");
        pipeline.printRanking(spark, null, out);
        reconcile(config, warehouse, port, out);
        out.println("      publishing the marts to the serving database");
        servingTarget = servingServer.target();
        pipeline.publish(spark, warehouse, servingTarget, false);
      }
      List<String> feedPlaces = deliverFeed(config, server, warehouse, out);
      String reminderPlaces = deliverReminders(config, server, warehouse, out);
      Optional<Path> reports = writeReports(config, servingTarget, out);
      out.println();
      out.println("Warehouse: " + config.catalogProperties() + " — namespaces raw, current, staging, mart, ops.");
      out.println("Source databases: jdbc:postgresql://127.0.0.1:" + port + "/{worklog,approval} (user postgres) while running;"
          + " data in " + sourcesDir);
      out.println(Serving.howToConnect(servingTarget) + "; like the sources, it is up while a kaoping command runs"
          + " (production: serving.jdbc-url names a permanent PostgreSQL)");
      feedPlaces.forEach(where -> out.println("Cadre-management feed: " + where));
      out.println("Reminders (三级提醒): " + reminderPlaces);
      reports.ifPresent(dir -> out.println("Evaluation reports (PDF): " + dir));
      out.printf("Done in %.0f s. Run 'kaoping demo' again to add %d more working days of activity.%n",
          (System.currentTimeMillis() - started) / 1000.0, advanceDays);
    }
    return 0;
  }

  /** The demo's sources against the warehouse, recorded so the data-quality dashboard shows the status. */
  private static void reconcile(KaopingConfig config, WarehouseCatalog warehouse, int port, PrintStream out) throws Exception {
    List<SourceConnection> sources = new ArrayList<>();
    for (String name : config.sourceNames()) {
      sources.add(CaptureSettings.source(config, name, "127.0.0.1", port));
    }
    PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    writer.print("      ");
    ReconcileCommand.compareAndRecord(warehouse, sources, writer, false);
  }

  /** Delivers the latest complete quarter of the latest publication to the demo's `cadre` database and file drop. */
  private static List<String> deliverFeed(KaopingConfig config, EmbeddedSourceServer server, WarehouseCatalog warehouse,
      PrintStream out) throws Exception {
    Optional<String> quarter = FeedDelivery.latestCompletePeriod(warehouse, null, "QUARTER");
    if (quarter.isEmpty()) {
      out.println("      no complete quarter yet: the cadre-management feed waits for one (kaoping feed deliver --provisional)");
      return List.of();
    }
    FeedSettings settings = config.feedSettings();
    if (settings.targetUrl() == null) {
      settings = settings.withTarget(server.ensureFeedDatabase(), EmbeddedSourceServer.USER, null);
    }
    out.println("      delivering the cadre-management feed for " + quarter.get());
    try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.FEED, "kaoping demo")) {
      FeedDelivery.Summary summary = FeedDelivery.deliver(warehouse, settings, null, List.of(quarter.get()), false,
          line -> out.println("      " + line));
      return summary.periods().stream().map(r -> r.period() + " v" + r.version() + (r.created() ? "" : " (unchanged)")
          + " → " + r.where()).toList();
    }
  }

  /** Delivers the reminders reached up to the as-of date, each once, to the demo's `cadre` database and its file drop. */
  private static String deliverReminders(KaopingConfig config, EmbeddedSourceServer server, WarehouseCatalog warehouse,
      PrintStream out) throws Exception {
    ReminderSettings settings = config.reminderSettings();
    if (settings.targetUrl() == null) {
      settings = settings.withTarget(server.ensureFeedDatabase(), EmbeddedSourceServer.USER, null);
    }
    out.println("      delivering the reminders (bells, yellow and red cards) reached up to the as-of date");
    try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.REMIND, "kaoping demo")) {
      ReminderDelivery.deliver(warehouse, settings, line -> out.println("      " + line));
    }
    return ReminderDelivery.places(settings);
  }

  /** Writes the evaluation reports of the latest complete quarter into <home>/reports/<quarter>. */
  private static Optional<Path> writeReports(KaopingConfig config, org.kaoping.delivery.serving.ServingPublisher.Target serving,
      PrintStream out) throws Exception {
    Optional<String> quarter = org.kaoping.dashboards.report.ReportGenerator.latestComplete(Serving.reportReader(serving), "QUARTER");
    if (quarter.isEmpty()) {
      out.println("      no complete quarter yet: no evaluation reports (kaoping report --period <month or quarter> writes"
          + " provisional ones)");
      return Optional.empty();
    }
    out.println("      writing the evaluation reports for " + quarter.get());
    Path dir = ReportCommand.reports(config).resolve(quarter.get());
    ReportCommand.write(config, serving, quarter.get(), Optional.empty(), dir, out);
    return Optional.of(dir);
  }

  private static void advance(EmbeddedSourceServer server, SourceLoader loader, LocalDateTime from, LocalDateTime to,
      DemoScale scale, PrintStream out) throws Exception {
    Map<String, Integer> written;
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      written = loader.advance(from, to, w, a);
    }
    server.recordLoadedState(new LoadedState(to, scale));
    int total = written.values().stream().mapToInt(Integer::intValue).sum();
    out.println("      source systems advanced to " + to + ": " + total + " rows inserted or updated ("
        + written.getOrDefault("work_log", 0) + " work logs, " + written.getOrDefault("log_review", 0) + " reviews)");
  }
}
