package org.kaoping.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.kaoping.warehouse.RawChangeTable;

/**
 * Applies {@code source.<name>.column-map.<table>.<model column>=<source column>}: in every row image
 * (and its recorded row schema) that lacks the model's column, the source column is renamed to it, so
 * the model reads the values under the name it expects. Events that still have the model's column
 * are left alone, so history from before the rename reads as it always did.
 */
final class ColumnMaps {
  private ColumnMaps() {}

  static Dataset<Row> apply(Dataset<Row> changes, Map<String, String> modelToSource) {
    if (modelToSource.isEmpty()) {
      return changes;
    }
    boolean hasSchema = List.of(changes.columns()).contains(RawChangeTable.ROW_SCHEMA);
    Column after = col("after_json");
    Column rowSchema = hasSchema ? col(RawChangeTable.ROW_SCHEMA) : null;
    for (Map.Entry<String, String> m : modelToSource.entrySet()) {
      String model = m.getKey();
      String source = m.getValue();
      // Jackson writes compact JSON: a key always follows '{' or ','; inside a string value a quote is escaped.
      Column renamedJson = regexp_replace(after, "([{,])\"" + Pattern.quote(source) + "\":",
          "$1\"" + Matcher.quoteReplacement(model) + "\":");
      if (hasSchema) {
        Column lacksModelColumn = instr(concat(lit(","), rowSchema), "," + model + ":").equalTo(0).or(rowSchema.isNull());
        after = when(lacksModelColumn, renamedJson).otherwise(after);
        rowSchema = when(lacksModelColumn, regexp_replace(rowSchema, "(^|,)" + Pattern.quote(source) + ":",
            "$1" + Matcher.quoteReplacement(model) + ":")).otherwise(rowSchema);
      } else {
        after = renamedJson;
      }
    }
    Dataset<Row> mapped = changes.withColumn("after_json", after);
    return hasSchema ? mapped.withColumn(RawChangeTable.ROW_SCHEMA, rowSchema) : mapped;
  }
}
