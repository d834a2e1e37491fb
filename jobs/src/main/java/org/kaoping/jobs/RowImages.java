package org.kaoping.jobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The typed row images of the current state: for each raw table, the columns the staging models read from its live
 * rows, each with the one type they declare, kept as the struct column {@code image} of {@code current.<raw table>}.
 *
 * <p>A model declares what it reads as {@code from_json(after_json, '<columns>') AS r FROM latest_<raw table>} (the
 * schema check, {@link SchemaDrift}, compares those columns with the source's). {@link CurrentState} parses each
 * event's JSON into {@code image} once, when the event is merged, and the build runs the model with that expression
 * answered from {@code image} ({@link #typed}): a build parses the JSON of the day's events, not of the whole history.
 * Reads of {@code raw_<t>} (every event) still parse their JSON. Two models declaring one column with different
 * types are refused at load.
 */
final class RowImages {
  /** The struct column of {@code current.<raw table>} holding the parsed row image (null for a delete). */
  static final String COLUMN = "image";

  private static final Pattern LATEST_READ = Pattern.compile(
      "from_json\\(\\s*after_json\\s*,\\s*'([^']*)'\\s*\\)(\\s+AS\\s+\\w+\\s+FROM\\s+latest_(\\w+))",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /** Raw table → the columns read from its live rows, in the order first declared. */
  private final Map<String, StructType> images;

  private RowImages(Map<String, StructType> images) {
    this.images = images;
  }

  /** The images the models read; refuses a column declared with two types, naming both models. */
  static RowImages of(Collection<SqlModel> models) {
    Map<String, Map<String, StructField>> fields = new TreeMap<>();
    Map<String, String> declaredBy = new LinkedHashMap<>();
    for (SqlModel model : models) {
      Matcher m = LATEST_READ.matcher(model.sql());
      while (m.find()) {
        String raw = m.group(3);
        for (StructField f : StructType.fromDDL(m.group(1)).fields()) {
          StructField known = fields.computeIfAbsent(raw, r -> new LinkedHashMap<>()).putIfAbsent(f.name(), f);
          String where = raw + "." + f.name();
          if (known == null) {
            declaredBy.put(where, model.resource());
          } else if (!known.dataType().equals(f.dataType())) {
            throw new IllegalArgumentException(model.resource() + " reads column '" + f.name() + "' of latest_" + raw
                + " as " + f.dataType().sql() + ", but " + declaredBy.get(where) + " reads it as " + known.dataType().sql()
                + ": the current state keeps one typed column, so declare the same type in both.");
          }
        }
      }
    }
    Map<String, StructType> images = new TreeMap<>();
    fields.forEach((raw, f) -> images.put(raw, new StructType(f.values().toArray(StructField[]::new))));
    return new RowImages(images);
  }

  /** The image columns of {@code rawTable}; empty when no model reads its live rows. */
  StructType of(String rawTable) {
    return images.getOrDefault(rawTable, new StructType());
  }

  /** The type of one image column, or null when no model reads it. */
  DataType type(String rawTable, String column) {
    StructType image = of(rawTable);
    return List.of(image.fieldNames()).contains(column) ? image.apply(column).dataType() : null;
  }

  /** {@code model} with each {@code from_json(after_json, '<columns>')} of a {@code latest_} read taken from the image. */
  static SqlModel typed(SqlModel model) {
    Matcher m = LATEST_READ.matcher(model.sql());
    StringBuilder sql = new StringBuilder();
    while (m.find()) {
      List<String> parts = new ArrayList<>();
      for (StructField f : StructType.fromDDL(m.group(1)).fields()) {
        parts.add("'" + f.name() + "', " + COLUMN + ".`" + f.name() + "`");
      }
      m.appendReplacement(sql, Matcher.quoteReplacement("named_struct(" + String.join(", ", parts) + ")" + m.group(2)));
    }
    m.appendTail(sql);
    return new SqlModel(model.resource(), model.table(), model.grain(), model.key(), model.checks(), model.inputs(),
        model.refresh(), sql.toString());
  }
}
