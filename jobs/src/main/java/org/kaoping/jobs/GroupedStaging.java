package org.kaoping.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A staging model refreshed by groups: its header says which output columns make a group, and how the rows of
 * each driving input map to groups, such that a group's output rows depend only on the driving rows of the same
 * group (and on its other inputs, which must not have changed):
 *
 * <pre>
 * -- groups: staff_id, work_date
 * -- driver: worklog_work_log (id = log_id): staff_id, work_date
 * -- as-of: work_date
 * </pre>
 *
 * {@code driver: <input> (<key field> = <output column>): <field> [AS <group column>], ...} reads a row's group from
 * the fields of its row image, and its previous group from the previous output row whose {@code <output column>}
 * equals the row's key field; {@code driver: <input>: <key field> AS <group column>, ...} reads it from the key
 * alone. {@code as-of: <column>}: a row whose column falls after the earlier of the previous and the new as-of date
 * may change when the as-of date moves. A build then recomputes only the groups a changed source row was in or
 * moves to, and merges them into the table and its rule breaks; {@link WarehouseBuild} decides when it may.
 */
final class GroupedStaging {
  /** One driving input: its key field mapped to an output column (null: groups come from the key), group fields. */
  record Driver(String input, String keyField, String outputKey, List<String> fields, List<String> groupColumns) {
    boolean groupedByKey() {
      return keyField == null;
    }
  }

  private static final Pattern GROUPS = Pattern.compile("^--\\s*groups:\\s*(.+)$");
  private static final Pattern DRIVER = Pattern.compile(
      "^--\\s*driver:\\s*([a-z0-9_]+)\\s*(?:\\(\\s*([a-z0-9_]+)\\s*=\\s*([a-z0-9_]+)\\s*\\))?\\s*:\\s*(.+)$");
  private static final Pattern AS_OF = Pattern.compile("^--\\s*as-of:\\s*([a-z0-9_]+)$");
  private static final Pattern FIELD = Pattern.compile("^([a-z0-9_]+)(?:\\s+AS\\s+([a-z0-9_]+))?$", Pattern.CASE_INSENSITIVE);

  private final SqlModel model;
  private final List<String> groups;
  private final List<Driver> drivers;
  private final String asOfColumn;

  private GroupedStaging(SqlModel model, List<String> groups, List<Driver> drivers, String asOfColumn) {
    this.model = model;
    this.groups = groups;
    this.drivers = drivers;
    this.asOfColumn = asOfColumn;
  }

  /**
   * The model's grouped refresh, or null when its header declares none. A driver that is not one of the model's
   * {@code -- input:} tables, or that names other group columns than {@code -- groups:}, is refused here.
   */
  static GroupedStaging of(SqlModel model) {
    List<String> groups = null;
    List<Driver> drivers = new ArrayList<>();
    String asOf = null;
    for (String line : model.sql().split("\n")) {
      String l = line.strip();
      Matcher g = GROUPS.matcher(l);
      Matcher d = DRIVER.matcher(l);
      Matcher a = AS_OF.matcher(l);
      if (g.matches()) {
        groups = List.of(g.group(1).strip().split("\\s*,\\s*"));
      } else if (d.matches()) {
        List<String> fields = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (String f : d.group(4).strip().split("\\s*,\\s*")) {
          Matcher fm = FIELD.matcher(f);
          if (!fm.matches()) {
            throw new IllegalArgumentException(model.resource() + ": driver field '" + f + "' is not '<field> [AS <column>]'");
          }
          fields.add(fm.group(1));
          columns.add(fm.group(2) == null ? fm.group(1) : fm.group(2));
        }
        drivers.add(new Driver(d.group(1), d.group(2), d.group(3), List.copyOf(fields), List.copyOf(columns)));
      } else if (a.matches()) {
        asOf = a.group(1);
      }
    }
    if (groups == null) {
      if (!drivers.isEmpty() || asOf != null) {
        throw new IllegalArgumentException(model.resource() + " declares a driver or as-of column but no '-- groups:'");
      }
      return null;
    }
    if (drivers.isEmpty()) {
      throw new IllegalArgumentException(model.resource() + " declares '-- groups:' but no '-- driver:'");
    }
    for (Driver d : drivers) {
      if (!model.inputs().contains(d.input())) {
        throw new IllegalArgumentException(model.resource() + ": driver " + d.input() + " is not one of its inputs "
            + model.inputs());
      }
      if (!d.groupColumns().equals(groups)) {
        throw new IllegalArgumentException(model.resource() + ": driver " + d.input() + " maps to " + d.groupColumns()
            + ", not to the groups " + groups);
      }
    }
    return new GroupedStaging(model, groups, List.copyOf(drivers), asOf);
  }

