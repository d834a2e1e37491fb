package org.kaoping.delivery.serving;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;
import org.kaoping.delivery.DatabaseFailure;
import org.kaoping.jobs.BuildRuns;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.SnapshotTags;
import org.kaoping.warehouse.WarehouseCatalog;

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
 * Incremental: Spark computes a row count and an order-independent checksum per partition, only of the partitions
 * that may have changed since the current publication (those the Iceberg snapshots in between wrote; all of a
 * table whose changes cannot be told), reusing the recorded ones of the rest; only partitions whose checksum
 * differs from the current publication's get new row versions, so the tens of millions of work-log facts are not
 * copied again, and publishing the same build twice finds nothing to do (idempotent). Crash-safe: a publish killed
 * before the switch left only invisible rows; the next run first deletes them (rows with {@code pub_from} beyond the
 * current publication, closings beyond it, store tables no publication uses), which a mark written before the
 * first write tells it to look for. Rows closed by an older publication are pruned right after the switch (MVCC
 * keeps them for statements already running).
 *
 * <p>A publication is recorded in the serving database ({@code kaoping.publication}) and in
 * {@code ops.publication} in the warehouse, with the Iceberg snapshot of every table it read, each tagged
 * {@code kaoping-publication-<id>} first, so expiry keeps them (scores can be recomputed by time travel).
 *
 * <p>This class runs the steps in order; each is done by its own class: {@link PublishedTables} (what is published),
 * {@link TableRefresh} with {@link ChangedPartitions} and {@link PartitionChecksums} (what changed) and {@link StoreCopy}
 * (written invisibly, by binary COPY), several tables at a time ({@link TableRefreshes}),
 * {@link VersionedStore} (the store's bookkeeping), {@link ServingRoles} (the reader's role and grants),
 * {@link PublicationSwitch} (the switch) and {@link ViewComments}.
 */
public final class ServingPublisher {
  public static final String SCHEMA = "kaoping";
  public static final String STORE = "kaoping_store";

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

  /**
   * What a run did. {@code published}: false when nothing changed; {@code checksummed}: per table, the partitions whose
   * checksum was computed (the others' were reused from the publication replaced).
   */
  public record Result(long publicationId, boolean published, long rowsWritten, int partitionsWritten,
      Map<String, Set<String>> checksummed, String summary) {}

  /** The serving database refused us (unreachable, credentials, permissions): the message says which key and what to do. */
  public static final class ServingRefused extends RuntimeException {
    public ServingRefused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final SparkSession spark;
  private final WarehouseCatalog warehouse;
  private final ScoringScheme scheme;
  private final Target target;
  private final Consumer<String> progress;
  private final BeforeSwitch beforeSwitch;

  public ServingPublisher(SparkSession spark, WarehouseCatalog warehouse, ScoringScheme scheme, Target target,
      Consumer<String> progress) {
    this(spark, warehouse, scheme, target, progress, BeforeSwitch.NONE);
  }

  /** As the other constructor, calling {@code beforeSwitch} when a publication is ready to switch (tests hold it there). */
  public ServingPublisher(SparkSession spark, WarehouseCatalog warehouse, ScoringScheme scheme, Target target,
      Consumer<String> progress, BeforeSwitch beforeSwitch) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.scheme = scheme;
    this.target = target;
    this.progress = progress;
    this.beforeSwitch = beforeSwitch;
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
    return new ServingRefused(DatabaseFailure.servingSentence(e, target.jdbcUrl(), target.user()), e);
  }

