package org.kaoping.app.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.kaoping.app.CaptureSettings;
import org.kaoping.app.EmbeddedServing;
import org.kaoping.app.Pipeline;
import org.kaoping.app.Serving;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.ServiceSettings;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.ingestion.SourceConnection;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

/**
 * The always-on service: continuous capture of every source, a build and publish whenever new changes
 * were captured (starting at most once every {@code service.build-interval-seconds}, {@link BuildSchedule}), and the
 * control API. Each kind of run is a {@link RunJob} of its own. Start it with {@link #start}, stop it with
 * {@link #close} (graceful: no new runs, the batch in hand committed, runs in progress finished or recorded failed).
 */
public final class Service implements AutoCloseable {
  /** How long a stop waits for runs in progress (a build) before recording them failed. */
  static final long STOP_WAIT_SECONDS = 600;

  private final Consumer<String> say;
  private final EmbeddedSourceServer ownServer;
  private final EmbeddedServing ownServing;
  private final WarehouseLock ingestLock;
  private final WarehouseCatalog warehouse;
  private final ServiceSpark spark;
  private final ContinuousCapture capture;
  private final Runs runs;
  private final ControlApi api;
  private final BuildSchedule schedule;
  private volatile boolean closed;

  private Service(KaopingConfig config, ServiceSettings settings, EmbeddedSourceServer given, EmbeddedServing givenServing,
      Consumer<String> say) throws Exception {
    this.say = say;
    boolean needsServer = !config.sourcesConfigured() && !config.sourceNames().isEmpty();
    this.ownServer = given == null && needsServer ? EmbeddedSourceServer.start(config.home().resolve("sources")) : null;
    EmbeddedSourceServer server = given != null ? given : ownServer;
    this.spark = new ServiceSpark(config);
    try {
      this.ownServing = givenServing == null && config.servingJdbcUrl() == null ? EmbeddedServing.start(config) : null;
      ServingPublisher.Target serving = givenServing != null ? givenServing.target()
          : ownServing != null ? ownServing.target() : Serving.configured(config);
      // the service's capture is the ingest run: no 'kaoping ingest' may write the raw layer beside it
      this.ingestLock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.INGEST, "kaoping serve");
      this.warehouse = new Pipeline(config, say).openWarehouse();
      this.capture = new ContinuousCapture(warehouse, sources(config, server), CaptureSettings.initialLoad(config), say);
      RunContext context = new RunContext(config, warehouse, spark, server, serving, this::stopping);
      BuildRun build = new BuildRun(context);
      PublishRun publish = new PublishRun(context);
      this.runs = new Runs(RunStore.open(config.home().resolve("service")), List.of(new IngestRun(capture, this::stopping),
          build, publish, new BuildAndPublishRun(build, publish), new FeedRun(context), new ReportRun(context),
          new RemindRun(context)), say);
      RecordedState recorded = new RecordedState(warehouse, context.servingTarget());
      sayRecorded(recorded);
      this.api = new ControlApi(settings, runs, new ServiceStatus(runs.store(), capture, recorded, this::stopping));
      api.start();
      this.schedule = new BuildSchedule(runs, capture::eventsCommitted, settings.buildIntervalSeconds(), this::stopping, say);
      if (settings.buildIntervalSeconds() > 0) {
        schedule.start();
      }
    } catch (Exception | Error e) {
      closeQuietly();
      throw e;
    }
  }

  /** Says once what the service starts from: the last build recorded and the publication served. */
  private void sayRecorded(RecordedState recorded) {
    String build = recorded.lastBuild().map(b -> "last build " + b.buildId() + " (data as of " + b.asOf() + ")")
        .orElse("no build yet");
    String served;
    try {
      served = recorded.served().map(p -> "publication " + p.publicationId() + " (build " + p.buildId() + ")")
          .orElse("nothing published yet");
    } catch (ServingPublisher.ServingRefused e) {
      served = "refused: " + e.getMessage();
    }
    say.accept("Warehouse: " + build + "; serving database: " + served);
  }

  /** The configured sources, or the embedded demo's on {@code server}. */
  private List<SourceConnection> sources(KaopingConfig config, EmbeddedSourceServer server) throws SQLException {
    List<SourceConnection> sources = new ArrayList<>();
    if (!config.sourcesConfigured() && !config.sourceNames().isEmpty()) {
      server.ensureSourceSchemas();
      say.accept("Capturing the embedded demo sources on port " + server.port());
    }
    for (String name : config.sourceNames()) {
      sources.add(config.sourcesConfigured() ? CaptureSettings.source(config, name, null, null) : CaptureSettings.source(config, name, "127.0.0.1", server.port()));
    }
    return sources;
  }

  /**
   * Starts the service: the embedded PostgreSQL of {@code <home>/sources} unless {@code server} is given or real
   * sources are configured, that of {@code <home>/serving-db} unless a serving database is configured, the capture,
   * the schedule and the API.
   *
   * @throws WarehouseLock.Busy when another run holds the ingest lock (a 'kaoping ingest' or another service)
   */
  public static Service start(KaopingConfig config, ServiceSettings settings, EmbeddedSourceServer server,
      Consumer<String> say) throws Exception {
    return start(config, settings, server, null, say);
  }

  /** As {@link #start(KaopingConfig, ServiceSettings, EmbeddedSourceServer, Consumer)}, publishing to {@code serving} when given. */
  public static Service start(KaopingConfig config, ServiceSettings settings, EmbeddedSourceServer server,
      EmbeddedServing serving, Consumer<String> say) throws Exception {
    return new Service(config, settings, server, serving, say);
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

  /** Stops gracefully: no new runs, the capture's batch in hand committed, runs in progress finished or recorded failed. */
  @Override
  public void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    say.accept("Stopping: no new runs; the capture commits its batch in hand; runs in progress finish");
    schedule.close();
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
    spark.close();
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
    if (ownServing != null) {
      ownServing.close();
    }
    if (ownServer != null) {
      ownServer.close();
    }
  }
}
