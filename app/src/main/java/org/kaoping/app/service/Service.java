package org.kaoping.app.service;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.spark.sql.SparkSession;
import org.kaoping.app.KaopingConfig;
import org.kaoping.app.Pipeline;
import org.kaoping.app.Serving;
import org.kaoping.delivery.feed.FeedDelivery;
import org.kaoping.delivery.feed.FeedSettings;
import org.kaoping.dashboards.report.ReportGenerator;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.ingestion.SourceConnection;
import org.kaoping.jobs.SparkSessions;
import org.kaoping.jobs.WarehouseBuild;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

/**
 * The always-on service: continuous capture of every source, a build and publish whenever new changes
 * were captured (starting at most once every {@code service.build-interval-seconds}), and the control API. Start it with
 * {@link #start}, stop it with {@link #close} (graceful: no new runs, the batch in hand committed,
 * runs in progress finished or recorded failed).
 */
public final class Service implements AutoCloseable {
  /** How long a stop waits for runs in progress (a build) before recording them failed. */
  static final long STOP_WAIT_SECONDS = 600;
  /** Pause after a failed scheduled build before the next try. */
  static final long FAILED_BUILD_PAUSE_SECONDS = 60;
  /** How often the schedule looks for newly committed changes. */
  private static final long SCHEDULE_TICK_MILLIS = 1000;

  private final KaopingConfig config;
  private final ServiceSettings settings;
  private final Consumer<String> say;
  private final EmbeddedSourceServer ownServer;
  private final EmbeddedSourceServer server;
  private final WarehouseLock ingestLock;
  private final WarehouseCatalog warehouse;
  private final ContinuousCapture capture;
  private final Runs runs;
  private final ControlApi api;
  private final Thread scheduler;
  private SparkSession spark;
  private volatile boolean closed;

