package org.kaoping.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.RowSchema;

/**
 * Stops a staging model whose source columns changed under it, before it could turn a renamed column
 * into NULLs or a retyped one into wrong numbers.
 *
 * <p>The columns a model reads are those of its {@code from_json(after_json, '<schema>') AS r FROM
 * latest_<raw table>} (or {@code raw_<raw table>}) and {@code CAST(get_json_object(after_json, '$.<column>')
 * AS BIGINT) AS x FROM …} expressions: the declared schema is the one place. They are compared with the
 * row schemas ({@code row_schema}) of the events the model reads: a column missing from them (dropped,
 * or renamed: the new column is named when one appeared), or sent with a type the declared one cannot
 * read, is a failure naming the source table, the column, the change and the fix. Widening to a type
 * whose values still parse passes with a note, after checking that every current value does parse.
 * Added columns pass. Events captured before row schemas were recorded are not checked.
 *
 * <p>The current state records every row schema its raw events carry ({@link CurrentState}): when each of them
 * has every column a model reads, with the declared type, the model passes without counting any rows, so the
 * check costs nothing that grows with the history until a source schema actually changes.
 */
final class SchemaDrift {
  /** Columns one model reads from one raw table; {@code allEvents}: the raw change view, not the latest state. */
  record Read(String rawTable, boolean allEvents, StructType columns) {}

  /** What the build knows of a raw table, for sentences and the configuration key. */
  record SourceTable(String source, String table) {
    String shortName() {
      return table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
    }
  }

