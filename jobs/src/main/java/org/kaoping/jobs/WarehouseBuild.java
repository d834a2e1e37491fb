package org.kaoping.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.SnapshotTags;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseCatalog.Layer;
import org.kaoping.warehouse.WorkingCalendar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the warehouse from the raw layer, as of the raw tables' current snapshots.
 *
 * <p>Order: pin raw snapshots → current state per key, merged from the raw events appended since the previous
 * build ({@link CurrentState}) → staging (each model lists the rules a row breaks;
 * every break goes to {@code ops.rejected_rows}, and a row breaking an EXCLUDED rule stays out of staging)
 * → marts in the order {@link ModelCatalog} derives from what each reads (the calendar and the scores, computed in
 * code, among them), rewritten only for the periods whose inputs changed ({@link RefreshScope}).
 * A staging model or mart whose inputs did not move since the previous build is kept ({@link ModelReuse}).
 * Every model's key and checks are enforced as it is built; {@code ops.build_run} records the snapshot ids
 * each build read and wrote, so a published number can be traced and reproduced.
 */
public final class WarehouseBuild {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseBuild.class);

  /** The calendar table, built in code from the working calendar over the years staging.work_log covers. */
  static final ComputedModel CALENDAR_DAY = new ComputedModel(new SqlModel("WarehouseBuild", "mart.calendar_day",
      "one row per calendar day of the years the data covers", List.of("calendar_date"), List.of(), List.of(),
      SqlModel.Refresh.WHOLE, """
      -- is_working_day    = a working day of the configured calendar (weekdays, minus holidays, plus make-up days)
      -- working_day_index = number of working days from the first day of the table up to and including this day
      """), List.of("staging.work_log"));

  public static final String REJECTS_TABLE = "ops.rejected_rows";
  public static final String BUILD_RUNS_TABLE = "ops.build_run";
  /** Columns of {@code ops.rejected_rows} (then build_id, detected_at); a rule break per row. */
  private static final StructType REJECTS_SCHEMA = new StructType().add("model", DataTypes.StringType)
      .add("record_key", DataTypes.StringType).add("rule", DataTypes.StringType).add("disposition", DataTypes.StringType)
      .add("reason", DataTypes.StringType).add("offending_values", DataTypes.StringType).add("record_json", DataTypes.StringType)
      .add("source_event_seq", DataTypes.LongType).add("source_lsn", DataTypes.LongType).add("unit_id", DataTypes.LongType)
      .add("month", DataTypes.DateType);

  /** A staging model's verdict: the rules a row breaks (array of rule, disposition, reason, offending_values). */
  private static final String VIOLATIONS = "violations";
  /** Where a broken row came from: its latest raw event (event_seq, source_lsn) and its unit_id and month. */
  private static final String REJECT_CONTEXT = "reject_context";

  /** What a build produced. */
  public record Result(String buildId, LocalDate asOfDate, LocalDate previousAsOfDate, Map<String, Long> rows,
      long rejectedRows, Map<String, Long> rawSnapshots) {}

  private final SparkSession spark;
  private final WarehouseCatalog warehouse;
  private final MetricSettings settings;
  private final WorkingCalendar calendar;
  private final ScoringScheme scheme;
  private final ModelCatalog catalog = ModelCatalog.standard();
  /** Raw table → (model column → source column) for renamed source columns, from configuration. */
  private final Map<String, Map<String, String>> columnMaps;
  /** Raw table → the snapshot this build reads (pinned at its start). */
  private final Map<String, Long> pinnedRaw = new TreeMap<>();
  /** Raw table → how this build brought its current-state table up to date. */
  private final Map<String, CurrentState.Refresh> currentRefreshes = new TreeMap<>();
  /** Raw table → its source and source table, for the raw tables this build read. */
  private final Map<String, SchemaDrift.SourceTable> rawSources = new TreeMap<>();

  public WarehouseBuild(SparkSession spark, WarehouseCatalog warehouse, MetricSettings settings, WorkingCalendar calendar,
      ScoringScheme scheme) {
    this(spark, warehouse, settings, calendar, scheme, Map.of());
  }

  /**
   * @param columnMaps raw table name ({@code <source>_<table>}) → model column → the source column now
   *                   holding it; applied to the row images before any model reads them
   */
  public WarehouseBuild(SparkSession spark, WarehouseCatalog warehouse, MetricSettings settings, WorkingCalendar calendar,
      ScoringScheme scheme, Map<String, Map<String, String>> columnMaps) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.settings = settings;
    this.calendar = calendar;
    this.scheme = scheme;
    this.columnMaps = Map.copyOf(columnMaps);
  }

  /**
   * Runs a build: staging in full, then the marts, only for the months whose inputs changed unless
   * {@code full} (or the organisation, settings or calendar changed). A broken model check stops it
   * with the offending rows named.
   */
  public Result run(Consumer<String> progress, boolean full) {
    String buildId = UUID.randomUUID().toString();
    java.sql.Timestamp startedAt = new java.sql.Timestamp(System.currentTimeMillis());
    Map<String, Long> rawSnapshots = pinRawInputs(full, progress);
    progress.accept("build " + buildId.substring(0, 8) + ": read " + rawSnapshots.size() + " raw tables at their current snapshots");

    Map<String, Long> rows = new LinkedHashMap<>();
    List<Dataset<Row>> rejects = new ArrayList<>();
    List<SqlModel> stagingModels = catalog.staging();
    for (SqlModel model : stagingModels) {
      for (String input : model.inputs()) {
        if (!rawSnapshots.containsKey(input)) {
          progress.accept(model.table() + " reads " + input + ", which is empty: no raw table captured yet");
          registerEmptyChangeViews(input);
        }
      }
    }
    // staging rules need the as-of date (a log dated after it is set aside), so it comes from raw, before staging
    PreviousBuild previous = previousBuild();
    boolean incremental = !full && previous.problem() == null && rejectsTableCurrent();
    long asOfStarted = System.nanoTime();
    LocalDate asOf = rawAsOfDate(incremental ? previous : null);
    progress.accept("data as of " + asOf + took(asOfStarted));
    ModelReuse reuse = full || previous.problem() != null || !rejectsTableCurrent() ? ModelReuse.none()
        : new ModelReuse(previous.modelFingerprints(), previous.outputs());
    List<SqlModel> staging = stagingModels.stream().map(m -> m.render(settings.sqlParameters(asOf))).toList();
    List<SqlModel> rebuilt = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (SqlModel model : staging) { // in build order: a model reading a staging table rebuilt here is rebuilt too
      java.util.Set<String> reads = catalog.reads(model.table());
      if (rebuilt.stream().noneMatch(r -> reads.contains(r.table())) && kept(model, reuse)) {
        kept.add(model.table());
      } else {
        rebuilt.add(model);
      }
    }
    long schemasStarted = System.nanoTime();
    checkSourceSchemas(rebuilt, progress);
    progress.accept("source columns checked for " + rebuilt.size() + " staging model(s)" + took(schemasStarted));
    Map<String, Dataset<Row>> touchedRows = new TreeMap<>();
    for (int i = 0; i < staging.size(); i++) {
      SqlModel model = staging.get(i);
      long t0 = System.nanoTime();
      GroupedStaging grouped = GroupedStaging.of(model);
      String whole = grouped == null ? null
          : groupedRefreshProblem(stagingModels.get(i), grouped, incremental, previous, asOf, reuse);
      if (kept.contains(model.table())) {
        countKept(model.table(), rows, progress);
        continue;
      }
      modelFingerprint(model, reuse); // again, with the snapshots of the staging tables it reads as built now
      if (grouped != null && whole == null) {
        List<String> scopeColumns = RefreshScope.columnsRead(catalog, model.table());
        GroupedStaging.Outcome outcome = grouped.recompute(spark, changedRows(grouped, previous), spark.table(model.table()),
            spark.table(REJECTS_TABLE), previous.asOf().equals(asOf) ? null
                : previous.asOf().isBefore(asOf) ? previous.asOf() : asOf, scopeColumns);
        if (outcome.sound()) {
          rejects.add(outcome.previousRejects().select(Arrays.stream(REJECTS_SCHEMA.fieldNames()).map(c -> col(c))
              .toArray(Column[]::new)));
          long merging = System.nanoTime();
          rows.put(model.table(), mergeGroups(model, outcome, rejects));
          if (outcome.touchedRows() != null) {
            touchedRows.put(model.table(), outcome.touchedRows());
          }
          progress.accept(model.table() + ": " + rows.get(model.table()) + " rows, " + outcome.describe()
              + String.format(java.util.Locale.ROOT, ", merged in %.1f s)", (System.nanoTime() - merging) / 1e9) + took(t0));
          continue;
        }
        whole = "a recomputed row fell outside the groups its raw events named";
      }
      rows.put(model.table(), buildStaging(model, rejects));
      progress.accept(model.table() + ": " + rows.get(model.table()) + " rows"
          + (grouped != null && incremental ? ", rebuilt whole (" + whole + ")" : "") + took(t0));
    }
    if (!kept.isEmpty()) { // their rule breaks stand too; read before the table is replaced
      rejects.add(spark.table(REJECTS_TABLE).where(col("model").isin(kept.toArray()))
          .select(Arrays.stream(REJECTS_SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new)).localCheckpoint());
    }
    long t0 = System.nanoTime();
    long rejected = writeRejects(rejects, buildId);
    progress.accept("rejects written" + took(t0));
    progress.accept("staging: " + rows.size() + " tables; " + rejected + " rule breaks listed in " + REJECTS_TABLE + " ("
        + spark.table(REJECTS_TABLE).where("disposition = 'EXCLUDED'").select("model", "record_key").distinct().count()
        + " records excluded from the metrics)");

    t0 = System.nanoTime();
    RefreshScope scope = full ? RefreshScope.full("requested") : previous.problem() != null ? RefreshScope.full(previous.problem())
        : RefreshScope.since(spark, catalog, previous.outputs(), warehouse::currentSnapshotId, previous.asOf(), asOf,
            settings.fillGraceWorkingDays(), touchedRows);
    progress.accept("marts: " + scope.describe() + took(t0));
    buildMarts(rows, progress, asOf, scope, reuse);
    recordBuild(buildId, startedAt, asOf, rawSnapshots, rows, rejected, scope.describe(), reuse.fingerprints());
    return new Result(buildId, asOf, previous.asOf(), rows, rejected, rawSnapshots);
  }

  /** Builds the calendar and every mart from the staging tables, all of them; returns the as-of date. */
  LocalDate buildMarts(Map<String, Long> rows, Consumer<String> progress) {
    LocalDate asOf = asOfDate();
    buildMarts(rows, progress, asOf, RefreshScope.full("requested"), ModelReuse.none());
    return asOf;
  }

  private void buildMarts(Map<String, Long> rows, Consumer<String> progress, LocalDate asOf, RefreshScope scope,
      ModelReuse reuse) {
    ensureRejectsTable();
    Map<String, String> params = settings.sqlParameters(asOf);
    java.util.Set<String> builtInCode = new java.util.HashSet<>();
    for (SqlModel unrendered : catalog.marts()) {
      if (catalog.computedInCode(unrendered.table())) {
        if (!builtInCode.contains(unrendered.table())) {
          builtInCode.addAll(buildInCode(unrendered.table(), rows, progress, asOf, scope, reuse));
        }
        continue;
      }
      long t0 = System.nanoTime();
      SqlModel model = unrendered.render(params);
      if (kept(model, reuse)) {
        countKept(model.table(), rows, progress);
        continue;
      }
      // a table written since the previous build (by a build killed mid-way) is rebuilt whole: its changed months alone
      // would keep that build's other rows
      RefreshScope tableScope = reuse.leftAsRecorded(model.table(), warehouse) ? scope
          : RefreshScope.full(model.table() + " is not as the previous build left it");
      // after the reuse check: the fingerprint holds the model, not this build's months
      Dataset<Row> output = spark.sql(model.inRefreshMonths(tableScope).sql());
      String reshaped = tableScope.isFull() || model.refresh() == SqlModel.Refresh.WHOLE ? null : reshaped(model, output);
      if (reshaped != null) {
        // a newer model's rows cannot replace partitions of a table of another shape: the whole table is replaced
        progress.accept(model.table() + ": rebuilt whole (" + reshaped + ")");
        tableScope = RefreshScope.full(reshaped);
        output = spark.sql(model.inRefreshMonths(tableScope).sql());
      }
      String checked = model.table();
      if (tableScope.isFull() || model.refresh() == SqlModel.Refresh.WHOLE) {
        replace(output, model);
      } else if (!tableScope.months().isEmpty()) {
        Column changed = model.refresh() == SqlModel.Refresh.BY_PERIOD ? tableScope.periods()
            : tableScope.monthsOf("work_date");
        try {
          output.where(changed).writeTo(model.table()).overwrite(changed);
        } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
          throw new IllegalStateException(model.table() + " vanished during the build", e);
        }
        // only the rewritten partitions can break a check; a row moving between months brings both (RefreshScope)
        spark.table(model.table()).where(changed).createOrReplaceTempView("mart_rewritten");
        checked = "mart_rewritten";
      }
      long n = recordsOf(model.table());
      if (tableScope.isFull() || model.refresh() == SqlModel.Refresh.WHOLE || !tableScope.months().isEmpty()) {
        ModelChecks.enforce(spark, model, checked);
      }
      rows.put(model.table(), n);
      progress.accept(model.table() + ": " + n + " rows" + took(t0));
    }
  }

  /**
   * The periods whose scores this build rewrites (a predicate for {@link ScoreMarts#build}): those whose inputs changed
   * since the previous build and the periods after them; null for every period: a full rebuild, another scoring scheme
   * or settings, a score table that is new, written since the previous build or not yet partitioned by period, or
   * inputs that cannot be compared.
   */
  /** The scoring code's fingerprint, computed once per process (it is the same for every build). */
  private static final String SCORING_CODE = ScoreMarts.codeFingerprint();

  private Column rescoredPeriods(RefreshScope scope, ModelReuse reuse, Consumer<String> progress) {
    String whole = scope.isFull() ? "a full rebuild" : null;
    for (ComputedModel scores : ScoreMarts.COMPUTED) {
      String table = scores.model().table();
      String fingerprint = reuse.fingerprint(table, List.of(fingerprint(), scheme.version(), SCORING_CODE));
      if (whole != null) {
        continue; // the fingerprints are still recorded for the next build
      }
      if (!fingerprint.equals(reuse.previous(table))) {
        whole = "the scoring scheme, its code or the metric settings changed";
      } else if (!reuse.leftAsRecorded(table, warehouse)) {
        whole = table + " is not as the previous build left it";
      } else if (warehouse.load(TableIdentifier.parse(table)).spec().isUnpartitioned()) {
        whole = table + " is not yet partitioned by period";
      }
    }
    Column rescored = null;
    if (whole == null) {
      Map<String, Long> before = new TreeMap<>();
      ScoreMarts.COMPUTED.get(0).reads().forEach(input -> before.put(input, reuse.previousOutput(input)));
      Map<String, java.util.SortedSet<String>> periods =
          ScoreMarts.periodsToRescore(spark, before, warehouse::currentSnapshotId);
      if (periods == null) {
        whole = "the score inputs cannot be compared with the previous build's";
      } else {
        rescored = RefreshScope.inPeriods(periods);
        progress.accept("scores: the periods whose inputs changed and the periods after them: "
            + (periods.isEmpty() ? "none" : periods));
      }
    }
    if (whole != null) {
      progress.accept("scores: every period (" + whole + ")");
    }
    return rescored;
  }

  /** Builds a mart computed in code: the calendar, or the scores (the three are computed together); returns the tables built. */
  private java.util.Set<String> buildInCode(String table, Map<String, Long> rows, Consumer<String> progress, LocalDate asOf,
      RefreshScope scope, ModelReuse reuse) {
    if (table.equals(CALENDAR_DAY.model().table())) {
      rows.put(table, buildCalendar(asOf, progress, reuse));
      return java.util.Set.of(table);
    }
    if (ScoreMarts.COMPUTED.stream().noneMatch(c -> c.model().table().equals(table))) {
      throw new IllegalStateException("No code builds " + table);
    }
    long t0 = System.nanoTime();
    Map<String, Long> scored = ScoreMarts.build(spark, scheme, rescoredPeriods(scope, reuse, progress), progress);
    progress.accept("scores computed" + took(t0));
    scored.forEach((scoreTable, n) -> {
      rows.put(scoreTable, n);
      progress.accept(scoreTable + ": " + n + " rows");
    });
    return scored.keySet();
  }

  /** Why {@code model}'s output cannot replace partitions of its table as it stands; null when it can. */
  private String reshaped(SqlModel model, Dataset<Row> output) {
    if (warehouse.load(TableIdentifier.parse(model.table())).spec().isUnpartitioned()) {
      return "the table is not yet partitioned as its model declares";
    }
    return TableShape.fits(output.schema(), spark.table(model.table()).schema()) ? null : "the model's columns changed";
  }

  /** Replaces a mart whole, partitioned so that later builds can rewrite only the changed months or periods. */
  private void replace(Dataset<Row> output, SqlModel model) {
    String partitioning = switch (model.refresh()) {
      case BY_MONTH_OF_WORK_DATE -> " PARTITIONED BY (months(work_date))";
      case BY_PERIOD -> " PARTITIONED BY (period_type, period)";
      case WHOLE -> "";
    };
    output.createOrReplaceTempView("model_output");
    spark.sql("CREATE OR REPLACE TABLE " + model.table() + " USING iceberg" + partitioning
        + " TBLPROPERTIES ('format-version' = '2') AS SELECT * FROM model_output");
  }

  /**
   * The latest recorded build as incremental work needs it: its as-of date, the snapshots it wrote and its
   * models' fingerprints; {@code problem} says why it cannot serve (then everything is rebuilt).
   */
  private record PreviousBuild(LocalDate asOf, Map<String, Long> outputs, Map<String, Long> rawPins,
      Map<String, String> modelFingerprints, String problem) {
    static PreviousBuild unusable(LocalDate asOf, String problem) {
      return new PreviousBuild(asOf, Map.of(), Map.of(), Map.of(), problem);
    }
  }

  private PreviousBuild previousBuild() {
    if (!warehouse.catalog().tableExists(Layer.OPS.table("build_run"))) {
      return PreviousBuild.unusable(null, "first build");
    }
    List<String> columns = List.of(spark.table(BUILD_RUNS_TABLE).columns());
    if (!columns.contains("settings_fingerprint")) {
      return PreviousBuild.unusable(previousAsOfDate(), "the previous build predates incremental refresh");
    }
    List<Row> last = spark.sql("SELECT as_of_date, output_snapshots, settings_fingerprint, "
        + (columns.contains("model_fingerprints") ? "model_fingerprints" : "CAST(NULL AS STRING)") + ", raw_snapshots"
        + " FROM " + BUILD_RUNS_TABLE + " ORDER BY finished_at DESC LIMIT 1").collectAsList();
    LocalDate asOf = last.isEmpty() || last.get(0).isNullAt(0) ? null : last.get(0).getDate(0).toLocalDate();
    if (last.isEmpty() || last.get(0).isNullAt(2) || !fingerprint().equals(last.get(0).getString(2))) {
      return PreviousBuild.unusable(asOf, "metric settings or calendar changed");
    }
    for (SqlModel mart : catalog.marts()) {
      if (!catalog.computedInCode(mart.table()) && !warehouse.catalog().tableExists(TableIdentifier.parse(mart.table()))) {
        return PreviousBuild.unusable(asOf, mart.table() + " does not exist yet");
      }
    }
    Map<String, Long> outputs = new TreeMap<>();
    Map<String, Long> rawPins = new TreeMap<>();
    Map<String, String> fingerprints = new TreeMap<>();
    try {
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      json.readTree(last.get(0).getString(1)).fields()
          .forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asLong()));
      if (!last.get(0).isNullAt(4)) {
        json.readTree(last.get(0).getString(4)).fields().forEachRemaining(e -> rawPins.put(e.getKey(), e.getValue().asLong()));
      }
      if (!last.get(0).isNullAt(3)) {
        json.readTree(last.get(0).getString(3)).fields().forEachRemaining(e -> fingerprints.put(e.getKey(), e.getValue().asText()));
      }
    } catch (java.io.IOException e) {
      return PreviousBuild.unusable(asOf, "the previous build's record is unreadable");
    }
    return new PreviousBuild(asOf, outputs, rawPins, fingerprints, null);
  }

  /**
   * Records and returns a model's fingerprint: settings, rendered SQL, and the current snapshot of every table it
   * reads (for a raw view, the raw snapshot this build pinned and the table's column map).
   */
  private String modelFingerprint(SqlModel model, ModelReuse reuse) {
    List<String> parts = new ArrayList<>(List.of(fingerprint(), model.sql()));
    for (String read : catalog.reads(model.table())) {
      String rawTable = SqlReads.isRawView(read) ? SqlReads.rawTable(read) : null;
      parts.add(read + "=" + (rawTable == null ? warehouse.currentSnapshotId(read) : pinnedRaw.get(rawTable) + " "
          + new TreeMap<>(columnMaps.getOrDefault(rawTable, Map.of()))));
    }
    return reuse.fingerprint(model.table(), parts);
  }

  /** Whether the previous build's table of {@code model} stands as a rebuild would write it. */
  private boolean kept(SqlModel model, ModelReuse reuse) {
    return reuse.keeps(model.table(), modelFingerprint(model, reuse), warehouse.currentSnapshotId(model.table()));
  }

  /** A kept table's rows, for the build's record, and the line saying it was kept. */
  private void countKept(String table, Map<String, Long> rows, Consumer<String> progress) {
    rows.put(table, recordsOf(table));
    progress.accept(table + ": " + rows.get(table) + " rows, kept (its inputs did not change)");
  }

  /** Rows of a table as its current snapshot counts them (no scan). */
  private long recordsOf(String table) {
    Snapshot s = warehouse.load(TableIdentifier.parse(table)).currentSnapshot();
    // a merge deletes by position: the rows its delete files remove are still in the data files' count
    return s == null ? 0 : Long.parseLong(s.summary().getOrDefault("total-records", "0"))
        - Long.parseLong(s.summary().getOrDefault("total-position-deletes", "0"));
  }

  /** Whether {@code ops.rejected_rows} has every column of this code's rejects (the rule breaks of kept models are copied). */
  private boolean rejectsTableCurrent() {
    return warehouse.catalog().tableExists(Layer.OPS.table("rejected_rows"))
        && List.of(spark.table(REJECTS_TABLE).columns()).containsAll(List.of(REJECTS_SCHEMA.fieldNames()));
  }

  /** Settings and calendar the marts depend on: a change means a full rebuild. */
  private String fingerprint() {
    return Integer.toHexString((settings.asOf(null).toString() + calendar.fingerprint()).hashCode());
  }

  /**
   * Stops the build, before anything is written, when a column a staging model reads was dropped,
   * renamed or retyped in its source (see {@link SchemaDrift}); every such change is named at once.
   */
  private void checkSourceSchemas(List<SqlModel> staging, Consumer<String> progress) {
    Map<String, java.util.Set<String>> known = new TreeMap<>();
    currentRefreshes.forEach((raw, refresh) -> {
      if (refresh.rowSchemas() != null) {
        known.put(raw, refresh.rowSchemas());
      }
    });
    SchemaDrift drift = new SchemaDrift(spark, rawSources, known);
    List<String> problems = new ArrayList<>();
    for (SqlModel model : staging) {
      problems.addAll(drift.check(model, progress));
    }
    if (!problems.isEmpty()) {
      throw new SchemaDriftException(String.join("\n", problems));
    }
  }

  /** A source schema change that a staging model cannot read as it is; the message names each change and its fix. */
  public static final class SchemaDriftException extends IllegalStateException {
    SchemaDriftException(String message) {
      super(message);
    }
  }

  /**
   * Pins each raw table's current snapshot, brings its current-state table up to it ({@link CurrentState}; from all
   * raw events when {@code full}) and registers {@code raw_<t>} (the pinned events) and {@code latest_<t>} (the live
   * rows of the current state); returns the pins.
   */
  private Map<String, Long> pinRawInputs(boolean full, Consumer<String> progress) {
    pinnedRaw.clear();
    currentRefreshes.clear();
    CurrentState current = new CurrentState(spark, warehouse);
    for (TableIdentifier id : warehouse.tables(Layer.RAW)) {
      org.apache.iceberg.Table table = warehouse.load(id);
      Snapshot snapshot = table.currentSnapshot();
      if (snapshot == null) {
        continue;
      }
      long t0 = System.nanoTime();
      pinnedRaw.put(id.name(), snapshot.snapshotId());
      Map<String, String> props = table.properties();
      if (props.containsKey(RawChangeTable.SOURCE_PROPERTY)) {
        rawSources.put(id.name(), new SchemaDrift.SourceTable(props.get(RawChangeTable.SOURCE_PROPERTY),
            props.getOrDefault(RawChangeTable.SOURCE_TABLE_PROPERTY, id.name())));
      }
      Map<String, String> columnMap = columnMaps.getOrDefault(id.name(), Map.of());
      CurrentState.Refresh refreshed = current.refresh(id.name(), snapshot.snapshotId(), columnMap,
          catalog.rowImages().of(id.name()), full);
      currentRefreshes.put(id.name(), refreshed);
      ColumnMaps.apply(spark.read().option("versionAsOf", snapshot.snapshotId()).table("raw." + id.name()), columnMap)
          .createOrReplaceTempView("raw_" + id.name());
      current.live(refreshed.table(), refreshed.snapshotId()).createOrReplaceTempView("latest_" + id.name());
      progress.accept(refreshed.describe() + took(t0));
    }
    return java.util.Collections.unmodifiableMap(pinnedRaw);
  }

  /** Empty {@code raw_<t>} and {@code latest_<t>} views for a raw table not captured yet. */
  private void registerEmptyChangeViews(String rawTable) {
    Dataset<Row> none = spark.createDataFrame(List.of(), SparkSchemaUtil.convert(RawChangeTable.SCHEMA));
    none.createOrReplaceTempView("raw_" + rawTable);
    StructType image = catalog.rowImages().of(rawTable);
    (image.isEmpty() ? none : none.withColumn(RowImages.COLUMN, lit(null).cast(image)))
        .createOrReplaceTempView("latest_" + rawTable);
  }

  /**
   * Writes a staging model's rows and routes its verdict: one row in {@code ops.rejected_rows} per rule a row
   * breaks; a row breaking an EXCLUDED rule stays out of staging, a row breaking only FLAGGED rules stays in.
   */
  private long buildStaging(SqlModel model, List<Dataset<Row>> rejects) {
    long n = write(verdicts(spark.sql(RowImages.typed(model).sql()).localCheckpoint(), model, rejects), model.table());
    ModelChecks.enforce(spark, model, model.table());
    return n;
  }

  /** Adds the rule breaks of a staging model's rows to {@code rejects}; returns the rows that stay in staging. */
  private static Dataset<Row> verdicts(Dataset<Row> all, SqlModel model, List<Dataset<Row>> rejects) {
    if (!Arrays.asList(all.columns()).contains(VIOLATIONS)) {
      return all;
    }
    Column[] record = Arrays.stream(all.columns()).filter(c -> !c.equals(VIOLATIONS) && !c.equals(REJECT_CONTEXT))
        .map(c -> col(c)).toArray(Column[]::new);
    rejects.add(all.where(size(col(VIOLATIONS)).gt(0))
        .select(explode(col(VIOLATIONS)).alias("v"), col(REJECT_CONTEXT).alias("at"),
            to_json(struct(model.key().stream().map(k -> col(k)).toArray(Column[]::new))).alias("record_key"),
            to_json(struct(record)).alias("record_json"))
        .select(lit(model.table()).alias("model"), col("record_key"), col("v.rule").alias("rule"),
            col("v.disposition").alias("disposition"), col("v.reason").alias("reason"),
            col("v.offending_values").alias("offending_values"), col("record_json"),
            col("at.event_seq").cast("bigint").alias("source_event_seq"), col("at.source_lsn").cast("bigint").alias("source_lsn"),
            col("at.unit_id").cast("bigint").alias("unit_id"), col("at.month").cast("date").alias("month")));
    return all.where(expr("NOT exists(" + VIOLATIONS + ", v -> v.disposition = 'EXCLUDED')")).select(record);
  }

  /**
   * Why a grouped staging model is rebuilt whole this build rather than by its touched groups; null when it may be
   * refreshed by groups. Records the model's definition (its SQL before the as-of date is filled, the settings and
   * its inputs' column maps) with the build, so that the next build can tell whether only the data moved.
   */
  private String groupedRefreshProblem(SqlModel unrendered, GroupedStaging grouped, boolean incremental, PreviousBuild previous,
      LocalDate asOf, ModelReuse reuse) {
    Map<String, String> params = new java.util.HashMap<>(settings.sqlParameters(asOf));
    params.put("as_of_date", "${as_of_date}");
    SqlModel model = unrendered.render(params);
    List<String> parts = new ArrayList<>(List.of(fingerprint(), model.sql()));
    model.inputs().forEach(input -> parts.add(input + " " + new TreeMap<>(columnMaps.getOrDefault(input, Map.of()))));
    String definitionKey = model.table() + "#definition";
    String definition = reuse.fingerprint(definitionKey, parts);
    if (!incremental) {
      return "full build";
    }
    if (previous.asOf() == null) {
      return "the previous build has no as-of date";
    }
    if (!definition.equals(reuse.previous(definitionKey))) {
      return "its definition changed since the previous build";
    }
    Long written = previous.outputs().get(model.table());
    if (written == null || !written.equals(warehouse.currentSnapshotId(model.table()))) {
      return model.table() + " is not as the previous build left it";
    }
    List<String> drivers = grouped.drivers().stream().map(GroupedStaging.Driver::input).toList();
    for (String read : catalog.reads(model.table())) {
      if (!SqlReads.isRawView(read)) {
        if (!Objects.equals(previous.outputs().get(read), warehouse.currentSnapshotId(read))) {
          return read + " changed";
        }
        continue;
      }
      String rawTable = SqlReads.rawTable(read);
      if (drivers.contains(rawTable) && read.startsWith("latest_")) {
        String problem = changedRawKeysProblem(rawTable, previous);
        if (problem != null) {
          return problem;
        }
      } else if (!Objects.equals(previous.rawPins().get(rawTable), pinnedRaw.get(rawTable))) {
        return rawTable + " changed and does not drive its groups";
      }
    }
    return null;
  }

  /**
   * Why the raw events of {@code rawTable} since the previous build's pin cannot be read incrementally (no pin in
   * either build, its current table rebuilt, a commit other than an append in between); null when they can.
   */
  private String changedRawKeysProblem(String rawTable, PreviousBuild previous) {
    Long before = previous.rawPins().get(rawTable);
    Long now = pinnedRaw.get(rawTable);
    if (before == null || now == null) {
      return rawTable + " was not read by both builds";
    }
    CurrentState.Refresh refreshed = currentRefreshes.get(rawTable);
    if (refreshed != null && refreshed.rebuildReason() != null) {
      return "current." + rawTable + " was rebuilt (" + refreshed.rebuildReason() + ")";
    }
    return CurrentState.appendsBetween(warehouse.load(Layer.RAW.table(rawTable)), before, now);
  }

  /**
   * The raw events of {@code rawTable} since the previous build's pin, its column map applied: an incremental read
   * of raw (see changedRawKeysProblem for when it may be used).
   */
  private Dataset<Row> rawEventsSince(String rawTable, PreviousBuild previous) {
    long before = previous.rawPins().get(rawTable);
    long now = pinnedRaw.get(rawTable);
    return before == now ? spark.table("raw_" + rawTable).limit(0)
        : ColumnMaps.apply(spark.read().option("start-snapshot-id", before).option("end-snapshot-id", now)
            .table("raw." + rawTable), columnMaps.getOrDefault(rawTable, Map.of()));
  }

  /** Driver → key_json and after_json of its raw events since the previous build. */
  private Map<String, Dataset<Row>> changedRows(GroupedStaging grouped, PreviousBuild previous) {
    Map<String, Dataset<Row>> changed = new TreeMap<>();
    grouped.drivers().forEach(d -> changed.put(d.input(), rawEventsSince(d.input(), previous).select("key_json", "after_json")));
    return changed;
  }

  /**
   * Merges a grouped model's recomputed rows into its table in one commit: the rows of the touched groups are
   * replaced, a row no longer there (deleted, moved out, now set aside) is deleted; returns the table's rows.
   */
  private long mergeGroups(SqlModel model, GroupedStaging.Outcome outcome, List<Dataset<Row>> rejects) {
    Dataset<Row> kept = verdicts(outcome.rows(), model, rejects);
    // the rows merged in are the only ones that can break the key or a check: the merge matches on the key
    kept.createOrReplaceTempView("grouped_kept");
    ModelChecks.enforce(spark, model, "grouped_kept");
    Column[] dropped = Arrays.stream(kept.schema().fields()).map(f -> model.key().contains(f.name()) ? col(f.name())
        : lit(null).cast(f.dataType()).alias(f.name())).toArray(Column[]::new);
    Column sameKey = model.key().stream().map(k -> outcome.touchedKeys().col(k).equalTo(kept.col(k)))
        .reduce(Column::and).orElseThrow();
    Dataset<Row> gone = outcome.touchedKeys().join(kept, sameKey, "left_anti").select(dropped);
    kept.withColumn("grouped_drop", lit(false)).unionByName(gone.withColumn("grouped_drop", lit(true)))
        .createOrReplaceTempView("grouped_merge");
    MergeOnRead.ensure(spark, warehouse.load(TableIdentifier.parse(model.table())), model.table());
    String on = model.key().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND ")) + " AND "
        + KeyFilter.register(spark, "grouped_merge_may_match", outcome.touchedKeys(), model.key(), "t");
    List<String> columns = List.of(kept.columns());
    spark.sql("MERGE INTO " + model.table() + " t USING grouped_merge s ON " + on
        + " WHEN MATCHED AND s.grouped_drop THEN DELETE"
        + " WHEN MATCHED THEN UPDATE SET " + columns.stream().map(c -> c + " = s." + c).collect(Collectors.joining(", "))
        + " WHEN NOT MATCHED AND NOT s.grouped_drop THEN INSERT (" + String.join(", ", columns) + ") VALUES ("
        + columns.stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")");
    return recordsOf(model.table());
  }

  /** Replaces {@code ops.rejected_rows} with this build's rule breaks (a table of an older build gains the new columns). */
  private long writeRejects(List<Dataset<Row>> rejects, String buildId) {
    Dataset<Row> all = spark.createDataFrame(List.of(), REJECTS_SCHEMA);
    for (Dataset<Row> r : rejects) {
      all = all.unionByName(r);
    }
    all = all.withColumn("build_id", lit(buildId)).withColumn("detected_at", current_timestamp());
    return write(all, REJECTS_TABLE);
  }

  /** The as-of date of the latest recorded build; null before the first. */
  private LocalDate previousAsOfDate() {
    if (!warehouse.catalog().tableExists(Layer.OPS.table("build_run"))) {
      return null;
    }
    Row r = spark.sql("SELECT as_of_date FROM " + BUILD_RUNS_TABLE + " ORDER BY finished_at DESC LIMIT 1").first();
    return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
  }

  /** An empty {@code ops.rejected_rows} when none exists yet (the data-quality mart reads it; marts-only builds in tests). */
  private void ensureRejectsTable() {
    if (!warehouse.catalog().tableExists(Layer.OPS.table("rejected_rows"))) {
      writeRejects(List.of(), "none");
    }
  }

  /**
   * The date the data stands at: configured, or the day of the latest change to any captured work log. After a
   * usable previous build it is read from what that build staged (kept rows and set-aside records) less the logs
   * with new raw events, plus those logs' latest new events (event_seq only grows, so that event is the log's
   * current row), rather than from every current row image.
   */
  private LocalDate rawAsOfDate(PreviousBuild previous) {
    if (settings.asOfDate() != null) {
      return settings.asOfDate();
    }
    String logs = "worklog_work_log";
    // parsed as the typed image column is when a model reads it, else read from the JSON
    boolean typed = DataTypes.TimestampNTZType.equals(catalog.rowImages().type(logs, "updated_at"));
    java.util.function.UnaryOperator<String> updatedAt = json -> typed
        ? "from_json(" + json + ", 'updated_at TIMESTAMP_NTZ').updated_at"
        : "CAST(get_json_object(" + json + ", '$.updated_at') AS TIMESTAMP_NTZ)";
    Long staged = previous == null ? null : previous.outputs().get("staging.work_log");
    String sql;
    if (staged != null && staged.equals(warehouse.currentSnapshotId("staging.work_log"))
        && changedRawKeysProblem(logs, previous) == null) {
      rawEventsSince(logs, previous).createOrReplaceTempView("as_of_events");
      sql = """
          WITH changed AS (
            SELECT from_json(key_json, 'id BIGINT').id AS log_id, max_by(named_struct('op', op, 'after_json', after_json),
                   event_seq) AS last
            FROM as_of_events GROUP BY key_json
          ),
          set_aside AS (
            SELECT from_json(record_json, 'log_id BIGINT, updated_at TIMESTAMP_NTZ') AS r FROM ops.rejected_rows
            WHERE model = 'staging.work_log' AND disposition = 'EXCLUDED'
          )
          SELECT CAST(max(t) AS DATE) FROM (
            SELECT /*+ BROADCAST(c) */ s.updated_at AS t FROM staging.work_log s LEFT ANTI JOIN changed c ON s.log_id = c.log_id
            UNION ALL SELECT /*+ BROADCAST(c) */ a.r.updated_at FROM set_aside a LEFT ANTI JOIN changed c ON a.r.log_id = c.log_id
            UNION ALL SELECT %s FROM changed c WHERE c.last.op <> 'd'
          )""".formatted(updatedAt.apply("c.last.after_json"));
    } else {
      sql = "SELECT CAST(max(" + (typed ? "l." + RowImages.COLUMN + ".updated_at" : updatedAt.apply("l.after_json"))
          + ") AS DATE) FROM latest_worklog_work_log l";
    }
    Row r = spark.sql(sql).first();
    return r.isNullAt(0) ? LocalDate.now() : r.getDate(0).toLocalDate();
  }

  /** The date the data stands at: configured, or the day of the latest change to a work log. */
  private LocalDate asOfDate() {
    if (settings.asOfDate() != null) {
      return settings.asOfDate();
    }
    Row r = spark.sql("SELECT CAST(max(updated_at) AS DATE) FROM staging.work_log").first();
    return r.isNullAt(0) ? LocalDate.now() : r.getDate(0).toLocalDate();
  }

  private long buildCalendar(LocalDate asOf, Consumer<String> progress, ModelReuse reuse) {
    Row range = spark.sql("SELECT min(work_date), max(work_date) FROM staging.work_log").first();
    LocalDate first = range.isNullAt(0) ? asOf : range.getDate(0).toLocalDate();
    LocalDate last = range.isNullAt(1) ? asOf : range.getDate(1).toLocalDate();
    first = first.withDayOfYear(1);
    last = (last.isAfter(asOf) ? last : asOf).withMonth(12).withDayOfMonth(31);
    List<Integer> uncovered = calendar.uncoveredYears(first.getYear(), last.getYear());
    if (!uncovered.isEmpty()) {
      progress.accept("WARNING: the working calendar (" + calendar.origin() + ") has no holiday schedule for "
          + uncovered + ": those years count weekdays only. Add them to the calendar file (calendar.file).");
    }
    List<Row> days = new ArrayList<>();
    int index = 0;
    for (WorkingCalendar.Day d : calendar.days(first, last)) {
      if (d.isWorkingDay()) {
        index++;
      }
      days.add(RowFactory.create(Date.valueOf(d.date()), d.isWorkingDay(), d.kind().name(),
          d.name().isEmpty() ? null : d.name(), index));
    }
    StructType schema = new StructType().add("calendar_date", DataTypes.DateType).add("is_working_day", DataTypes.BooleanType)
        .add("day_kind", DataTypes.StringType).add("holiday_name", DataTypes.StringType)
        .add("working_day_index", DataTypes.IntegerType);
    String fingerprint = reuse.fingerprint("mart.calendar_day", List.of(schema.json(), days.toString()));
    if (reuse.keeps("mart.calendar_day", fingerprint, warehouse.currentSnapshotId("mart.calendar_day"))) {
      return recordsOf("mart.calendar_day");
    }
    return write(spark.createDataFrame(days, schema), "mart.calendar_day");
  }

  private long write(Dataset<Row> df, String table) {
    df.writeTo(table).tableProperty("format-version", "2").createOrReplace();
    return recordsOf(table);
  }

  private void recordBuild(String buildId, java.sql.Timestamp startedAt, LocalDate asOf, Map<String, Long> rawSnapshots,
      Map<String, Long> rows, long rejected, String refreshScope, Map<String, String> modelFingerprints) {
    Map<String, Long> outputs = new TreeMap<>();
    for (String table : rows.keySet()) {
      outputs.put(table, warehouse.currentSnapshotId(table));
    }
    tagSnapshots(buildId, rawSnapshots, outputs); // before the record: a recorded build always has its snapshots kept
    StructType schema = new StructType().add("build_id", DataTypes.StringType).add("started_at", DataTypes.TimestampType)
        .add("finished_at", DataTypes.TimestampType).add("as_of_date", DataTypes.DateType)
        .add("raw_snapshots", DataTypes.StringType).add("output_snapshots", DataTypes.StringType)
        .add("rejected_rows", DataTypes.LongType).add("settings_fingerprint", DataTypes.StringType)
        .add("refresh_scope", DataTypes.StringType).add("model_fingerprints", DataTypes.StringType);
    Row row = RowFactory.create(buildId, startedAt, new java.sql.Timestamp(System.currentTimeMillis()), Date.valueOf(asOf),
        json(rawSnapshots), json(outputs), rejected, fingerprint(), refreshScope, json(modelFingerprints));
    Dataset<Row> df = spark.createDataFrame(List.of(row), schema);
    try {
      if (warehouse.catalog().tableExists(Layer.OPS.table("build_run"))) {
        for (String added : List.of("settings_fingerprint", "refresh_scope", "model_fingerprints")) { // columns newer builds record
          if (!List.of(spark.table(BUILD_RUNS_TABLE).columns()).contains(added)) {
            spark.sql("ALTER TABLE " + BUILD_RUNS_TABLE + " ADD COLUMNS (" + added + " STRING)");
          }
        }
        df.writeTo(BUILD_RUNS_TABLE).append();
      } else {
        df.writeTo(BUILD_RUNS_TABLE).tableProperty("format-version", "2").create();
      }
    } catch (org.apache.spark.sql.AnalysisException e) {
      throw new IllegalStateException("Cannot record the build in " + BUILD_RUNS_TABLE + ": " + e.getMessage(), e);
    }
    LOG.info("build {} recorded in {}", buildId, BUILD_RUNS_TABLE);
  }

  /** Tags the raw snapshots the build read and the snapshots it wrote, so expiry keeps them (see SnapshotTags). */
  private void tagSnapshots(String buildId, Map<String, Long> rawSnapshots, Map<String, Long> outputs) {
    Map<TableIdentifier, Long> snapshots = new LinkedHashMap<>();
    rawSnapshots.forEach((table, id) -> snapshots.put(Layer.RAW.table(table), id));
    outputs.forEach((table, id) -> snapshots.put(TableIdentifier.parse(table), id));
    SnapshotTags.tag(warehouse, SnapshotTags.ofBuild(buildId), snapshots);
  }

  /** The time since {@code startNanos}, for progress lines: where a build's time goes. */
  private static String took(long startNanos) {
    return String.format(java.util.Locale.ROOT, " (%.1f s)", (System.nanoTime() - startNanos) / 1e9);
  }

  private static String json(Map<String, ?> m) {
    return m.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + (e.getValue() instanceof String v ? "\"" + v + "\"" : e.getValue()))
        .collect(Collectors.joining(",", "{", "}"));
  }
}
