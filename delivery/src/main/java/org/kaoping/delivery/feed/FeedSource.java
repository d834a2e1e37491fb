package org.kaoping.delivery.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.kaoping.delivery.serving.PublicationLog.Publication;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Reads a publication's score tables at the snapshots it recorded (Iceberg time travel, with Iceberg's
 * own reader: no Spark), so the feed is exactly what was published however the marts moved on since.
 */
final class FeedSource {
  static final String UNITS = "mart.unit_score_by_period";
  static final String PEOPLE = "mart.person_score_by_period";
  static final String POINTS = "mart.score_indicator_points";

  private FeedSource() {}

  /** Every unit and person row of the publication, with its indicators. */
  static List<FeedRow> read(WarehouseCatalog warehouse, Publication publication) {
    Map<String, List<FeedRow.Indicator>> indicators = new HashMap<>();
    for (Record r : read(warehouse, publication, POINTS)) {
      String key = r.getField("level") + "|" + r.getField("entity_id") + "|" + r.getField("period_type") + "|"
          + r.getField("period");
      Double value = (Double) r.getField("value");
      indicators.computeIfAbsent(key, k -> new ArrayList<>()).add(new FeedRow.Indicator((String) r.getField("indicator"),
          value == null ? null : BigDecimal.valueOf(value), (BigDecimal) r.getField("weight"),
          (BigDecimal) r.getField("effective_weight"), (BigDecimal) r.getField("share"), (BigDecimal) r.getField("points")));
    }
    indicators.values().forEach(l -> l.sort(Comparator.comparing(FeedRow.Indicator::indicator)));
    List<FeedRow> rows = new ArrayList<>();
    Map<Long, String> unitNames = new HashMap<>();
    for (Record r : read(warehouse, publication, UNITS)) {
      long id = (Long) r.getField("unit_id");
      unitNames.put(id, (String) r.getField("unit_name"));
      rows.add(row(r, "UNIT", id, (String) r.getField("unit_name"), id, (String) r.getField("unit_name"),
          (String) r.getField("peer_group"), "rank_in_group", "group_size", indicators));
    }
    for (Record r : read(warehouse, publication, PEOPLE)) {
      String unit = (String) r.getField("ranked_in_unit");
      Long unitId = unit == null || unit.equals("null") ? null : Long.valueOf(unit);
      rows.add(row(r, "PERSON", (Long) r.getField("staff_id"), (String) r.getField("display_name"), unitId,
          unitId == null ? null : unitNames.get(unitId), unit, "rank_in_unit", "unit_size", indicators));
    }
    return rows;
  }

  private static FeedRow row(Record r, String level, long id, String name, Long unitId, String unitName, String group,
      String rankColumn, String sizeColumn, Map<String, List<FeedRow.Indicator>> indicators) {
    String periodType = (String) r.getField("period_type");
    String period = (String) r.getField("period");
    return new FeedRow(level, id, name, unitId, unitName, group, periodType, period,
        Boolean.TRUE.equals(r.getField("is_complete")), (BigDecimal) r.getField("score"),
        (BigDecimal) r.getField("indicator_points"), (BigDecimal) r.getField("penalty_points"),
        (BigDecimal) r.getField("bonus_points"), (String) r.getField("missing_indicators"),
        (String) r.getField("score_null_reason"), (Integer) r.getField(rankColumn), (Integer) r.getField(sizeColumn),
        (String) r.getField("grade"), optional(r, "grade_before_rules"), optional(r, "grade_rule"),
        optional(r, "consequences"), indicators.getOrDefault(level + "|" + id + "|" + periodType + "|" + period, List.of()));
  }

  /** A column the score tables gained with the grade rules: null in a publication recorded before them. */
  private static String optional(Record r, String column) {
    return r.struct().field(column) == null ? null : (String) r.getField(column);
  }

  private static List<Record> read(WarehouseCatalog warehouse, Publication publication, String table) {
    Long snapshot = publication.tableSnapshots().get(table);
    if (snapshot == null) {
      throw new IllegalStateException("Publication " + publication.publicationId() + " recorded no snapshot of " + table
          + ", so the feed cannot be delivered from it; publish again ('kaoping publish') and deliver the new publication.");
    }
    org.apache.iceberg.Table t = warehouse.load(TableIdentifier.parse(table));
    if (t.snapshot(snapshot) == null) {
      throw new IllegalStateException("Snapshot " + snapshot + " of " + table + " recorded by publication "
          + publication.publicationId() + " no longer exists (its tag kaoping-publication-" + publication.publicationId()
          + " was removed by hand?); deliver a later publication with --publication.");
    }
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).useSnapshot(snapshot).build()) {
      for (Record r : it) {
        out.add(r.copy());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
