package org.kaoping.app;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.kaoping.jobs.publish.PublicationLog;
import org.kaoping.jobs.publish.PublicationLog.Publication;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.SnapshotTags;
import org.kaoping.warehouse.WarehouseCatalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * TEST STAND-IN for {@code kaoping publish} (built on another branch): records a publication of the
 * latest build's score tables the way publish will, i.e. their current snapshot ids, tagged
 * {@code kaoping-publication-<id>} so expiry keeps them, appended to {@code ops.publication}.
 */
final class TestPublications {
  static final List<String> SCORE_TABLES = List.of("mart.unit_score_inputs", "mart.person_score_inputs",
      "mart.unit_score_by_period", "mart.person_score_by_period", "mart.score_indicator_points");

  private TestPublications() {}

  static long recordLikePublish(Path home, ScoringScheme scheme) throws Exception {
    try (WarehouseCatalog w = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse",
        home.resolve("warehouse").toString()))) {
      Record build = TestTables.readAll(w, "ops", "build_run").stream()
          .max(Comparator.comparing(r -> r.getField("finished_at").toString())).orElseThrow();
      Map<String, Long> raw = new ObjectMapper().readValue((String) build.getField("raw_snapshots"),
          new TypeReference<LinkedHashMap<String, Long>>() {});
      Map<String, Long> snapshots = new LinkedHashMap<>();
      Map<TableIdentifier, Long> tagged = new LinkedHashMap<>();
      for (String t : SCORE_TABLES) {
        long id = w.load(TableIdentifier.parse(t)).currentSnapshot().snapshotId();
        snapshots.put(t, id);
        tagged.put(TableIdentifier.parse(t), id);
      }
      PublicationLog log = PublicationLog.open(w);
      long id = log.nextId();
      SnapshotTags.tag(w, "kaoping-publication-" + id, tagged);
      log.append(new Publication(id, (String) build.getField("build_id"), OffsetDateTime.now(ZoneOffset.UTC),
          (LocalDate) build.getField("as_of_date"), scheme.name(), scheme.version(), scheme.yaml(), snapshots, raw,
          Map.of(), Map.of(), "test stand-in for kaoping publish"));
      return id;
    }
  }
}
