package org.kaoping.delivery.feed;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.kaoping.delivery.feed.FeedTarget.FeedException;
import org.kaoping.delivery.serving.PublicationLog;
import org.kaoping.delivery.serving.PublicationLog.Publication;
import org.kaoping.warehouse.WarehouseCatalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Delivers the cadre-management feed from a publication to the file drop and, when configured, the JDBC
 * target. Each period is versioned per destination: unchanged content is a no-op, changed content a new
 * version with its reason; earlier versions stay. The target is checked before anything is written.
 */
public final class FeedDelivery {
  /** What happened to one period at one destination. */
  public record PeriodResult(String period, String destination, int version, boolean created, boolean provisional,
      int rows, String reason, String where) {}

  /** A delivery's outcome. */
  public record Summary(long publicationId, List<PeriodResult> periods) {
    /** New versions written. */
    public long created() {
      return periods.stream().filter(PeriodResult::created).count();
    }
  }

  private FeedDelivery() {}

  /**
   * Delivers {@code periods} (empty: every period of the configured types) from publication
   * {@code publicationId} (null: the latest). Incomplete periods only with {@code provisional}, marked.
   *
   * @throws FeedException when there is nothing to deliver from, the target is unreachable or refuses,
   *     or a requested period is not available; nothing is delivered then
   */
  public static Summary deliver(WarehouseCatalog warehouse, FeedSettings settings, Long publicationId, List<String> periods,
      boolean provisional, Consumer<String> progress) {
    Publication p = publication(warehouse, publicationId);
    List<FeedRow> all = FeedSource.read(warehouse, p);
    Map<String, List<FeedRow>> byPeriod = all.stream().collect(Collectors.groupingBy(FeedRow::period, TreeMap::new,
        Collectors.toList()));
    List<String> chosen = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    if (periods.isEmpty()) {
      byPeriod.forEach((period, rows) -> {
        if (settings.periodTypes().contains(rows.get(0).periodType())) {
          if (rows.stream().allMatch(FeedRow::complete) || provisional) {
            chosen.add(period);
          } else {
            skipped.add(period);
          }
        }
      });
    } else {
      for (String period : periods) {
        List<FeedRow> rows = byPeriod.get(period);
        if (rows == null) {
          throw new FeedException("Publication " + p.publicationId() + " has no scores for period " + period
              + " (it has " + String.join(", ", byPeriod.keySet()) + "); nothing was delivered.");
        }
        if (!provisional && !rows.stream().allMatch(FeedRow::complete)) {
          throw new FeedException("Period " + period + " is not complete in publication " + p.publicationId()
              + " (as of " + p.asOfDate() + ": it has not ended or is still in its filing grace); pass --provisional to"
              + " deliver it marked provisional. Nothing was delivered.");
        }
        chosen.add(period);
      }
    }
    if (!skipped.isEmpty()) {
      progress.accept("not delivered (provisional; use --provisional): " + String.join(", ", skipped));
    }
    String sources = json(p.rawSnapshots());
    List<FeedVersion> contents = new ArrayList<>();
    for (String period : chosen) {
      contents.add(FeedVersion.content(period, byPeriod.get(period), p, sources));
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    List<PeriodResult> results = new ArrayList<>();
    if (settings.targetUrl() != null) {
      try (FeedTarget target = FeedTarget.open(settings)) { // checked before the drop is touched
        List<FeedVersion> toWrite = new ArrayList<>();
        for (FeedVersion c : contents) {
          Optional<FeedVersion.Held> held = target.latest(c.period());
          if (held.isPresent() && held.get().contentSha256().equals(c.contentSha256())) {
            results.add(new PeriodResult(c.period(), "target", held.get().version(), false, c.provisional(), c.rows().size(),
                "unchanged", settings.targetDisplay()));
          } else {
            FeedVersion v = c.after(held.orElse(null), now);
            toWrite.add(v);
            results.add(new PeriodResult(c.period(), "target", v.version(), true, v.provisional(), v.rows().size(), v.reason(),
                settings.targetDisplay() + " " + FeedTarget.ROWS_TABLE));
          }
        }
        target.write(toWrite);
      }
    }
    FeedFiles files = new FeedFiles(settings.dropDir());
    for (FeedVersion c : contents) {
      Optional<FeedVersion.Held> held = files.latest(c.period());
      if (held.isPresent() && held.get().contentSha256().equals(c.contentSha256())) {
        results.add(new PeriodResult(c.period(), "files", held.get().version(), false, c.provisional(), c.rows().size(),
            "unchanged", files.versionDir(c.period(), held.get().version()).toString()));
      } else {
        FeedVersion v = c.after(held.orElse(null), now);
        String dir = files.write(v, p.tableSnapshots()).toString();
        results.add(new PeriodResult(c.period(), "files", v.version(), true, v.provisional(), v.rows().size(), v.reason(), dir));
      }
    }
    for (PeriodResult r : results) {
      progress.accept(r.period() + " " + r.destination() + ": " + (r.created() ? "version " + r.version() + " delivered ("
          + r.rows() + " rows" + (r.provisional() ? ", PROVISIONAL" : "") + "; " + r.reason() + ")"
          : "unchanged, still version " + r.version()) + " -> " + r.where());
    }
    return new Summary(p.publicationId(), results);
  }

  /**
   * The latest complete period of {@code periodType} (QUARTER, HALF, YEAR, MONTH) in publication {@code publicationId}
   * (null: the latest), e.g. for the demo to deliver; empty when none is complete.
   */
  public static Optional<String> latestCompletePeriod(WarehouseCatalog warehouse, Long publicationId, String periodType) {
    Map<String, List<FeedRow>> byPeriod = FeedSource.read(warehouse, publication(warehouse, publicationId)).stream()
        .filter(r -> r.periodType().equals(periodType))
        .collect(Collectors.groupingBy(FeedRow::period, TreeMap::new, Collectors.toList()));
    return byPeriod.entrySet().stream().filter(e -> e.getValue().stream().allMatch(FeedRow::complete))
        .map(Map.Entry::getKey).reduce((a, b) -> b);
  }

  static Publication publication(WarehouseCatalog warehouse, Long publicationId) {
    if (!warehouse.catalog().tableExists(PublicationLog.TABLE)) {
      throw new FeedException("Nothing has been published yet (no " + PublicationLog.TABLE + "): run 'kaoping publish'"
          + " first; the feed delivers what was published.");
    }
    PublicationLog log = PublicationLog.open(warehouse);
    if (publicationId == null) {
      return log.latest().orElseThrow(() -> new FeedException("Nothing has been published yet: run 'kaoping publish'"
          + " first; the feed delivers what was published."));
    }
    return log.byId(publicationId).orElseThrow(() -> new FeedException("Publication " + publicationId
        + " does not exist; the latest is " + log.latest().map(x -> Long.toString(x.publicationId())).orElse("none") + "."));
  }

  private static String json(Map<String, Long> m) {
    try {
      return new ObjectMapper().writeValueAsString(new TreeMap<>(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
