package org.kaoping.app.service;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.kaoping.delivery.serving.PublicationLog.Publication;
import org.kaoping.delivery.serving.ServedPublication;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.jobs.BuildRuns;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * The last build as the warehouse records it ({@code ops.build_run}) and the publication the serving database serves,
 * read when asked: right from the service's first request, and after builds and publishes run outside the service.
 */
final class RecordedState {
  private final WarehouseCatalog warehouse;
  private final ServingPublisher.Target serving;
  private Long buildRunSnapshot;
  private Optional<BuildRuns.Recorded> lastBuild = Optional.empty();

  RecordedState(WarehouseCatalog warehouse, ServingPublisher.Target serving) {
    this.warehouse = warehouse;
    this.serving = serving;
  }

  /** The build that finished last; re-read only when ops.build_run has a new snapshot (status is polled). */
  synchronized Optional<BuildRuns.Recorded> lastBuild() {
    Long snapshot = warehouse.currentSnapshotId(BuildRuns.TABLE);
    if (!Objects.equals(snapshot, buildRunSnapshot)) {
      lastBuild = BuildRuns.lastRecorded(warehouse);
      buildRunSnapshot = snapshot;
    }
    return lastBuild;
  }

  /**
   * The publication being served; empty before the first.
   *
   * @throws ServingPublisher.ServingRefused when the serving database cannot be reached or refuses
   */
  Optional<Publication> served() {
    return ServedPublication.read(serving);
  }

  /** The status document's view of a recorded build. */
  static Map<String, Object> describe(BuildRuns.Recorded b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("buildId", b.buildId());
    m.put("startedAt", b.startedAt().toInstant().toString());
    m.put("finishedAt", b.finishedAt().toInstant().toString());
    m.put("durationSeconds", Duration.between(b.startedAt(), b.finishedAt()).toMillis() / 1000.0);
    m.put("asOfDate", String.valueOf(b.asOf()));
    m.put("refreshScope", b.refreshScope());
    return m;
  }

  /** The status document's view of a served publication. */
  static Map<String, Object> describe(Publication p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("publicationId", p.publicationId());
    m.put("buildId", p.buildId());
    m.put("publishedAt", p.publishedAt().toInstant().toString());
    m.put("asOfDate", String.valueOf(p.asOfDate()));
    m.put("schemeName", p.schemeName());
    m.put("refreshed", p.refreshed());
    return m;
  }
}
