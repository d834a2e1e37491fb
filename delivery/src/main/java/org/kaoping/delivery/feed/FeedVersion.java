package org.kaoping.delivery.feed;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.kaoping.delivery.serving.PublicationLog.Publication;

/**
 * One version of one period of the feed: its rows as column → value maps in {@link FeedSchema#COLUMNS}
 * order, the checksums and, against the version before it, what changed and why.
 */
public record FeedVersion(String period, int version, Integer previousVersion, String reason, int rowsAdded,
    int rowsChanged, int rowsRemoved, boolean provisional, long publicationId, String buildId, LocalDate asOfDate,
    String schemeName, String schemeVersion, String sourceSnapshots, List<Map<String, Object>> rows, int unitRows,
    int personRows, String contentSha256, OffsetDateTime deliveredAt) {

  /** What a destination holds as its latest version of a period: enough to tell whether and why it changed. */
  public record Held(int version, String contentSha256, Map<String, String> rowSha256ByKey, String schemeName,
      String schemeVersion, String buildId, long publicationId, boolean provisional, int feedSchemaVersion) {}

  /** The rows of {@code period} as content, before a version number is given. */
  static FeedVersion content(String period, List<FeedRow> rows, Publication p, String sourceSnapshots) {
    boolean provisional = rows.stream().anyMatch(r -> !r.complete());
    List<Map<String, Object>> out = new ArrayList<>();
    TreeMap<String, String> shas = new TreeMap<>();
    for (FeedRow r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("feed_version", null);
      m.put("period", r.period());
      m.put("period_type", r.periodType());
      m.put("level", r.level());
      m.put("entity_id", r.entityId());
      m.put("entity_name", r.entityName());
      m.put("unit_id", r.unitId());
      m.put("unit_name", r.unitName());
      m.put("ranking_group", r.rankingGroup());
      m.put("is_complete", r.complete());
      m.put("is_provisional", !r.complete());
      m.put("score", r.score());
      m.put("indicator_points", r.indicatorPoints());
      m.put("penalty_points", r.penaltyPoints());
      m.put("bonus_points", r.bonusPoints());
      m.put("missing_indicators", r.missingIndicators());
      m.put("score_null_reason", r.scoreNullReason());
      m.put("rank_in_group", r.rank());
      m.put("group_size", r.groupSize());
      m.put("grade", r.grade());
      m.put("grade_before_rules", r.gradeBeforeRules());
      m.put("grade_rule", r.gradeRule());
      m.put("consequences", r.consequences());
      m.put("indicators", r.indicatorsJson());
      m.put("scheme_name", p.schemeName());
      m.put("scheme_version", p.schemeVersion());
      m.put("publication_id", p.publicationId());
      m.put("build_id", p.buildId());
      m.put("source_snapshots", sourceSnapshots);
      String sha = rowSha(m);
      m.put("row_sha256", sha);
      shas.put(r.key(), sha);
      out.add(m);
    }
    out.sort(java.util.Comparator.comparing((Map<String, Object> m) -> (String) m.get("period_type"))
        .thenComparing(m -> (String) m.get("level")).thenComparing(m -> (Long) m.get("entity_id")));
    int units = (int) rows.stream().filter(r -> r.level().equals("UNIT")).count();
    return new FeedVersion(period, 0, null, null, 0, 0, 0, provisional, p.publicationId(), p.buildId(), p.asOfDate(),
        p.schemeName(), p.schemeVersion(), sourceSnapshots, out, units, rows.size() - units, contentSha(shas), null);
  }

  /** This content as the version after {@code held} (null: the first), with the reason it differs. */
  FeedVersion after(Held held, OffsetDateTime at) {
    int added = 0;
    int changed = 0;
    int removed = 0;
    String reason;
    if (held == null) {
      added = rows.size();
      reason = "first delivery of " + period;
    } else {
      Map<String, String> now = rowShas();
      for (Map.Entry<String, String> e : now.entrySet()) {
        String before = held.rowSha256ByKey().get(e.getKey());
        if (before == null) {
          added++;
        } else if (!before.equals(e.getValue())) {
          changed++;
        }
      }
      for (String key : held.rowSha256ByKey().keySet()) {
        if (!now.containsKey(key)) {
          removed++;
        }
      }
      List<String> why = new ArrayList<>();
      if (held.feedSchemaVersion() != FeedSchema.VERSION) {
        why.add("feed schema " + held.feedSchemaVersion() + " -> " + FeedSchema.VERSION);
      }
      if (!held.schemeVersion().equals(schemeVersion)) {
        why.add("scheme changed (" + held.schemeName() + " " + held.schemeVersion().substring(0, 12) + " -> " + schemeName
            + " " + schemeVersion.substring(0, 12) + ")");
      }
      if (!held.buildId().equals(buildId)) {
        why.add("data changed (build " + held.buildId().substring(0, Math.min(8, held.buildId().length())) + " -> "
            + buildId.substring(0, Math.min(8, buildId.length())) + ", publication " + held.publicationId() + " -> "
            + publicationId + ")");
      }
      if (held.provisional() && !provisional) {
        why.add("the period is now complete");
      }
      if (why.isEmpty()) {
        why.add("content changed (publication " + held.publicationId() + " -> " + publicationId + ")");
      }
      reason = changed + " row(s) changed, " + added + " added, " + removed + " removed: " + String.join("; ", why);
    }
    int v = held == null ? 1 : held.version() + 1;
    List<Map<String, Object>> numbered = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Map<String, Object> m = new LinkedHashMap<>(r);
      m.put("feed_version", v);
      numbered.add(m);
    }
    return new FeedVersion(period, v, held == null ? null : held.version(), reason, added, changed, removed, provisional,
        publicationId, buildId, asOfDate, schemeName, schemeVersion, sourceSnapshots, numbered, unitRows, personRows,
        contentSha256, at);
  }

  Map<String, String> rowShas() {
    Map<String, String> m = new TreeMap<>();
    rows.forEach(r -> m.put(key(r), (String) r.get("row_sha256")));
    return m;
  }

  static String key(Map<String, ?> row) {
    return row.get("level") + "|" + row.get("entity_id") + "|" + row.get("period_type") + "|" + row.get("period");
  }

  /** SHA-256 of a row's content: every column but the provenance ones, decimals by their digits. */
  static String rowSha(Map<String, Object> row) {
    StringBuilder b = new StringBuilder();
    row.forEach((k, v) -> {
      if (!FeedSchema.PROVENANCE.contains(k)) {
        b.append(k).append('=').append(FeedFiles.text(v)).append('\u001f');
      }
    });
    return sha256(b.toString());
  }

  /** SHA-256 of the sorted {@code key=row sha} lines: equal iff the period's content is equal. */
  static String contentSha(TreeMap<String, String> shas) {
    StringBuilder b = new StringBuilder();
    shas.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    return sha256(b.toString());
  }

  static String sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