  List<Driver> drivers() {
    return drivers;
  }

  String asOfColumn() {
    return asOfColumn;
  }

  /**
   * What one grouped refresh recomputed: the model's new rows of the touched groups (rule breaks attached), the
   * previous rule breaks of the other groups, the output keys possibly changed, and the touched groups' rows before
   * and after in the columns the caller asked for (what the refresh scope reads the changed months from); null
   * rows when a recomputed row fell outside the touched groups (see {@link #recompute}).
   */
  record Outcome(long groups, long changedRows, Dataset<Row> rows, Dataset<Row> previousRejects, Dataset<Row> touchedKeys,
      Dataset<Row> touchedRows, double findSeconds, double recomputeSeconds) {
    String describe() {
      return String.format(java.util.Locale.ROOT, "recomputed %d group(s) touched by %d changed source row(s)"
          + " (found in %.1f s, recomputed in %.1f s", groups, changedRows, findSeconds, recomputeSeconds);
    }

    boolean sound() {
      return rows != null;
    }
  }

  /**
   * Recomputes the groups touched since the previous build and returns the model's new rows for them (rule breaks
   * still attached), the previous build's rule breaks of the other groups, and the output keys possibly changed.
   * The views {@code latest_<driver>} are narrowed to the touched groups while the model is evaluated, then restored.
   *
   * <p>A changed row's new group is read from its new raw events (parsed as the typed image parses it), not from the
   * whole current table; a recomputed row in a group not touched would mean the two parses disagreed, and the
   * outcome is then not {@link Outcome#sound() sound}: the caller rebuilds the model whole.
   *
   * @param changedRows  driver → key_json and after_json (column map applied) of its raw events since the previous
   *                     build
   * @param table        the model's table as the previous build wrote it
   * @param rejects      the rule breaks the previous build recorded, all models
   * @param asOfMoved    the earlier of the previous and the new as-of date when it moved, else null
   * @param scopeColumns output columns of the touched groups' rows to return, before and after
   */
  Outcome recompute(SparkSession spark, Map<String, Dataset<Row>> changedRows, Dataset<Row> table, Dataset<Row> rejects,
      LocalDate asOfMoved, List<String> scopeColumns) {
    long started = System.nanoTime();
    StructType schema = table.schema();
    previousRows(table, rejects, schema, scopeColumns).createOrReplaceTempView("grouped_previous");
    List<String> touched = new ArrayList<>();
    long changed = 0;
    for (Driver d : drivers) {
      Dataset<Row> events = changedRows.get(d.input());
      Dataset<Row> keys = events.select("key_json").distinct().localCheckpoint();
      changed += keys.count();
      keys.createOrReplaceTempView("grouped_changed_" + d.input());
      if (d.groupedByKey()) {
        touched.add("SELECT " + fromJson("key_json", d.fields(), d.groupColumns(), schema) + " FROM grouped_changed_" + d.input());
      } else {
        events.createOrReplaceTempView("grouped_events_" + d.input());
        String keyType = schema.apply(d.outputKey()).dataType().sql();
        touched.add("SELECT " + fromJson("after_json", d.fields(), d.groupColumns(), schema) + " FROM grouped_events_"
            + d.input() + " WHERE after_json IS NOT NULL");
        touched.add("SELECT /*+ BROADCAST(c) */ " + cols("p.", groups) + " FROM grouped_previous p LEFT SEMI JOIN grouped_changed_" + d.input()
            + " c ON p." + d.outputKey() + " = " + keyOf("c.key_json", d, keyType));
      }
    }
    if (asOfColumn != null && asOfMoved != null) {
      touched.add("SELECT " + cols("", groups) + " FROM grouped_previous WHERE " + asOfColumn + " > DATE '" + asOfMoved + "'");
    }
    Dataset<Row> touchedGroups = spark.sql(String.join(" UNION ", touched)).localCheckpoint();
    touchedGroups.createOrReplaceTempView("grouped_touched");
    long groupCount = touchedGroups.count();

    String inTouched = groups.stream().map(g -> "p." + g + " <=> t." + g).collect(Collectors.joining(" AND "));
    Dataset<Row> previousInTouched = spark.sql("SELECT /*+ BROADCAST(t) */ p.* FROM grouped_previous p LEFT SEMI JOIN grouped_touched t ON "
        + inTouched).localCheckpoint();
    previousInTouched.createOrReplaceTempView("grouped_previous_touched");
    long found = System.nanoTime();

    Map<String, Dataset<Row>> original = new LinkedHashMap<>();
    try {
      for (Driver d : drivers) {
        original.put(d.input(), spark.table("latest_" + d.input()));
        narrow(spark, d, schema).createOrReplaceTempView("latest_" + d.input());
      }
      Dataset<Row> rows = spark.sql(RowImages.typed(model).sql()).localCheckpoint();
      rows.createOrReplaceTempView("grouped_new");
      String outside = groups.stream().map(g -> "n." + g + " <=> t." + g).collect(Collectors.joining(" AND "));
      if (!spark.sql("SELECT 1 FROM grouped_new n LEFT ANTI JOIN grouped_touched t ON " + outside).isEmpty()) {
        return new Outcome(groupCount, changed, null, null, null, null, seconds(started, found), seconds(found, System.nanoTime()));
      }
      Dataset<Row> touchedKeys = spark.sql("SELECT " + cols("", model.key()) + " FROM grouped_previous_touched UNION SELECT "
          + cols("", model.key()) + " FROM grouped_new").localCheckpoint();
      Dataset<Row> touchedRows = scopeColumns.isEmpty() ? null : spark.sql("SELECT " + cols("", scopeColumns)
          + " FROM grouped_previous_touched UNION ALL SELECT " + cols("", scopeColumns) + " FROM grouped_new");
      Dataset<Row> otherRejects = otherGroupsRejects(spark, rejects, schema);
      return new Outcome(groupCount, changed, rows, otherRejects, touchedKeys, touchedRows, seconds(started, found),
          seconds(found, System.nanoTime()));
    } finally {
      original.forEach((input, view) -> view.createOrReplaceTempView("latest_" + input));
    }
  }

