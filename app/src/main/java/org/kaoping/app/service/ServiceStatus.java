package org.kaoping.app.service;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.kaoping.delivery.serving.PublicationLog.Publication;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.jobs.BuildRuns;

/**
 * What {@code /api/status} and {@code /metrics} show: ingestion per source, the last build and the publication served
 * (as the warehouse and the serving database record them), the service's own latest runs.
 */
final class ServiceStatus {
  private final RunStore store;
  private final ContinuousCapture capture;
  private final RecordedState recorded;
  private final BooleanSupplier stopping;

  ServiceStatus(RunStore store, ContinuousCapture capture, RecordedState recorded, BooleanSupplier stopping) {
    this.store = store;
    this.capture = capture;
    this.recorded = recorded;
    this.stopping = stopping;
  }

  boolean serving() {
    return !stopping.getAsBoolean();
  }

  /** The status document. */
  Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("serving", serving());
    Map<String, Object> sources = new LinkedHashMap<>();
    for (ContinuousCapture.SourceStatus s : capture.status()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("running", s.running());
      m.put("lagSeconds", s.lagSeconds());
      m.put("lagBytes", s.lagBytes());
      m.put("eventsPerSecond", s.eventsPerSecond());
      m.put("eventsCommitted", s.eventsCommitted());
      m.put("lastCheckpointAt", s.lastCheckpointAt() == null ? null : s.lastCheckpointAt().toString());
      m.put("lastCheckpointBatch", s.lastCheckpointBatch());
      m.put("committedLsn", s.committedLsn());
      m.put("retainedWalBytes", s.retainedWalBytes());
      m.put("error", s.error());
      sources.put(s.source(), m);
    }
    doc.put("ingestion", sources);
    doc.put("lastBuild", recorded.lastBuild().map(RecordedState::describe).orElse(null));
    try {
      doc.put("lastPublication", recorded.served().map(RecordedState::describe).orElse(null));
    } catch (ServingPublisher.ServingRefused e) {
      doc.put("lastPublication", null);
      doc.put("servingError", e.getMessage());
    }
    doc.put("lastBuildRun", last(RunKind.BUILD));
    doc.put("lastPublishRun", last(RunKind.PUBLISH));
    doc.put("lastBuildAndPublishRun", last(RunKind.BUILD_AND_PUBLISH));
    doc.put("running", store.list(null, Run.State.RUNNING, 100).stream().map(Run::id).toList());
    return doc;
  }

  private Map<String, Object> last(RunKind kind) {
    Run r = store.list(kind, null, 1).stream().findFirst().orElse(null);
    return r == null ? null : r.toMap();
  }

  /** Prometheus text exposition (format 0.0.4). */
  String prometheus() {
    StringBuilder b = new StringBuilder();
    header(b, "kaoping_up", "gauge", "1 while the service accepts runs, 0 while it stops");
    b.append("kaoping_up ").append(serving() ? 1 : 0).append('\n');
    var sources = capture.status();
    header(b, "kaoping_ingest_running", "gauge", "1 while the source's Debezium engine runs without error");
    sources.forEach(s -> sample(b, "kaoping_ingest_running", s.source(), s.running() ? 1 : 0));
    header(b, "kaoping_ingest_lag_seconds", "gauge",
        "How long ago the source was at the oldest WAL position not yet committed in the warehouse (0: caught up; sampled every 5 s)");
    sources.forEach(s -> sample(b, "kaoping_ingest_lag_seconds", s.source(), s.lagSeconds()));
    header(b, "kaoping_ingest_lag_bytes", "gauge", "The source server's WAL insert position minus the committed position");
    sources.forEach(s -> sample(b, "kaoping_ingest_lag_bytes", s.source(), s.lagBytes()));
    header(b, "kaoping_ingest_events_per_second", "gauge", "Change events committed per second over the last sample");
    sources.forEach(s -> sample(b, "kaoping_ingest_events_per_second", s.source(), s.eventsPerSecond()));
    header(b, "kaoping_ingest_events_total", "counter", "Change events committed since the service started");
    sources.forEach(s -> sample(b, "kaoping_ingest_events_total", s.source(), s.eventsCommitted()));
    header(b, "kaoping_ingest_last_checkpoint_timestamp_seconds", "gauge", "When the source's latest checkpoint was committed");
    sources.stream().filter(s -> s.lastCheckpointAt() != null).forEach(s -> sample(b,
        "kaoping_ingest_last_checkpoint_timestamp_seconds", s.source(), s.lastCheckpointAt().toEpochMilli() / 1000.0));
    header(b, "kaoping_ingest_retained_wal_bytes", "gauge", "WAL the source's replication slot holds back (-1: no slot)");
    sources.forEach(s -> sample(b, "kaoping_ingest_retained_wal_bytes", s.source(), s.retainedWalBytes()));
    Optional<BuildRuns.Recorded> build = recorded.lastBuild();
    header(b, "kaoping_last_build_timestamp_seconds", "gauge", "When the last recorded build (ops.build_run) finished");
    header(b, "kaoping_last_build_duration_seconds", "gauge", "How long the last recorded build took");
    build.ifPresent(r -> {
      b.append("kaoping_last_build_timestamp_seconds ").append(r.finishedAt().toEpochSecond()).append('\n');
      b.append("kaoping_last_build_duration_seconds ").append(RecordedState.describe(r).get("durationSeconds")).append('\n');
    });
    Optional<Publication> served = servedOrEmpty();
    header(b, "kaoping_serving_publication", "gauge", "The publication the serving database serves (absent before the first)");
    served.ifPresent(p -> b.append("kaoping_serving_publication ").append(p.publicationId()).append('\n'));
    header(b, "kaoping_last_publication_timestamp_seconds", "gauge", "When the publication served was published");
    served.ifPresent(p -> b.append("kaoping_last_publication_timestamp_seconds ").append(p.publishedAt().toEpochSecond()).append('\n'));
    Run publish = store.latest(RunKind.PUBLISH, Run.State.SUCCEEDED);
    header(b, "kaoping_last_publication_duration_seconds", "gauge", "How long the service's last successful publish run took");
    if (publish != null) {
      b.append("kaoping_last_publication_duration_seconds ").append(publish.durationSeconds()).append('\n');
    }
    header(b, "kaoping_runs", "gauge", "Runs recorded, by kind and state");
    for (RunKind kind : RunKind.values()) {
      for (Run.State state : Run.State.values()) {
        b.append("kaoping_runs{kind=\"").append(kind.apiName()).append("\",state=\"")
            .append(state.name().toLowerCase(Locale.ROOT)).append("\"} ").append(store.list(kind, state, Integer.MAX_VALUE).size())
            .append('\n');
      }
    }
    return b.toString();
  }

  /** The served publication; empty also when the serving database refuses (the status document says why). */
  private Optional<Publication> servedOrEmpty() {
    try {
      return recorded.served();
    } catch (ServingPublisher.ServingRefused e) {
      return Optional.empty();
    }
  }

  private static void header(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder b, String name, String source, double value) {
    b.append(name).append("{source=\"").append(source).append("\"} ").append(value).append('\n');
  }
}
