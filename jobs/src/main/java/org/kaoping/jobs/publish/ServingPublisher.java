package org.kaoping.jobs.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.kaoping.jobs.ReconciliationLog;
import org.kaoping.jobs.SqlModel;
import org.kaoping.jobs.WarehouseBuild;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.SnapshotTags;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseCatalog.Layer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Publishes the latest build's marts and operational tables to the serving PostgreSQL database.
 *
 * <p><b>Layout.</b> Readers query views in schema {@code kaoping} ({@code kaoping.metrics_by_period}, …), each
 * carrying the declared key of its model and a {@code publication_id} column. The rows live in schema
 * {@code kaoping_store}, which only the writer can read: one table per published table (and per column
 * layout: a changed model gets a new store table) with three extra columns, {@code pub_part} (the period,
 * month or year the row belongs to), {@code pub_from} (the publication that wrote it) and {@code pub_to} (the
 * first publication that no longer shows it; null while live). Its primary key is the declared key plus
 * {@code pub_from}; the publish checks that the declared key stays unique among the rows a publication shows.
 * The one-row {@code kaoping_store.current_publication} says which publication the views show.
 *
 * <p><b>Why versioned rows.</b> Atomic: new rows and closed old ones are written beforehand, invisible to the
 * views (their {@code pub_from} is beyond the current publication, and a closed row stays visible until its
 * {@code pub_to} becomes current); the switch is one UPDATE of the pointer, in one transaction with the
 * publication's record and any view whose store table changed. A reader's query sees one publication, never a
 * mix (each statement is one MVCC snapshot; a reader issuing several statements uses REPEATABLE READ).
 * Incremental: Spark computes a row count and an order-independent checksum per partition of every published
 * table; only partitions whose checksum differs from the current publication's get new row versions, so the
 * tens of millions of work-log facts are not copied again, and publishing the same build twice finds nothing
 * to do (idempotent). Crash-safe: a publish killed before the switch left only invisible rows; the next run
 * first deletes them (rows with {@code pub_from} beyond the current publication, closings beyond it, store
 * tables no publication uses). Rows closed by an older publication are pruned right after the switch (MVCC
 * keeps them for statements already running).
 *
 * <p>A publication is recorded in the serving database ({@code kaoping.publication}) and in
 * {@code ops.publication} in the warehouse, with the Iceberg snapshot of every table it read, each tagged
 * {@code kaoping-publication-<id>} first, so expiry keeps them (scores can be recomputed by time travel).
 */
public final class ServingPublisher {
  public static final String SCHEMA = "kaoping";
  public static final String STORE = "kaoping_store";
  /** Test hook: print a line and wait before the switch, so a test can kill the publish at that point. */
  public static final String HOLD_BEFORE_SWITCH = "kaoping.test.hold-publish-before-switch";
  /** Tables whose snapshots every publication records (the scores' inputs, for {@code kaoping reproduce}). */
  static final List<String> SCORE_TABLES = List.of("mart.unit_score_inputs", "mart.person_score_inputs",
      "mart.unit_score_by_period", "mart.person_score_by_period", "mart.score_indicator_points");
  /** Advisory lock key of publishing ("kaoping" in ASCII). */
  private static final long ADVISORY_LOCK = 0x6b616f70696e67L;
  /** Columns never published, whatever a model selects. */
  private static final Set<String> FORBIDDEN_COLUMNS = Set.of("national_id");

  /** Where to publish: the writer's connection and the read-only role to grant. */
  public record Target(String jdbcUrl, String user, String password, String readerRole, String readerPassword) {
    Properties properties() {
      Properties p = new Properties();
      p.setProperty("user", user);
      if (password != null && !password.isEmpty()) {
        p.setProperty("password", password);
      }
      p.setProperty("driver", "org.postgresql.Driver");
      return p;
    }
  }

  /** What a run did. {@code published}: false when nothing changed. */
  public record Result(long publicationId, boolean published, long rowsWritten, int partitionsWritten, String summary) {}

  /** The serving database refused us (unreachable, credentials, permissions): the message says which key and what to do. */
  public static final class ServingRefused extends RuntimeException {
    public ServingRefused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One published table: where it comes from, its name in the serving database, its model. */
  record Published(String source, String name, SqlModel model, Dataset<Row> data) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final WarehouseCatalog warehouse;
  private final ScoringScheme scheme;
  private final Target target;
  private final Consumer<String> progress;

  public ServingPublisher(SparkSession spark, WarehouseCatalog warehouse, ScoringScheme scheme, Target target,
      Consumer<String> progress) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.scheme = scheme;
    this.target = target;
    this.progress = progress;
  }

  /** Opens a connection as the writer, turning a refusal into a sentence that names the key to fix. */
  public static Connection connect(Target target) {
    try {
      return DriverManager.getConnection(target.jdbcUrl(), target.properties());
    } catch (SQLException e) {
      throw refused(target, e);
    }
  }

