package org.kaoping.ingestion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.WarehouseCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.engine.DebeziumEngine;

/**
 * Makes sure a table added to a captured schema after the initial snapshot is snapshotted once, so
 * none of the rows written before the capture knew it is missed.
 *
 * <p>A source table counts as captured once its raw table exists (created empty for an empty table).
 * When a resumed run finds an uncaptured table, Debezium's {@code filtered} publication mode adds it
 * to the publication as the engine starts (so its changes stream from then on), and this class asks
 * the running engine for a <em>blocking</em> snapshot of it through the in-process signal channel.
 * Why blocking and in-process: an incremental snapshot of PostgreSQL needs a signalling table in the
 * source that the connector writes watermarks to (write privileges and DDL on the source), while a
 * blocking snapshot pauses streaming, reads the table with the connector's own connection and resumes
 * streaming where it paused; its records carry the paused stream's offset, so the batch that ends
 * with the snapshot's last record is checkpointed like any other (ChangeHandler buffers a snapshot
 * until its "last" record and commits it whole: exactly once, and a crash mid-way redoes it).
 *
 * <p>Tables created while a capture runs are picked up at its next start: PostgreSQL adds a table
 * to the publication only when the engine (re)starts.
 */
final class NewTableSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(NewTableSnapshots.class);
  /** How long to wait for the engine to put the new tables into its publication. */
  private static final long PUBLICATION_WAIT_MILLIS = 120_000;
  /** A requested snapshot that sends nothing this long (its table emptied meanwhile) is left to the next run. */
  private static final long QUIET_SNAPSHOT_GIVE_UP_MILLIS = 120_000;

  private final WarehouseCatalog warehouse;
  private final SourceConnection source;
  private final Consumer<String> progress;
  private final boolean initialSnapshot;
  /** Source tables ({@code schema.table}) in the captured schemas when the run started. */
  private final List<String> sourceTables;
  /** Those of them not captured yet (resumed runs only). */
  private final List<String> uncaptured;
  private volatile boolean signalling;
  private volatile List<String> requested = List.of();
  private volatile List<String> empty = List.of();
  private volatile long snapshotsBefore;
  private volatile long signalledAt;
  private volatile boolean gaveUp;
  private boolean reported;
  private volatile ChangeHandler handler;

  private NewTableSnapshots(WarehouseCatalog warehouse, SourceConnection source, Consumer<String> progress,
      boolean initialSnapshot, List<String> sourceTables, List<String> uncaptured) {
    this.warehouse = warehouse;
    this.source = source;
    this.progress = progress;
    this.initialSnapshot = initialSnapshot;
    this.sourceTables = sourceTables;
    this.uncaptured = uncaptured;
  }

  /** Lists the source's tables and finds those never captured; {@code start} null means the initial snapshot. */
  static NewTableSnapshots detect(WarehouseCatalog warehouse, SourceConnection source, Checkpoint start,
      Consumer<String> progress) {
    List<String> tables = sourceTables(source);
    if (start == null) {
      return new NewTableSnapshots(warehouse, source, progress, true, tables, List.of());
    }
    Set<String> captured = capturedTables(warehouse, source.name());
    List<String> missing = tables.stream().filter(t -> !captured.contains(t)).toList();
    if (!missing.isEmpty()) {
      progress.accept(source.name() + ": table(s) never captured before: " + String.join(", ", missing)
          + "; they will be snapshotted once streaming resumes");
    }
    return new NewTableSnapshots(warehouse, source, progress, false, tables, missing);
  }

  /** Enables the in-process signal channel when a snapshot will be asked for. */
  void configure(Properties connectorProperties) {
    if (!uncaptured.isEmpty()) {
      connectorProperties.setProperty("signal.enabled.channels", "in-process");
      connectorProperties.setProperty("signal.poll.interval.ms", "500");
    }
  }

  /**
   * Once the engine runs: waits until its publication includes the new tables, then signals a
   * blocking snapshot of those that hold rows (an empty one needs none: its rows will stream).
   */
  void begin(DebeziumEngine<?> engine, ChangeHandler handler, String publication) {
    this.handler = handler;
    // Recorded the moment a snapshot is committed: a run killed later must not take its tables for new ones.
    handler.onSnapshotCommitted = this::recordCaptured;
    if (uncaptured.isEmpty()) {
      return;
    }
    signalling = true;
    Thread t = new Thread(() -> {
      try {
        signal(engine, publication);
      } catch (RuntimeException | SQLException e) {
        progress.accept(source.name() + ": could not ask for a snapshot of " + String.join(", ", uncaptured) + ": "
            + e.getMessage() + "; the next run tries again");
        LOG.warn("snapshot signal failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        signalling = false;
      }
    }, "snapshot-signal-" + source.name());
    t.setDaemon(true);
    t.start();
  }

  private void signal(DebeziumEngine<?> engine, String publication) throws SQLException, InterruptedException {
    try (Connection c = source.connect()) {
      long deadline = System.currentTimeMillis() + PUBLICATION_WAIT_MILLIS;
      Set<String> published = published(c, publication);
      while (!published.containsAll(uncaptured)) {
        if (System.currentTimeMillis() > deadline) {
          List<String> absent = uncaptured.stream().filter(t -> !published.contains(t)).toList();
          throw new IllegalStateException("publication " + publication + " does not include " + absent
              + " (with publication.autocreate.mode other than filtered, add them: ALTER PUBLICATION " + publication
              + " ADD TABLE ...)");
        }
        Thread.sleep(200);
        published.clear();
        published.addAll(published(c, publication));
      }
      // Rows committed before this check are in the snapshot; later ones stream (the table is published now).
      List<String> withRows = new ArrayList<>();
      List<String> withoutRows = new ArrayList<>();
      for (String table : uncaptured) {
        (hasRows(c, table) ? withRows : withoutRows).add(table);
      }
      empty = List.copyOf(withoutRows);
      if (withRows.isEmpty()) {
        return;
      }
      // Until its snapshot is committed, a streamed event must not make the table look captured.
      for (String table : withRows) {
        RawChangeTable.open(warehouse, source.name(), table).updateProperties()
            .set(RawChangeTable.SNAPSHOT_PENDING_PROPERTY, "true").commit();
      }
      // Debezium reads these as regular expressions; a plain schema.table matches itself (its dot matches a dot).
      String collections = withRows.stream().map(t -> "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
          .collect(Collectors.joining(","));
      DebeziumEngine.Signal signal = new DebeziumEngine.Signal(UUID.randomUUID().toString(), "execute-snapshot",
          "{\"data-collections\":[" + collections + "],\"type\":\"blocking\"}", null);
      snapshotsBefore = handler.snapshotsCommitted.get();
      long signalDeadline = System.currentTimeMillis() + PUBLICATION_WAIT_MILLIS;
      while (true) {
        try {
          engine.getSignaler().signal(signal);
          break;
        } catch (RuntimeException e) {
          // Until the connector task has opened its channels the signaler refuses ("channel already closed", "at least one channel")
          if (System.currentTimeMillis() > signalDeadline) {
            throw e;
          }
          Thread.sleep(500);
        }
      }
      signalledAt = System.currentTimeMillis();
      requested = List.copyOf(withRows);
      progress.accept(source.name() + ": asked for a snapshot of " + String.join(", ", withRows));
    }
  }

  /** True while a snapshot this run asked for has not been committed yet: not a moment to stop for idleness. */
  boolean pending() {
    if (signalling) {
      return true;
    }
    if (requested.isEmpty() || gaveUp || handler.snapshotsCommitted.get() > snapshotsBefore) {
      return false;
    }
    if (System.currentTimeMillis() - Math.max(signalledAt, handler.lastActivityMillis.get()) > QUIET_SNAPSHOT_GIVE_UP_MILLIS) {
      gaveUp = true;
      progress.accept(source.name() + ": no snapshot of " + String.join(", ", requested) + " arrived; the next run asks again");
      return false;
    }
    return true;
  }

  /**
   * After the engine stopped: records as captured (by creating their raw tables, empty if need be)
   * the tables the initial snapshot covered, or the new tables whose snapshot was committed.
   */
  void finish() {
    recordCaptured();
  }

  /** Idempotent: creates the raw tables (empty if need be) and clears the pending marks of what was snapshotted. */
  private synchronized void recordCaptured() {
    ChangeHandler h = handler;
    if (h == null) {
      return;
    }
    List<String> done = new ArrayList<>();
    if (initialSnapshot && h.snapshotsCommitted.get() > 0) {
      done.addAll(sourceTables);
    } else if (!initialSnapshot) {
      done.addAll(empty);
      if (!requested.isEmpty() && h.snapshotsCommitted.get() > snapshotsBefore) {
        done.addAll(requested);
        if (!reported) {
          progress.accept(source.name() + ": snapshot of " + String.join(", ", requested) + " committed");
          reported = true;
        }
      }
    }
    for (String table : done) {
      Table raw = RawChangeTable.open(warehouse, source.name(), table);
      if (raw.properties().containsKey(RawChangeTable.SNAPSHOT_PENDING_PROPERTY)) {
        raw.updateProperties().remove(RawChangeTable.SNAPSHOT_PENDING_PROPERTY).commit();
      }
    }
  }

  private static Set<String> capturedTables(WarehouseCatalog warehouse, String source) {
    Set<String> captured = new HashSet<>();
    for (TableIdentifier id : warehouse.tables(WarehouseCatalog.Layer.RAW)) {
      Table table = warehouse.load(id);
      if (!source.equals(table.properties().get(RawChangeTable.SOURCE_PROPERTY))) {
        continue;
      }
      if (table.properties().containsKey(RawChangeTable.SNAPSHOT_PENDING_PROPERTY)) {
        if (!hasSnapshotRows(table)) {
          continue; // asked for, never committed (the run stopped first): ask again
        }
        // committed, but the run stopped before it could clear the mark
        table.updateProperties().remove(RawChangeTable.SNAPSHOT_PENDING_PROPERTY).commit();
      }
      captured.add(table.properties().get(RawChangeTable.SOURCE_TABLE_PROPERTY));
    }
    return captured;
  }

  /** A snapshot lands whole with its checkpoint (uncheckpointed batches are rolled back first), so one row proves it. */
  private static boolean hasSnapshotRows(Table table) {
    try (var rows = org.apache.iceberg.data.IcebergGenerics.read(table)
        .where(org.apache.iceberg.expressions.Expressions.equal("is_snapshot", true)).build()) {
      for (var r : rows) {
        if (Boolean.TRUE.equals(r.getField("is_snapshot"))) {
          return true;
        }
      }
      return false;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Tables of the captured schemas, honouring Debezium table include/exclude lists if configured. */
  static List<String> sourceTables(SourceConnection source) {
    List<String> schemas = List.of(source.schemas().split("\\s*,\\s*"));
    Pattern include = pattern(source.debezium().get("table.include.list"));
    Pattern exclude = pattern(source.debezium().get("table.exclude.list"));
    List<String> tables = new ArrayList<>();
    try (Connection c = source.connect();
         PreparedStatement ps = c.prepareStatement("SELECT table_schema || '.' || table_name FROM information_schema.tables"
             + " WHERE table_type = 'BASE TABLE' AND table_schema = ANY (?) ORDER BY 1")) {
      ps.setArray(1, c.createArrayOf("text", schemas.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String t = rs.getString(1);
          boolean heartbeat = t.equals(source.heartbeatTable()); // Kaoping's own position marker: never captured as data
          if (!heartbeat && (include == null || include.matcher(t).matches())
              && (exclude == null || !exclude.matcher(t).matches())) {
            tables.add(t);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot list the tables of source '" + source.name() + "': " + e.getMessage(), e);
    }
    return tables;
  }

  private static Pattern pattern(String commaSeparatedRegexes) {
    if (commaSeparatedRegexes == null || commaSeparatedRegexes.isBlank()) {
      return null;
    }
    return Pattern.compile(String.join("|", commaSeparatedRegexes.strip().split("\\s*,\\s*")));
  }

  private static Set<String> published(Connection c, String publication) throws SQLException {
    Set<String> tables = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ?")) {
      ps.setString(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    }
    return tables;
  }

  private static boolean hasRows(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM "
        + SourceTableImage.quoted(table) + ")")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
