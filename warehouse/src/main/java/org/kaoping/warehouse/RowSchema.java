package org.kaoping.warehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The schema of a row image as recorded in raw ({@code row_schema}): its columns in source order,
 * each {@code name:type} or {@code name:type/logical type} with Kafka Connect type names as Debezium
 * sends them, e.g. {@code id:int64,work_date:int32/io.debezium.time.Date,content:string}.
 *
 * <p>Canonical and compact on purpose: the same table yields the same string for every event, which
 * Parquet dictionary-encodes to almost nothing.
 */
public record RowSchema(Map<String, String> columns) {

  public RowSchema {
    columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /** Parses the recorded form; null or blank gives null (an event captured before schemas were recorded). */
  public static RowSchema parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Map<String, String> columns = new LinkedHashMap<>();
    for (String column : text.split(",")) {
      int colon = column.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("Malformed row schema '" + text + "': '" + column + "' is not name:type");
      }
      columns.put(column.substring(0, colon), column.substring(colon + 1));
    }
    return new RowSchema(columns);
  }

  /** The recorded form. */
  public String format() {
    return columns.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
  }

  /** The type of {@code column} ({@code int32}, {@code int32/io.debezium.time.Date}, …), or null when absent. */
  public String type(String column) {
    return columns.get(column);
  }

  /** Columns of this schema that {@code other} lacks, in this schema's order. */
  public List<String> columnsNotIn(RowSchema other) {
    List<String> added = new ArrayList<>();
    for (String c : columns.keySet()) {
      if (!other.columns.containsKey(c)) {
        added.add(c);
      }
    }
    return added;
  }
}