  static ServingRefused refused(Target target, SQLException e) {
    String msg = switch (DatabaseFailure.kind(e)) {
      case UNREACHABLE -> "Cannot reach the serving database at " + target.jdbcUrl() + " (serving.jdbc-url): " + e.getMessage()
          + ". Check the host, port and database name, and that PostgreSQL accepts connections from here.";
      case CREDENTIALS -> "The serving database refused user '" + target.user() + "' (serving.user, serving.password or the"
          + " environment variable KAOPING_SERVING_PASSWORD): " + e.getMessage() + ". Set the writer's correct credentials.";
      case PERMISSION, NO_DATABASE -> "User '" + target.user() + "' (serving.user) lacks permission in the serving database "
          + target.jdbcUrl() + ": " + e.getMessage() + ". Grant it CONNECT and CREATE on the database (it creates schemas "
          + SCHEMA + " and " + STORE + "), or configure a user that has them. Nothing already published was changed.";
      case OTHER -> "The serving database " + target.jdbcUrl() + " (serving.jdbc-url) failed: " + e.getMessage()
          + ". Nothing already published was changed.";
    };
    return new ServingRefused(msg, e);
  }

  /**
   * Publishes the latest recorded build. {@code full}: rewrite every partition, even unchanged ones.
   *
   * @throws ServingRefused when the serving database cannot be reached or refuses; nothing visible is changed then
   */
  public Result publish(boolean full) {
    Row build = latestBuild();
    String buildId = build.getString(0);
    LocalDate asOf = build.getDate(1).toLocalDate();
    Map<String, Long> outputs = parseLongs(build.getString(2));
    Map<String, Long> raws = parseLongs(build.getString(3));
    PublicationLog log = PublicationLog.open(warehouse);
    try (Connection c = connect(target)) {
      exclusive(c);
      prepareSchemas(c);
      long current = currentPublication(c);
      repairOpsRecord(c, log, current);
      removeLeftovers(c, current);

      List<Published> tables = publishedTables(outputs);
      Map<String, Long> snapshots = snapshotsOf(tables, outputs);
      long id = Math.max(current, log.latest().map(PublicationLog.Publication::publicationId).orElse(0L)) + 1;

      Map<String, String> currentStore = storeTables(c, current);
      Map<String, Map<String, String[]>> currentParts = partStates(c, current);
      Map<String, String> newStore = new TreeMap<>();
      Map<String, Long> rowCounts = new TreeMap<>();
      Map<String, String> checksums = new TreeMap<>();
      List<String> refreshed = new ArrayList<>();
      Map<String, Map<String, String[]>> newParts = new TreeMap<>();
      long rowsWritten = 0;
      int partitionsWritten = 0;
      boolean anyChange = full || !buildId.equals(currentBuild(c, current));
      for (Published t : tables) {
        Dataset<Row> data = t.data().withColumn("pub_part", partOf(t.data()));
        Map<String, String[]> parts = partitionChecksums(data);
        newParts.put(t.name(), parts);
        rowCounts.put(t.source(), parts.values().stream().mapToLong(p -> Long.parseLong(p[0])).sum());
        checksums.put(t.source(), tableChecksum(parts));
        String signature = signature(t);
        String store = currentStore.get(t.name());
        boolean newLayout = store == null || !signature.equals(storeSignature(c, store));
        if (newLayout) {
          store = t.name() + "__" + id;
          createStoreTable(c, store, t, signature);
        }
        newStore.put(t.name(), store);
        Map<String, String[]> before = newLayout ? Map.of() : currentParts.getOrDefault(t.name(), Map.of());
        Set<String> changed = new TreeSet<>();
        parts.forEach((part, state) -> {
          String[] was = before.get(part);
          if (full || was == null || !was[1].equals(state[1]) || !was[0].equals(state[0])) {
            changed.add(part);
          }
        });
        Set<String> gone = new TreeSet<>(before.keySet());
        gone.removeAll(parts.keySet());
        if (changed.isEmpty() && gone.isEmpty() && !newLayout) {
          continue;
        }
        anyChange = true;
        Set<String> closing = new TreeSet<>(changed);
        closing.addAll(gone);
        if (!newLayout) {
          close(c, store, closing, id);
        }
        long n = 0;
        if (!changed.isEmpty()) {
          n = write(data, store, changed, id);
        }
        checkKeyUnique(c, store, t, id);
        rowsWritten += n;
        partitionsWritten += changed.size();
        refreshed.add(t.name() + ": " + (newLayout && current > 0 ? "new layout, " : "") + changed.size() + " partition(s)"
            + (changed.size() <= 6 ? " " + changed : "") + (gone.isEmpty() ? "" : ", " + gone.size() + " removed")
            + ", " + n + " rows");
        progress.accept("serving: " + t.name() + ": " + changed.size() + " changed partition(s), " + n + " rows written");
      }
      if (!anyChange) {
        progress.accept("serving: nothing changed since publication " + current + " (build " + shortId(buildId)
            + "); the serving database is left as it is");
        return new Result(current, false, 0, 0, "nothing changed");
      }
      Map<TableIdentifier, Long> read = new LinkedHashMap<>();
      snapshots.forEach((table, snapshotId) -> read.put(TableIdentifier.parse(table), snapshotId));
      SnapshotTags.retag(warehouse, SnapshotTags.ofPublication(id), read);
      writeStates(c, id, newStore, newParts);
      PublicationLog.Publication record = new PublicationLog.Publication(id, buildId,
          OffsetDateTime.now(ZoneOffset.UTC), asOf, scheme.name(), scheme.version(), scheme.yaml(), snapshots, raws,
          rowCounts, checksums, String.join("; ", refreshed));
      if (Boolean.getBoolean(HOLD_BEFORE_SWITCH)) {
        progress.accept("serving: publication " + id + " is ready to switch (holding)");
        holdForever();
      }
      switchTo(c, record, tables, newStore, currentStore);
      progress.accept("serving: publication " + id + " is live (build " + shortId(buildId) + ", " + partitionsWritten
          + " partition(s), " + rowsWritten + " rows written)");
      log.append(record);
      prune(c, id);
      return new Result(id, true, rowsWritten, partitionsWritten, String.join("; ", refreshed));
    } catch (SQLException e) {
      throw refused(target, e);
    }
  }