  /**
   * Publishes the latest recorded build. {@code full}: rewrite every partition, even unchanged ones.
   *
   * @throws ServingRefused when the serving database cannot be reached or refuses; nothing visible is changed then
   */
  public Result publish(boolean full) {
    long publishing = System.nanoTime();
    BuildRuns.Build build = BuildRuns.latest(spark, warehouse).orElseThrow(() -> new IllegalStateException(
        "Nothing to publish: no build is recorded in " + BuildRuns.TABLE + ". Run 'kaoping build' first."));
    PublicationLog log = PublicationLog.open(warehouse);
    try (Connection c = connect(target)) {
      VersionedStore store = new VersionedStore(c, progress);
      ServingRoles roles = new ServingRoles(target, progress);
      store.lockExclusive();
      store.prepare(roles);
      long current = store.currentPublication();
      repairOpsRecord(c, log, current);
      store.removeLeftovers(current);

      PublishedTables published = new PublishedTables(spark, warehouse);
      List<PublishedTable> tables = published.read(build.outputSnapshots());
      Map<String, Long> snapshots = published.snapshots(tables, build.outputSnapshots());
      long id = Math.max(current, log.latest().map(PublicationLog.Publication::publicationId).orElse(0L)) + 1;
      store.markUnfinished(id);

      Map<String, String> currentStore = store.storeTables(current);
      Map<String, Map<String, PartitionChecksums.State>> currentParts = store.partStates(current);
      Map<String, Long> currentSnapshots = PublicationTable.read(c, current).map(PublicationLog.Publication::tableSnapshots)
          .orElse(Map.of());
      Map<String, String> newStore = new TreeMap<>();
      Map<String, Map<String, PartitionChecksums.State>> newParts = new TreeMap<>();
      Map<String, Long> rowCounts = new TreeMap<>();
      Map<String, String> checksums = new TreeMap<>();
      Map<String, Set<String>> checksummed = new TreeMap<>();
      List<String> refreshed = new ArrayList<>();
      long rowsWritten = 0;
      int partitionsWritten = 0;
      TableRefresh.Seconds spent = TableRefresh.Seconds.NONE;
      boolean anyChange = full || !build.buildId().equals(PublicationTable.buildOf(c, current));
      long refreshing = System.nanoTime();
      try (TableRefreshes refreshes = new TableRefreshes(tables, t -> new TableRefresh.Previous(currentStore.get(t.name()),
          currentParts.getOrDefault(t.name(), Map.of()), currentSnapshots.get(t.source())), id, full, target, warehouse, progress)) {
        for (int i = 0; i < tables.size(); i++) {
          PublishedTable t = tables.get(i);
          TableRefresh.Outcome o = refreshes.outcome(i);
          newStore.put(t.name(), o.store());
          newParts.put(t.name(), o.parts());
          rowCounts.put(t.source(), o.rows());
          checksums.put(t.source(), o.checksum());
          checksummed.put(t.name(), o.checksummed());
          spent = spent.plus(o.seconds());
          if (o.description() != null) {
            anyChange = true;
            rowsWritten += o.rowsWritten();
            partitionsWritten += o.partitionsWritten();
            refreshed.add(o.description());
          }
          progress.accept(String.format("serving: %s: checksums of %d of %d partition(s)%s; %d changed, %d rows written"
              + " (checksums %.1f s, copy %.1f s at %,.0f rows/s, key %.1f s)", t.name(), o.checksummed().size(), o.parts().size(),
              o.checksummed().size() <= 6 ? " " + o.checksummed() : "", o.partitionsWritten(), o.rowsWritten(),
              o.seconds().checksums(), o.seconds().copy(), o.rowsWritten() / Math.max(o.seconds().copy(), 1e-3), o.seconds().keys()));
        }
      }
      double tableSeconds = (System.nanoTime() - refreshing) / 1e9;
      int partsChecksummed = checksummed.values().stream().mapToInt(Set::size).sum();
      int partsAll = newParts.values().stream().mapToInt(Map::size).sum();
      if (!anyChange) {
        store.clearUnfinished();
        progress.accept("serving: nothing changed since publication " + current + " (build " + shortId(build.buildId())
            + "); the serving database is left as it is");
        return new Result(current, false, 0, 0, checksummed, "nothing changed");
      }
      Map<TableIdentifier, Long> read = new LinkedHashMap<>();
      snapshots.forEach((table, snapshotId) -> read.put(TableIdentifier.parse(table), snapshotId));
      long tagging = System.nanoTime();
      SnapshotTags.retag(warehouse, SnapshotTags.ofPublication(id), read);
      double tagSeconds = (System.nanoTime() - tagging) / 1e9;
      store.writeStates(id, newStore, newParts);
      PublicationLog.Publication record = new PublicationLog.Publication(id, build.buildId(),
          OffsetDateTime.now(ZoneOffset.UTC), build.asOf(), scheme.name(), scheme.version(), scheme.yaml(), snapshots,
          build.rawSnapshots(), rowCounts, checksums, String.join("; ", refreshed));
      beforeSwitch.ready(id);
      long switching = System.nanoTime();
      PublicationSwitch.switchTo(c, roles, record, tables, newStore, currentStore);
      double switchSeconds = (System.nanoTime() - switching) / 1e9;
      log.append(record);
      long pruning = System.nanoTime();
      store.prune(id);
      double pruneSeconds = (System.nanoTime() - pruning) / 1e9;
      progress.accept(String.format("serving: publication %d is live (build %s, %d partition(s), %d rows written) in %.1f s:"
          + " tables %.1f s (checksums %.1f s of %d of %d partitions, copy %.1f s, keys and indexes %.1f s, each summed over"
          + " the tables, %d refreshed at a time), tags %.1f s, switch %.1f s, prune %.1f s", id, shortId(build.buildId()),
          partitionsWritten, rowsWritten, (System.nanoTime() - publishing) / 1e9, tableSeconds, spent.checksums(),
          partsChecksummed, partsAll, spent.copy(), spent.keys(), TableRefreshes.AT_ONCE, tagSeconds, switchSeconds,
          pruneSeconds));
      return new Result(id, true, rowsWritten, partitionsWritten, checksummed, String.join("; ", refreshed));
    } catch (SQLException e) {
      throw refused(target, e);
    }
  }

  /** A publish killed after the switch but before the warehouse record: record it now, from the serving copy. */
  private void repairOpsRecord(Connection c, PublicationLog log, long current) throws SQLException {
    if (current == 0 || log.byId(current).isPresent()) {
      return;
    }
    Optional<PublicationLog.Publication> served = PublicationTable.read(c, current);
    if (served.isPresent()) {
      log.append(served.get());
      progress.accept("serving: recorded publication " + current + " in ops.publication (the run that made it stopped early)");
    }
  }

  private static String shortId(String buildId) {
    return buildId.length() > 8 ? buildId.substring(0, 8) : buildId;
  }
}