  private static final Pattern FROM_JSON = Pattern.compile(
      "from_json\\(\\s*after_json\\s*,\\s*'([^']*)'\\s*\\)\\s+AS\\s+\\w+\\s+FROM\\s+(latest|raw)_(\\w+)",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern GET_JSON = Pattern.compile(
      "CAST\\(\\s*get_json_object\\(\\s*after_json\\s*,\\s*'\\$\\.(\\w+)'\\s*\\)\\s+AS\\s+(\\w+)\\s*\\)\\s+AS\\s+\\w+\\s+FROM\\s+(latest|raw)_(\\w+)",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ANY_READ = Pattern.compile("(from_json|get_json_object)\\(\\s*after_json",
      Pattern.CASE_INSENSITIVE);

  private enum Fit { SAME, WIDENED, INCOMPATIBLE }

  private final SparkSession spark;
  private final Map<String, SourceTable> sourceTables;
  /** Raw table → every row schema its events carry, where recorded. */
  private final Map<String, Set<String>> knownSchemas;
  /** Per raw table, its row schemas counted once: one pass over the changes serves every model reading it. */
  private final Map<String, Counts> counts = new HashMap<>();

  /** Row schema → rows of the current state, → events with a row image; and every schema ever seen. */
  private record Counts(Map<String, Long> current, Map<String, Long> images, Set<RowSchema> all) {}

  /**
   * @param sourceTables raw table name → its source and source table, for the tables that exist
   * @param knownSchemas raw table name → every row schema its events carry, where the current state recorded them
   */
  SchemaDrift(SparkSession spark, Map<String, SourceTable> sourceTables, Map<String, Set<String>> knownSchemas) {
    this.spark = spark;
    this.sourceTables = sourceTables;
    this.knownSchemas = knownSchemas;
  }

  /** The columns {@code model} reads from raw, from its {@code from_json} schemas. */
  static List<Read> reads(SqlModel model) {
    List<Read> reads = new ArrayList<>();
    Matcher m = FROM_JSON.matcher(model.sql());
    while (m.find()) {
      reads.add(new Read(m.group(3), m.group(2).equalsIgnoreCase("raw"), StructType.fromDDL(m.group(1))));
    }
    Matcher g = GET_JSON.matcher(model.sql());
    while (g.find()) {
      reads.add(new Read(g.group(4), g.group(3).equalsIgnoreCase("raw"), StructType.fromDDL(g.group(1) + " " + g.group(2))));
    }
    long expressions = ANY_READ.matcher(model.sql()).results().count();
    if (expressions != reads.size()) {
      throw new IllegalArgumentException(model.resource() + " reads after_json in a form the schema check cannot follow;"
          + " write from_json(after_json, '<columns>') AS r FROM latest_<raw table> so the columns it uses are declared.");
    }
    return reads;
  }

  /**
   * Checks one model; notes go to {@code progress}.
   *
   * @return the failures, one sentence each (empty: the model may be built)
   */
  List<String> check(SqlModel model, Consumer<String> progress) {
    List<String> problems = new ArrayList<>();
    for (Read read : reads(model)) {
      SourceTable source = sourceTables.get(read.rawTable());
      String view = (read.allEvents() ? "raw_" : "latest_") + read.rawTable();
      if (source == null || !List.of(spark.table(view).columns()).contains(RawChangeTable.ROW_SCHEMA)) {
        continue; // nothing captured yet, or captured before row schemas were recorded
      }
      if (allFit(knownSchemas.get(read.rawTable()), read.columns())) {
        continue; // every schema ever sent has every column as declared: no row can break the model
      }
      Counts c = counts.computeIfAbsent(read.rawTable(), this::count);
      Map<String, Long> current = read.allEvents() ? c.images() : c.current();
      Set<RowSchema> seen = c.all();
      for (StructField field : read.columns().fields()) {
        check(model, source, view, field, current, seen, problems, progress);
      }
    }
    return problems;
  }

  private void check(SqlModel model, SourceTable source, String view, StructField field,
      Map<String, Long> current, Set<RowSchema> seen, List<String> problems, Consumer<String> progress) {
    String column = field.name();
    String where = source.source() + " table " + source.table();
    String key = "source." + source.source() + ".column-map." + source.shortName() + "." + column;
    long missing = 0;
    boolean historyKnown = false;
    Set<String> candidates = new LinkedHashSet<>();
    Map<String, Long> badTypes = new LinkedHashMap<>();
    Set<String> widenedFrom = new LinkedHashSet<>();
    for (Map.Entry<String, Long> e : current.entrySet()) {
      RowSchema schema = RowSchema.parse(e.getKey());
      String type = schema.type(column);
      if (type == null) {
        missing += e.getValue();
        // A rename shows as a column that no earlier schema with the old column had; prefer one of the old type.
        Set<String> before = new LinkedHashSet<>();
        Set<String> oldTypes = new LinkedHashSet<>();
        seen.stream().filter(s -> s.type(column) != null).forEach(s -> {
          before.addAll(s.columns().keySet());
          oldTypes.add(s.type(column));
        });
        if (!before.isEmpty()) {
          historyKnown = true;
          List<String> appeared = schema.columns().keySet().stream().filter(c -> !before.contains(c)).toList();
          List<String> sameType = appeared.stream().filter(c -> oldTypes.contains(schema.type(c))).toList();
          candidates.addAll(sameType.isEmpty() ? appeared : sameType);
        }
        continue;
      }
      switch (fit(field.dataType(), type)) {
        case INCOMPATIBLE -> badTypes.merge(type, e.getValue(), Long::sum);
        case WIDENED -> widenedFrom.add(type);
        case SAME -> { }
      }
    }
    String previousType = seen.stream().map(s -> s.type(column))
        .filter(t -> t != null && fit(field.dataType(), t) == Fit.SAME).findFirst().map(SchemaDrift::describe).orElse(null);
    if (missing > 0) {
      String change = candidates.size() == 1 ? "renamed to '" + candidates.iterator().next() + "'?"
          : !candidates.isEmpty() ? "renamed to one of " + candidates + "?"
          : historyKnown ? "dropped in the source" : "dropped or renamed in the source";
      problems.add(model.table() + " stops: it reads column '" + column + "' of " + where + ", which " + missing
          + " current row(s) no longer have (" + change + "). Restore the column in the source, or map it: " + key + "="
          + (candidates.size() == 1 ? candidates.iterator().next() : "<source column>") + ".");
    }
    for (Map.Entry<String, Long> bad : badTypes.entrySet()) {
      problems.add(model.table() + " stops: it reads column '" + column + "' of " + where + " as "
          + field.dataType().sql() + ", but " + bad.getValue() + " current row(s) have it as " + describe(bad.getKey())
          + (previousType == null ? "" : " (was " + previousType + ")") + ", which does not read as "
          + field.dataType().sql() + ". Restore the column's type in the source, or map it to a source column of a"
          + " compatible type: " + key + "=<source column>.");
    }
    if (!widenedFrom.isEmpty() && badTypes.isEmpty() && missing == 0) {
      long unreadable = spark.sql("SELECT count(*) FROM " + view + " WHERE get_json_object(after_json, '$." + column
          + "') IS NOT NULL AND from_json(after_json, '`" + column + "` " + field.dataType().sql() + "')." + column
          + " IS NULL").first().getLong(0);
      String widened = widenedFrom.stream().map(SchemaDrift::describe).reduce((a, b) -> a + ", " + b).orElse("");
      if (unreadable > 0) {
        problems.add(model.table() + " stops: column '" + column + "' of " + where + " was widened to " + widened
            + " and " + unreadable + " current value(s) no longer fit " + field.dataType().sql()
            + ". Widen the model's declared type in " + model.resource() + ".");
      } else {
        progress.accept("note: column '" + column + "' of " + where + " was widened to " + widened + "; "
            + model.table() + " still reads it as " + field.dataType().sql() + " and every current value fits.");
      }
    }
  }

  /** Whether each of {@code schemas} (null: unknown) has every one of {@code columns} with the declared type. */
  private static boolean allFit(Set<String> schemas, StructType columns) {
    if (schemas == null) {
      return false;
    }
    for (String text : schemas) {
      RowSchema schema = RowSchema.parse(text);
      for (StructField field : columns.fields()) {
        String type = schema.type(field.name());
        if (type == null || fit(field.dataType(), type) != Fit.SAME) {
          return false;
        }
      }
    }
    return true;
  }

  private Counts count(String rawTable) {
    Map<String, Long> current = new LinkedHashMap<>();
    Map<String, Long> images = new LinkedHashMap<>();
    Set<RowSchema> all = new LinkedHashSet<>();
    // current rows from the current state (latest_), images and every schema seen from the raw events: no ranking here
    for (Row r : spark.sql("SELECT " + RawChangeTable.ROW_SCHEMA + ", sum(live), sum(image) FROM (SELECT "
        + RawChangeTable.ROW_SCHEMA + ", 1 AS live, 0 AS image FROM latest_" + rawTable + " UNION ALL SELECT "
        + RawChangeTable.ROW_SCHEMA + ", 0, CASE WHEN after_json IS NOT NULL THEN 1 ELSE 0 END FROM raw_" + rawTable + ")"
        + " WHERE " + RawChangeTable.ROW_SCHEMA + " IS NOT NULL GROUP BY 1").collectAsList()) {
      all.add(RowSchema.parse(r.getString(0)));
      if (r.getLong(1) > 0) {
        current.put(r.getString(0), r.getLong(1));
      }
      if (r.getLong(2) > 0) {
        images.put(r.getString(0), r.getLong(2));
      }
    }
    return new Counts(current, images, all);
  }

  /** Whether a value sent as {@code sourceType} (Connect type[/logical]) reads as {@code declared} in from_json. */
  private static Fit fit(DataType declared, String sourceType) {
    String base = sourceType.contains("/") ? sourceType.substring(0, sourceType.indexOf('/')) : sourceType;
    String logical = sourceType.contains("/") ? sourceType.substring(sourceType.indexOf('/') + 1) : "";
    boolean plainInteger = logical.isEmpty() && List.of("int8", "int16", "int32", "int64").contains(base);
    if (declared.equals(DataTypes.LongType)) {
      return plainInteger ? Fit.SAME : Fit.INCOMPATIBLE;
    }
    if (declared.equals(DataTypes.IntegerType) || declared.equals(DataTypes.ShortType)) {
      return !plainInteger ? Fit.INCOMPATIBLE : base.equals("int64") ? Fit.WIDENED : Fit.SAME;
    }
    if (declared.equals(DataTypes.StringType)) {
      return base.equals("string") ? Fit.SAME : Fit.INCOMPATIBLE;
    }
    if (declared.equals(DataTypes.DateType)) {
      return logical.equals("io.debezium.time.Date") ? Fit.SAME : Fit.INCOMPATIBLE;
    }
    if (declared.equals(DataTypes.TimestampNTZType)) {
      return logical.equals("io.debezium.time.Timestamp") || logical.equals("io.debezium.time.MicroTimestamp")
          ? Fit.SAME : Fit.INCOMPATIBLE;
    }
    if (declared.equals(DataTypes.BooleanType)) {
      return base.equals("boolean") ? Fit.SAME : Fit.INCOMPATIBLE;
    }
    if (declared.equals(DataTypes.DoubleType) || declared.equals(DataTypes.FloatType)) {
      return base.startsWith("float") ? Fit.SAME : plainInteger ? Fit.WIDENED : Fit.INCOMPATIBLE;
    }
    if (declared instanceof DecimalType) {
      return base.equals("string") || plainInteger ? Fit.SAME : Fit.INCOMPATIBLE;
    }
    return Fit.SAME; // a type no model declares today: nothing to compare against
  }

  /** A source type in PostgreSQL's words where they are unambiguous. */
  static String describe(String sourceType) {
    return switch (sourceType) {
      case "int16" -> "smallint";
      case "int32" -> "integer";
      case "int64" -> "bigint";
      case "string" -> "text";
      case "float32" -> "real";
      case "float64" -> "double precision";
      case "int32/io.debezium.time.Date" -> "date";
      case "int64/io.debezium.time.MicroTimestamp", "int64/io.debezium.time.Timestamp" -> "timestamp";
      case "string/io.debezium.time.ZonedTimestamp" -> "timestamp with time zone";
      default -> sourceType;
    };
  }
}