  /** One publisher per serving database, whatever Kaoping home it runs from (released when the connection ends). */
  private static void exclusive(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + ADVISORY_LOCK + ")")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new IllegalStateException("Another kaoping publish is writing to this serving database; wait for it to finish.");
      }
    }
  }

  private static void holdForever() {
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while holding", e);
    }
  }

  // ---- what is published

  private Row latestBuild() {
    if (!warehouse.catalog().tableExists(Layer.OPS.table("build_run"))) {
      throw new IllegalStateException("Nothing to publish: no build is recorded in " + WarehouseBuild.BUILD_RUNS_TABLE
          + ". Run 'kaoping build' first.");
    }
    return spark.sql("SELECT build_id, as_of_date, output_snapshots, raw_snapshots FROM " + WarehouseBuild.BUILD_RUNS_TABLE
        + " ORDER BY finished_at DESC LIMIT 1").first();
  }

  /** The marts at the build's snapshots, and the operational tables. */
  List<Published> publishedTables(Map<String, Long> outputs) {
    List<Published> out = new ArrayList<>();
    for (SqlModel m : WarehouseBuild.martModels()) {
      Long snapshot = outputs.get(m.table());
      if (snapshot == null) {
        throw new IllegalStateException("The latest build recorded no snapshot of " + m.table() + ": run 'kaoping build' again.");
      }
      Dataset<Row> data = spark.read().option("versionAsOf", snapshot).table(m.table());
      out.add(new Published(m.table(), m.table().substring(m.table().indexOf('.') + 1), m, data));
    }
    out.add(new Published(WarehouseBuild.BUILD_RUNS_TABLE, "ops_build_run", new SqlModel("ops", "ops.build_run",
        "one row per build of the warehouse", List.of("build_id"), List.of(), List.of(), SqlModel.Refresh.WHOLE, """
        -- raw_snapshots = JSON: raw table → the Iceberg snapshot the build read
        -- output_snapshots = JSON: built table → the Iceberg snapshot the build wrote
        -- refresh_scope = what the build recomputed (full, or the changed months)
        """), spark.table(WarehouseBuild.BUILD_RUNS_TABLE)
            .drop("settings_fingerprint", "model_fingerprints"))); // the build's own bookkeeping, nothing for readers
    out.add(new Published("ops.ingest_checkpoint", "ops_ingestion_lag", new SqlModel("ops", "ops.ingestion_lag",
        "one row per captured source system", List.of("source"), List.of(), List.of(), SqlModel.Refresh.WHOLE, """
        -- last_checkpoint_at = when Kaoping last committed a batch of the source's changes (ops.ingest_checkpoint)
        -- latest_source_commit_at = the source commit time of the newest change captured
        -- capture_lag_seconds = last_checkpoint_at − latest_source_commit_at (null before any streamed change)
        """), ingestionLag().localCheckpoint())); // read once: checksum and copy see the same rows
    out.add(new Published(ReconciliationLog.TABLE.toString(), "ops_reconciliation", new SqlModel("ops", "ops.reconciliation",
        "one row per reconciled source table: its latest kaoping reconcile result", List.of("source_table"), List.of(),
        List.of(), SqlModel.Refresh.WHOLE, """
        -- is_ok = checksums_match and source_rows = staging_rows + excluded_rows (ops.reconciliation, latest run per table)
        """), latestReconciliation()));
    return out;
  }

  /** Each table's latest reconcile result; no rows before the first {@code kaoping reconcile}. */
  private Dataset<Row> latestReconciliation() {
    if (!warehouse.catalog().tableExists(ReconciliationLog.TABLE)) {
      return spark.createDataFrame(List.of(), SparkSchemaUtil.convert(ReconciliationLog.SCHEMA));
    }
    return spark.sql("SELECT *, row_number() OVER (PARTITION BY source_table ORDER BY reconciled_at DESC) AS run_rank FROM "
        + ReconciliationLog.TABLE).where("run_rank = 1").drop("run_rank");
  }

  private Dataset<Row> ingestionLag() {
    List<String> selects = new ArrayList<>();
    for (TableIdentifier raw : warehouse.tables(Layer.RAW)) {
      selects.add("SELECT '" + raw.name() + "' AS raw_table, max(source_committed_at) AS committed_at, count(*) AS events"
          + " FROM raw." + raw.name());
    }
    String rawStats = selects.isEmpty() ? "SELECT CAST(NULL AS STRING) AS raw_table, CAST(NULL AS TIMESTAMP) AS committed_at,"
        + " CAST(0 AS BIGINT) AS events WHERE false" : String.join(" UNION ALL ", selects);
    if (!warehouse.catalog().tableExists(Layer.OPS.table("ingest_checkpoint"))) {
      return spark.sql("SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS TIMESTAMP) AS last_checkpoint_at,"
          + " CAST(0 AS BIGINT) AS batches, CAST(NULL AS TIMESTAMP) AS latest_source_commit_at,"
          + " CAST(0 AS BIGINT) AS events_captured, CAST(NULL AS BIGINT) AS capture_lag_seconds WHERE false");
    }
    return spark.sql("WITH cp AS (SELECT source, max(committed_at) AS last_checkpoint_at, count(*) AS batches"
        + " FROM ops.ingest_checkpoint GROUP BY source), raw AS (" + rawStats + ")"
        + " SELECT cp.source, cp.last_checkpoint_at, cp.batches, max(raw.committed_at) AS latest_source_commit_at,"
        + " coalesce(sum(raw.events), 0) AS events_captured,"
        + " CAST(unix_timestamp(cp.last_checkpoint_at) - unix_timestamp(max(raw.committed_at)) AS BIGINT) AS capture_lag_seconds"
        + " FROM cp LEFT JOIN raw ON raw.raw_table LIKE concat(cp.source, '\\_%')"
        + " GROUP BY cp.source, cp.last_checkpoint_at, cp.batches");
  }

  /** Snapshot of every table read (and the score tables, always), to record and tag. */
  private Map<String, Long> snapshotsOf(List<Published> tables, Map<String, Long> outputs) {
    Map<String, Long> out = new TreeMap<>();
    for (Published t : tables) {
      Long s = outputs.get(t.source());
      out.put(t.source(), s != null ? s : warehouse.currentSnapshotId(t.source()));
    }
    for (String t : SCORE_TABLES) {
      out.putIfAbsent(t, outputs.get(t));
    }
    out.entrySet().removeIf(e -> e.getValue() == null);
    return out;
  }

  /** Partition label: period, month of work, year of the calendar, or one partition for small tables. */
  static Column partOf(Dataset<Row> data) {
    List<String> cols = List.of(data.columns());
    if (cols.contains("period_type") && cols.contains("period")) {
      return org.apache.spark.sql.functions.concat_ws(":", col("period_type"), col("period"));
    }
    if (cols.contains("work_date")) {
      return org.apache.spark.sql.functions.coalesce(org.apache.spark.sql.functions.date_format(col("work_date"), "yyyy-MM"), lit("none"));
    }
    if (cols.contains("calendar_date")) {
      return org.apache.spark.sql.functions.date_format(col("calendar_date"), "yyyy");
    }
    if (cols.contains("month")) {
      return org.apache.spark.sql.functions.coalesce(org.apache.spark.sql.functions.substring(col("month").cast("string"), 1, 7), lit("none"));
    }
    return lit("*");
  }

  /** Per partition: rows and an order-independent checksum (sum of a 64-bit hash of every column and its nullness). */
  private static Map<String, String[]> partitionChecksums(Dataset<Row> data) {
    List<Column> hashed = new ArrayList<>();
    for (String c : data.columns()) {
      if (!c.equals("pub_part")) {
        hashed.add(col(c));
        hashed.add(col(c).isNull());
      }
    }
    Dataset<Row> sums = data.groupBy(col("pub_part")).agg(org.apache.spark.sql.functions.count(lit(1)).alias("n"),
        org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.xxhash64(hashed.toArray(Column[]::new))
            .cast(DataTypes.createDecimalType(38, 0))).alias("h"));
    Map<String, String[]> out = new TreeMap<>();
    for (Row r : sums.collectAsList()) {
      out.put(r.getString(0), new String[] {Long.toString(r.getLong(1)), r.getDecimal(2).toPlainString()});
    }
    return out;
  }

  private static String tableChecksum(Map<String, String[]> parts) {
    StringBuilder text = new StringBuilder();
    parts.forEach((p, s) -> text.append(p).append('=').append(s[0]).append(':').append(s[1]).append('\n'));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- the serving database

  private void prepareSchemas(Connection c) throws SQLException {
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + STORE);
      s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
      s.execute("REVOKE ALL ON SCHEMA " + STORE + " FROM PUBLIC");
      s.execute("CREATE TABLE IF NOT EXISTS " + STORE + ".current_publication (one boolean PRIMARY KEY DEFAULT true CHECK (one),"
          + " publication_id bigint NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS " + STORE + ".store_table (publication_id bigint NOT NULL, name text NOT NULL,"
          + " store_table text NOT NULL, PRIMARY KEY (publication_id, name))");
      s.execute("CREATE TABLE IF NOT EXISTS " + STORE + ".part_state (publication_id bigint NOT NULL, name text NOT NULL,"
          + " part text NOT NULL, row_count bigint NOT NULL, checksum text NOT NULL, PRIMARY KEY (publication_id, name, part))");
      s.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".publication (publication_id bigint PRIMARY KEY, build_id text NOT NULL,"
          + " published_at timestamptz NOT NULL, as_of_date date NOT NULL, scheme_name text NOT NULL, scheme_version text NOT NULL,"
          + " scheme_yaml text NOT NULL, table_snapshots jsonb NOT NULL, raw_snapshots jsonb NOT NULL, row_counts jsonb NOT NULL,"
          + " checksums jsonb NOT NULL, refreshed text)");
      s.execute("COMMENT ON TABLE " + SCHEMA + ".publication IS 'One row per publication of the marts to this database"
          + " (also in ops.publication in the warehouse). key: publication_id. The views of schema kaoping show the latest.'");
      s.execute("COMMENT ON COLUMN " + SCHEMA + ".publication.table_snapshots IS 'warehouse table → Iceberg snapshot id published"
          + " (tagged kaoping-publication-<id>, readable by time travel)'");
      s.execute("COMMENT ON COLUMN " + SCHEMA + ".publication.checksums IS 'warehouse table → SHA-256 over its partitions'' row"
          + " counts and order-independent row-hash sums'");
      grantReader(s);
      s.execute("GRANT SELECT ON " + SCHEMA + ".publication TO " + q(target.readerRole()));
    }
  }

  private void grantReader(Statement s) throws SQLException {
    String reader = q(target.readerRole());
    try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + target.readerRole().replace("'", "''") + "'")) {
      if (!rs.next()) {
        try {
          s.execute("CREATE ROLE " + reader + " LOGIN");
          progress.accept("serving: created the read-only role " + target.readerRole() + " (set its password:"
              + " ALTER ROLE " + target.readerRole() + " PASSWORD '…')");
        } catch (SQLException e) {
          throw new ServingRefused("The read-only role '" + target.readerRole() + "' (serving.reader-user) does not exist and user '"
              + target.user() + "' (serving.user) may not create it: " + e.getMessage() + ". Create the role (CREATE ROLE "
              + target.readerRole() + " LOGIN PASSWORD '…') or grant the writer CREATEROLE.", e);
        }
      }
    }
    if (target.readerPassword() != null && !target.readerPassword().isEmpty()) {
      try {
        s.execute("ALTER ROLE " + reader + " LOGIN PASSWORD " + sqlText(target.readerPassword()));
      } catch (SQLException e) {
        throw new ServingRefused("User '" + target.user() + "' (serving.user) may not set the password of the read-only role '"
            + target.readerRole() + "' (serving.reader-password / KAOPING_SERVING_READER_PASSWORD): " + e.getMessage()
            + ". Unset serving.reader-password and let the DBA set it, or grant the writer CREATEROLE.", e);
      }
    }
    s.execute("GRANT USAGE ON SCHEMA " + SCHEMA + " TO " + reader);
    s.execute("REVOKE CREATE ON SCHEMA " + SCHEMA + " FROM PUBLIC");
  }

  private static long currentPublication(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT publication_id FROM " + STORE + ".current_publication")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static String currentBuild(Connection c, long current) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT build_id FROM " + SCHEMA + ".publication WHERE publication_id = ?")) {
      ps.setLong(1, current);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** A publish killed after the switch but before the warehouse record: record it now, from the serving copy. */
  private void repairOpsRecord(Connection c, PublicationLog log, long current) throws SQLException {
    if (current == 0 || log.byId(current).isPresent()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT build_id, published_at, as_of_date, scheme_name, scheme_version,"
        + " scheme_yaml, table_snapshots::text, raw_snapshots::text, row_counts::text, checksums::text, refreshed FROM "
        + SCHEMA + ".publication WHERE publication_id = ?")) {
      ps.setLong(1, current);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          log.append(new PublicationLog.Publication(current, rs.getString(1), rs.getObject(2, OffsetDateTime.class),
              rs.getObject(3, LocalDate.class), rs.getString(4), rs.getString(5), rs.getString(6), parseLongs(rs.getString(7)),
              parseLongs(rs.getString(8)), parseLongs(rs.getString(9)), parseStrings(rs.getString(10)), rs.getString(11)));
          progress.accept("serving: recorded publication " + current + " in ops.publication (the run that made it stopped early)");
        }
      }
    }
  }

  /** Removes what an unfinished publish left: all of it is invisible to readers. */
  private void removeLeftovers(Connection c, long current) throws SQLException {
    Set<String> live = new TreeSet<>(storeTables(c, current).values());
    Set<String> all = new TreeSet<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '"
        + STORE + "' AND tablename LIKE '%\\_\\_%'")) {
      while (rs.next()) {
        all.add(rs.getString(1));
      }
    }
    int removed = 0;
    try (Statement s = c.createStatement()) {
      for (String t : all) {
        if (!live.contains(t)) {
          s.execute("DROP TABLE " + STORE + "." + q(t));
          removed++;
        } else {
          removed += s.executeUpdate("DELETE FROM " + STORE + "." + q(t) + " WHERE pub_from > " + current) > 0 ? 1 : 0;
          s.executeUpdate("UPDATE " + STORE + "." + q(t) + " SET pub_to = NULL WHERE pub_to > " + current);
        }
      }
      s.executeUpdate("DELETE FROM " + STORE + ".store_table WHERE publication_id > " + current);
      s.executeUpdate("DELETE FROM " + STORE + ".part_state WHERE publication_id > " + current);
    }
    if (removed > 0) {
      progress.accept("serving: removed the leftovers of an unfinished publication (in " + removed + " table(s))");
    }
  }

  private static Map<String, String> storeTables(Connection c, long publication) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, store_table FROM " + STORE + ".store_table WHERE publication_id = ?")) {
      ps.setLong(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  private static Map<String, Map<String, String[]>> partStates(Connection c, long publication) throws SQLException {
    Map<String, Map<String, String[]>> out = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, part, row_count, checksum FROM " + STORE
        + ".part_state WHERE publication_id = ?")) {
      ps.setLong(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .put(rs.getString(2), new String[] {Long.toString(rs.getLong(3)), rs.getString(4)});
        }
      }
    }
    return out;
  }

  private static String signature(Published t) {
    return t.data().schema().fields().length + ":" + java.util.Arrays.stream(t.data().schema().fields())
        .map(f -> f.name() + " " + pgType(f.dataType())).collect(Collectors.joining(",")) + "|key:" + String.join(",", t.model().key());
  }

  private static String storeSignature(Connection c, String store) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT obj_description('" + STORE + "." + q(store)
        + "'::regclass, 'pg_class')")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private void createStoreTable(Connection c, String store, Published t, String signature) throws SQLException {
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + STORE + "." + q(store) + " (");
    for (StructField f : t.data().schema().fields()) {
      if (FORBIDDEN_COLUMNS.contains(f.name())) {
        throw new IllegalStateException(t.source() + " has column " + f.name() + ", which must never leave the warehouse");
      }
      ddl.append(q(f.name())).append(' ').append(pgType(f.dataType())).append(", ");
    }
    ddl.append("pub_part text NOT NULL, pub_from bigint NOT NULL, pub_to bigint, PRIMARY KEY (")
        .append(t.model().key().stream().map(ServingPublisher::q).collect(Collectors.joining(", "))).append(", pub_from))");
    List<String> cols = List.of(t.data().columns());
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + STORE + "." + q(store));
      s.execute(ddl.toString());
      s.execute("COMMENT ON TABLE " + STORE + "." + q(store) + " IS '" + signature.replace("'", "''") + "'");
      s.execute("CREATE INDEX ON " + STORE + "." + q(store) + " (pub_part, pub_from)");
      // the drill-down path: period → unit → section → person → log entries
      String when = cols.contains("period") && cols.contains("period_type") ? "period_type, period, " : "";
      for (String who : List.of("unit_id", "section_id", "staff_id", "entity_id", "reviewer_id")) {
        if (cols.contains(who) && !t.model().key().get(0).equals(who)) {
          String tail = cols.contains("work_date") ? ", work_date" : "";
          s.execute("CREATE INDEX ON " + STORE + "." + q(store) + " (" + when + who + tail + ")");
        }
      }
    }
  }

  private static String pgType(DataType t) {
    if (t instanceof DecimalType d) {
      return "numeric(" + d.precision() + "," + d.scale() + ")";
    }
    if (t.equals(DataTypes.StringType)) return "text";
    if (t.equals(DataTypes.LongType)) return "bigint";
    if (t.equals(DataTypes.IntegerType)) return "integer";
    if (t.equals(DataTypes.ShortType)) return "smallint";
    if (t.equals(DataTypes.DoubleType)) return "double precision";
    if (t.equals(DataTypes.FloatType)) return "real";
    if (t.equals(DataTypes.BooleanType)) return "boolean";
    if (t.equals(DataTypes.DateType)) return "date";
    if (t.equals(DataTypes.TimestampType)) return "timestamptz";
    if (t.equals(DataTypes.TimestampNTZType)) return "timestamp";
    throw new IllegalStateException("No serving type for Spark type " + t);
  }

  /** Marks the live rows of these partitions as not shown from publication {@code id} on. */
  private static void close(Connection c, String store, Set<String> parts, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + STORE + "." + q(store) + " SET pub_to = ? WHERE pub_to IS NULL"
        + " AND pub_part = ANY (?)")) {
      ps.setLong(1, id);
      ps.setArray(2, c.createArrayOf("text", parts.toArray()));
      ps.executeUpdate();
    }
  }

  /** Copies the changed partitions' rows with Spark's JDBC writer (in parallel, batched), as publication {@code id}. */
  private long write(Dataset<Row> data, String store, Set<String> parts, long id) {
    Dataset<Row> rows = data.where(col("pub_part").isin(parts.toArray())).withColumn("pub_from", lit(id))
        .withColumn("pub_to", lit(null).cast(DataTypes.LongType)).localCheckpoint();
    Properties p = target.properties();
    p.setProperty("batchsize", "5000");
    p.setProperty("reWriteBatchedInserts", "true");
    rows.write().mode(SaveMode.Append).jdbc(target.jdbcUrl(), STORE + "." + q(store), p);
    return rows.count();
  }

  /** The declared key must be unique among the rows publication {@code id} shows. */
  private static void checkKeyUnique(Connection c, String store, Published t, long id) throws SQLException {
    String key = t.model().key().stream().map(ServingPublisher::q).collect(Collectors.joining(", "));
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + key + " FROM " + STORE + "." + q(store)
        + " WHERE pub_from <= " + id + " AND (pub_to IS NULL OR pub_to > " + id + ") AND (" + key + ") IN (SELECT " + key
        + " FROM " + STORE + "." + q(store) + " WHERE pub_from = " + id + ") GROUP BY " + key + " HAVING count(*) > 1 LIMIT 1")) {
      if (rs.next()) {
        throw new IllegalStateException(t.source() + ": key (" + String.join(", ", t.model().key()) + ") = " + rs.getString(1)
            + " would appear twice in the serving database; the publication was not switched to.");
      }
    }
  }

  private static void writeStates(Connection c, long id, Map<String, String> stores, Map<String, Map<String, String[]>> parts)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO " + STORE + ".store_table VALUES (?, ?, ?)");
         PreparedStatement ps = c.prepareStatement("INSERT INTO " + STORE + ".part_state VALUES (?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, String> e : stores.entrySet()) {
        st.setLong(1, id);
        st.setString(2, e.getKey());
        st.setString(3, e.getValue());
        st.addBatch();
      }
      st.executeBatch();
      for (Map.Entry<String, Map<String, String[]>> e : parts.entrySet()) {
        for (Map.Entry<String, String[]> p : e.getValue().entrySet()) {
          ps.setLong(1, id);
          ps.setString(2, e.getKey());
          ps.setString(3, p.getKey());
          ps.setLong(4, Long.parseLong(p.getValue()[0]));
          ps.setString(5, p.getValue()[1]);
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** The switch: pointer, record and any re-pointed view, in one transaction. */
  private void switchTo(Connection c, PublicationLog.Publication p, List<Published> tables, Map<String, String> newStore,
      Map<String, String> currentStore) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement();
         PreparedStatement rec = c.prepareStatement("INSERT INTO " + SCHEMA + ".publication VALUES (?, ?, ?, ?, ?, ?, ?,"
             + " ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?)")) {
      s.execute("SET LOCAL lock_timeout = '60s'");
      for (String retired : currentStore.keySet()) {
        if (!newStore.containsKey(retired)) { // a table no longer published: its view goes with the switch
          s.execute("DROP VIEW IF EXISTS " + SCHEMA + "." + q(retired));
        }
      }
      for (Published t : tables) {
        if (!newStore.get(t.name()).equals(currentStore.get(t.name()))) {
          createView(s, t, newStore.get(t.name()));
        }
      }
      rec.setLong(1, p.publicationId());
      rec.setString(2, p.buildId());
      rec.setObject(3, p.publishedAt());
      rec.setObject(4, p.asOfDate());
      rec.setString(5, p.schemeName());
      rec.setString(6, p.schemeVersion());
      rec.setString(7, p.schemeYaml());
      rec.setString(8, JSON.writeValueAsString(p.tableSnapshots()));
      rec.setString(9, JSON.writeValueAsString(p.rawSnapshots()));
      rec.setString(10, JSON.writeValueAsString(p.rowCounts()));
      rec.setString(11, JSON.writeValueAsString(p.checksums()));
      rec.setString(12, p.refreshed());
      rec.executeUpdate();
      s.execute("INSERT INTO " + STORE + ".current_publication VALUES (true, " + p.publicationId()
          + ") ON CONFLICT (one) DO UPDATE SET publication_id = excluded.publication_id");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      c.rollback();
      throw new IllegalStateException(e);
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void createView(Statement s, Published t, String store) throws SQLException {
    String cols = java.util.Arrays.stream(t.data().columns()).map(x -> "t." + q(x)).collect(Collectors.joining(", "));
    String view = SCHEMA + "." + q(t.name());
    s.execute("DROP VIEW IF EXISTS " + view);
    s.execute("CREATE VIEW " + view + " AS SELECT " + cols + ", c.publication_id FROM " + STORE + "." + q(store) + " t CROSS JOIN "
        + STORE + ".current_publication c WHERE t.pub_from <= c.publication_id AND (t.pub_to IS NULL OR t.pub_to > c.publication_id)");
    s.execute("GRANT SELECT ON " + view + " TO " + q(target.readerRole()));
    s.execute("COMMENT ON VIEW " + view + " IS " + sqlText(t.model().grain().substring(0, 1).toUpperCase() + t.model().grain().substring(1)
        + ". Key: " + String.join(", ", t.model().key()) + ". From " + t.source() + " in the warehouse"
        + (t.model().resource().endsWith(".sql") ? " (model " + t.model().resource() + ")" : "") + "."));
    Map<String, String> docs = columnDocs(t.model().sql());
    for (String column : t.data().columns()) {
      String doc = docs.get(column);
      if (doc == null && t.model().key().contains(column)) {
        doc = "Part of the key (" + String.join(", ", t.model().key()) + ").";
      }
      if (doc != null) {
        s.execute("COMMENT ON COLUMN " + view + "." + q(column) + " IS " + sqlText(doc));
      }
    }
    s.execute("COMMENT ON COLUMN " + view + ".publication_id IS 'The publication these rows belong to (kaoping.publication)'");
  }

  private static final Pattern DOC_LINE = Pattern.compile("^--\\s{0,3}([a-z_][a-z0-9_]*(?:\\s*/\\s*[a-z_][a-z0-9_]*)?)\\s*=\\s*(.+)$");
  private static final Pattern CONTINUATION = Pattern.compile("^--\\s{4,}(.+)$");

  /** Column formulas from a model's header ({@code -- column = formula}, indented lines continue it). */
  static Map<String, String> columnDocs(String sql) {
    Map<String, String> docs = new LinkedHashMap<>();
    List<String> names = null;
    for (String line : sql.split("\n")) {
      String l = line.strip();
      if (!l.startsWith("--")) {
        if (!l.isEmpty()) {
          break; // the header ends at the first SQL line
        }
        continue;
      }
      Matcher m = DOC_LINE.matcher(l);
      Matcher cont = CONTINUATION.matcher(l);
      if (m.matches()) {
        names = List.of(m.group(1).split("\\s*/\\s*"));
        for (String n : names) {
          docs.put(n, m.group(1) + " = " + m.group(2).strip());
        }
      } else if (cont.matches() && names != null) {
        for (String n : names) {
          docs.put(n, docs.get(n) + " " + cont.group(1).strip());
        }
      } else {
        names = null;
      }
    }
    return docs;
  }

  /** Deletes rows and states no publication from {@code id} on shows, and store tables no longer used. */
  private void prune(Connection c, long id) throws SQLException {
    Set<String> live = new TreeSet<>(storeTables(c, id).values());
    try (Statement s = c.createStatement()) {
      for (String t : live) {
        s.executeUpdate("DELETE FROM " + STORE + "." + q(t) + " WHERE pub_to <= " + id);
      }
      s.executeUpdate("DELETE FROM " + STORE + ".store_table WHERE publication_id < " + id);
      s.executeUpdate("DELETE FROM " + STORE + ".part_state WHERE publication_id < " + id);
    }
    removeLeftovers(c, id);
  }

  private static String q(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String sqlText(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static String shortId(String buildId) {
    return buildId.length() > 8 ? buildId.substring(0, 8) : buildId;
  }

  private static Map<String, Long> parseLongs(String json) {
    Map<String, Long> out = new TreeMap<>();
    try {
      JsonNode n = JSON.readTree(json);
      n.fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          out.put(e.getKey(), e.getValue().asLong());
        }
      });
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Unreadable snapshot JSON: " + json, e);
    }
    return out;
  }

  private static Map<String, String> parseStrings(String json) {
    Map<String, String> out = new TreeMap<>();
    try {
      JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Unreadable checksum JSON: " + json, e);
    }
    return out;
  }
}