  private Service(KaopingConfig config, ServiceSettings settings, EmbeddedSourceServer given, Consumer<String> say) throws Exception {
    this.config = config;
    this.settings = settings;
    this.say = say;
    boolean needsServer = !config.sourcesConfigured() && !config.sourceNames().isEmpty() || config.servingJdbcUrl() == null;
    this.ownServer = given == null && needsServer ? EmbeddedSourceServer.start(config.home().resolve("sources")) : null;
    this.server = given != null ? given : ownServer;
    try {
      // the service's capture is the ingest run: no 'kaoping ingest' may write the raw layer beside it
      this.ingestLock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.INGEST, "kaoping serve");
      this.warehouse = new Pipeline(config, say).openWarehouse();
      List<SourceConnection> sources = new ArrayList<>();
      if (!config.sourcesConfigured() && !config.sourceNames().isEmpty()) {
        server.ensureSourceSchemas();
        say.accept("Capturing the embedded demo sources on port " + server.port());
      }
      for (String name : config.sourceNames()) {
        sources.add(config.sourcesConfigured() ? config.source(name, null, null) : config.source(name, "127.0.0.1", server.port()));
      }
      this.capture = new ContinuousCapture(warehouse, sources, config.initialLoad(), say);
      Map<RunKind, Runs.Job> jobs = new EnumMap<>(RunKind.class);
      jobs.put(RunKind.INGEST, (r, p) -> Map.of("reached", capture.awaitCaughtUp(this::stopping, p)));
      jobs.put(RunKind.BUILD, this::build);
      jobs.put(RunKind.PUBLISH, this::publish);
      jobs.put(RunKind.FEED, this::feed);
      jobs.put(RunKind.REPORT, this::report);
      this.runs = new Runs(RunStore.open(config.home().resolve("service")), jobs, say);
      this.api = new ControlApi(settings, runs, new ServiceStatus(runs.store(), capture, this::stopping));
      api.start();
      this.scheduler = new Thread(this::schedule, "build-schedule");
      scheduler.setDaemon(true);
      if (settings.buildIntervalSeconds() > 0) {
        scheduler.start();
      }
    } catch (Exception | Error e) {
      closeQuietly();
      throw e;
    }
  }

  /**
   * Starts the service: the embedded PostgreSQL of {@code <home>/sources} unless {@code server} is
   * given or real sources and serving database are configured, the capture, the schedule and the API.
   *
   * @throws WarehouseLock.Busy when another run holds the ingest lock (a 'kaoping ingest' or another service)
   */
  public static Service start(KaopingConfig config, ServiceSettings settings, EmbeddedSourceServer server,
      Consumer<String> say) throws Exception {
    return new Service(config, settings, server, say);
  }

  /** The port the API listens on (useful with port 0). */
  public int port() {
    return api.port();
  }

  /** The routes the control API registers. */
  List<ControlApi.Route> routes() {
    return api.routes();
  }

  public Runs runs() {
    return runs;
  }

  private boolean stopping() {
    return closed || runs.stopping();
  }


  /**
   * Builds then publishes as soon as the capture committed changes not yet built, at most one build start per
   * interval: a change waiting behind a build starts the next one when that publish ends, not an interval later.
   */
  private void schedule() {
    long builtUpTo = 0;
    long lastStart = System.nanoTime() - settings.buildIntervalSeconds() * 1_000_000_000L;
    while (!stopping()) {
      try {
        Thread.sleep(SCHEDULE_TICK_MILLIS);
        long events = capture.eventsCommitted();
        if (events <= builtUpTo || stopping()
            || System.nanoTime() - lastStart < settings.buildIntervalSeconds() * 1_000_000_000L) {
          continue;
        }
        lastStart = System.nanoTime();
        Run build = runs.submit(RunRequest.of(RunKind.BUILD));
        if (await(build) == Run.State.SUCCEEDED) {
          builtUpTo = events;
          await(runs.submit(RunRequest.of(RunKind.PUBLISH)));
        } else {
          say.accept("scheduled build " + build.id() + " failed (" + build.error() + "); trying again in "
              + FAILED_BUILD_PAUSE_SECONDS + " s");
          Thread.sleep(FAILED_BUILD_PAUSE_SECONDS * 1000L); // a failing build must not run back to back
        }
      } catch (Runs.InProgress e) {
        // an API run of the same kind is at it; the next tick looks again
      } catch (Runs.Stopping | InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        say.accept("scheduled build: " + e.getMessage());
      }
    }
  }

  private static Run.State await(Run run) throws InterruptedException {
    while (run.state() == Run.State.RUNNING) {
      Thread.sleep(200);
    }
    return run.state();
  }

  private Map<String, Object> build(RunRequest request, Consumer<String> progress) throws Exception {
    try (WarehouseLock lock = awaitLock(WarehouseLock.Kind.BUILD, "kaoping serve: build", progress)) {
      long started = System.currentTimeMillis();
      WarehouseBuild.Result r = new Pipeline(config, progress).build(spark(), warehouse, request.full());
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("buildId", r.buildId());
      result.put("asOfDate", String.valueOf(r.asOfDate()));
      result.put("rejectedRows", r.rejectedRows());
      result.put("periods", request.period() == null ? "every period whose inputs changed" + (request.full() ? " (full: all)" : "")
          : "builds have no single-period mode: every period whose inputs changed was refreshed, " + request.period() + " among them if it changed");
      result.put("seconds", (System.currentTimeMillis() - started) / 1000.0);
      return result;
    }
  }

  private Map<String, Object> publish(RunRequest request, Consumer<String> progress) throws Exception {
    try (WarehouseLock lock = awaitLock(WarehouseLock.Kind.BUILD, "kaoping serve: publish", progress)) {
      ServingPublisher.Target target = servingTarget();
      ServingPublisher.connect(target).close(); // a refusing database fails the run before Spark work
      ServingPublisher.Result r = new Pipeline(config, progress).publish(spark(), warehouse, target, request.full());
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("publicationId", r.publicationId());
      result.put("published", r.published());
      result.put("rowsWritten", r.rowsWritten());
      result.put("partitionsWritten", r.partitionsWritten());
      result.put("summary", r.summary());
      return result;
    }
  }

  /** The PDF reports of a period (default: the latest complete quarter) into {@code <home>/reports/<period>}. */
  private Map<String, Object> report(RunRequest request, Consumer<String> progress) throws Exception {
    ReportGenerator.ServingConnection reader = Serving.reportReader(servingTarget());
    String period = request.period() != null ? request.period()
        : ReportGenerator.latestComplete(reader, "QUARTER").orElseThrow(() -> new IllegalStateException(
            "no quarter is complete in the serving database yet: give a \"period\""));
    Optional<Long> unit;
    try {
      unit = Optional.ofNullable(request.unit()).map(Long::valueOf);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"unit\" must be a unit id (a number), was '" + request.unit() + "'");
    }
    Path dir = config.home().resolve("reports").resolve(period);
    List<Path> files = ReportGenerator.generate(reader, period, unit, dir, config.reportFont(), progress);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("period", period);
    result.put("folder", dir.toString());
    result.put("files", files.stream().map(f -> f.getFileName().toString()).toList());
    return result;
  }

  private ServingPublisher.Target servingTarget() throws java.sql.SQLException {
    return config.servingJdbcUrl() != null ? Serving.configured(config) : Serving.embedded(config, server);
  }

  private Map<String, Object> feed(RunRequest request, Consumer<String> progress) throws Exception {
    FeedSettings feed = config.feedSettings();
    if (feed.targetUrl() == null && server != null && !config.sourcesConfigured()) {
      feed = feed.withTarget(server.ensureFeedDatabase(), EmbeddedSourceServer.USER, null); // the demo's cadre database
    }
    try (WarehouseLock lock = awaitLock(WarehouseLock.Kind.FEED, "kaoping serve: feed", progress)) {
      FeedDelivery.Summary s = FeedDelivery.deliver(warehouse, feed, null,
          request.period() == null ? List.of() : List.of(request.period()), request.provisional(), progress);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("publicationId", s.publicationId());
      result.put("newVersions", s.created());
      result.put("periods", s.periods().stream().map(p -> Map.of("period", p.period(), "version", p.version(),
          "created", p.created(), "where", String.valueOf(p.where()))).toList());
      return result;
    }
  }

  /** Takes a warehouse lock, waiting (and saying who holds it) while another run has it; gives up when the service stops. */
  private WarehouseLock awaitLock(WarehouseLock.Kind kind, String command, Consumer<String> progress) throws InterruptedException {
    String said = null;
    while (true) {
      try {
        return WarehouseLock.acquire(config.home(), kind, command);
      } catch (WarehouseLock.Busy e) {
        if (!e.getMessage().equals(said)) {
          progress.accept("waiting: " + e.getMessage());
          said = e.getMessage();
        }
      }
      if (stopping()) {
        throw new InterruptedException("the service stopped while the run waited for the " + kind.name().toLowerCase() + " lock");
      }
      Thread.sleep(500);
    }
  }

  /**
   * One Spark session for the service's builds and publications (they never overlap: both hold the build
   * lock), without the Iceberg catalog's table cache: a long-lived session must see every commit the
   * capture makes, or a build reads a snapshot id its cached table does not know.
   */
  private synchronized SparkSession spark() {
    if (spark == null) {
      Map<String, String> catalog = new LinkedHashMap<>(config.catalogProperties());
      catalog.put("cache-enabled", "false");
      spark = SparkSessions.create(config.sparkMaster(), catalog, config.sparkConf());
    }
    return spark;
  }

  /** Stops gracefully: no new runs, the capture's batch in hand committed, runs in progress finished or recorded failed. */
  @Override
  public void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    say.accept("Stopping: no new runs; the capture commits its batch in hand; runs in progress finish");
    scheduler.interrupt();
    runs.stop(STOP_WAIT_SECONDS);
    closeQuietly();
    say.accept("Stopped at " + Instant.now());
  }

  private void closeQuietly() {
    if (api != null) {
      api.close();
    }
    if (capture != null) {
      capture.close();
    }
    synchronized (this) {
      if (spark != null) {
        spark.stop();
        spark = null;
      }
    }
    if (warehouse != null) {
      try {
        warehouse.close();
      } catch (Exception e) {
        // closing on the way out: nothing left to protect
      }
    }
    if (ingestLock != null) {
      ingestLock.close();
    }
    if (ownServer != null) {
      ownServer.close();
    }
  }
}