  /** The driver's live rows that belong to touched groups: by their key, from the changed rows and the previous output. */
  private Dataset<Row> narrow(SparkSession spark, Driver d, StructType schema) {
    if (d.groupedByKey()) {
      spark.sql("SELECT *, " + fromImage("", d.fields(), d.groupColumns(), schema) + " FROM latest_" + d.input())
          .createOrReplaceTempView("grouped_keyed");
      String match = groups.stream().map(g -> "l." + g + " <=> t." + g).collect(Collectors.joining(" AND "));
      return spark.sql("SELECT /*+ BROADCAST(t) */ l.* FROM grouped_keyed l LEFT SEMI JOIN grouped_touched t ON " + match)
          .drop(groups.toArray(String[]::new));
    }
    String keyType = schema.apply(d.outputKey()).dataType().sql();
    spark.sql("SELECT " + keyOf("key_json", d, keyType) + " AS k FROM grouped_changed_" + d.input() + " UNION SELECT "
        + d.outputKey() + " FROM grouped_previous_touched").createOrReplaceTempView("grouped_keys");
    return spark.sql("SELECT /*+ BROADCAST(k) */ l.* FROM latest_" + d.input() + " l LEFT SEMI JOIN grouped_keys k ON CAST(l." + RowImages.COLUMN
        + "." + d.keyField() + " AS " + keyType + ") = k.k");
  }

  /**
   * Rows the previous build produced, kept or set aside: the table's, and the records of this model's rule breaks
   * (a set-aside row is only there), each with its key, group and as-of columns and the scope columns.
   */
  private Dataset<Row> previousRows(Dataset<Row> table, Dataset<Row> rejects, StructType schema, List<String> scopeColumns) {
    List<String> needed = new ArrayList<>(model.key());
    groups.stream().filter(g -> !needed.contains(g)).forEach(needed::add);
    if (asOfColumn != null && !needed.contains(asOfColumn)) {
      needed.add(asOfColumn);
    }
    scopeColumns.stream().filter(c -> !needed.contains(c)).forEach(needed::add);
    StructType wanted = new StructType(needed.stream().map(schema::apply).toArray(StructField[]::new));
    Dataset<Row> kept = table.selectExpr(needed.toArray(String[]::new));
    Dataset<Row> setAside = rejects.where(col("model").equalTo(model.table()))
        .select(from_json(col("record_json"), wanted).alias("r"))
        .select("r.*");
    // a flagged row is in both: harmless, every reader of these rows matches or unions them
    return kept.union(setAside);
  }

  /** The previous rule breaks of this model whose record is in no touched group: they stand. */
  private Dataset<Row> otherGroupsRejects(SparkSession spark, Dataset<Row> rejects, StructType schema) {
    StructType wanted = new StructType(groups.stream().map(schema::apply).toArray(StructField[]::new));
    rejects.where(col("model").equalTo(model.table()))
        .withColumn("grouped_record", from_json(
            col("record_json"), wanted))
        .createOrReplaceTempView("grouped_rejects");
    String match = groups.stream().map(g -> "r.grouped_record." + g + " <=> t." + g).collect(Collectors.joining(" AND "));
    return spark.sql("SELECT r.* FROM grouped_rejects r LEFT ANTI JOIN grouped_touched t ON " + match).drop("grouped_record")
        .localCheckpoint();
  }

  /** Group columns read from the changed rows' keys (key_json), typed as the output's columns. */
  private static String fromJson(String jsonColumn, List<String> fields, List<String> columns, StructType schema) {
    return groupColumns(fields, columns, schema, (field, type) -> "from_json(" + jsonColumn + ", '" + field + " " + type
        + "')." + field);
  }

  /**
   * Group columns read from the live rows' typed images ({@link RowImages}: parsed once per event, not per build),
   * typed as the output's columns; the key fields are in the image too, since the models read them.
   */
  private static String fromImage(String prefix, List<String> fields, List<String> columns, StructType schema) {
    return groupColumns(fields, columns, schema, (field, type) -> "CAST(" + prefix + RowImages.COLUMN + "." + field + " AS "
        + type + ")");
  }

  /** {@code read(field, output column's type) AS column} for each driver field and the group column it maps to. */
  private static String groupColumns(List<String> fields, List<String> columns, StructType schema,
      java.util.function.BinaryOperator<String> read) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      out.add(read.apply(fields.get(i), schema.apply(columns.get(i)).dataType().sql()) + " AS " + columns.get(i));
    }
    return String.join(", ", out);
  }

  /** A driver row's key field, from its key_json, typed as the output column it equals. */
  private static String keyOf(String keyJson, Driver d, String type) {
    return "from_json(" + keyJson + ", '" + d.keyField() + " " + type + "')." + d.keyField();
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }

  private static String cols(String prefix, List<String> names) {
    return names.stream().map(n -> prefix + n).collect(Collectors.joining(", "));
  }
}
