package org.kaoping.delivery.serving;

import static org.apache.spark.sql.functions.lit;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.kaoping.delivery.serving.ServingPublisher.Target;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Brings one published table up to date in the store for a new publication, invisibly: checksums of the partitions
 * that may have changed since the current publication (every partition when Iceberg cannot tell), new row versions for
 * those whose checksum changed, closings for those that changed or went, and the key check. A new store table, or a
 * full publish, copies every row and checksums them in the same pass.
 */
final class TableRefresh {
  /** What the current publication holds of a table: its store table, partition states and snapshot (null, empty, null before the first). */
  record Previous(String store, Map<String, PartitionChecksums.State> parts, Long snapshot) {}

  /**
   * What the refresh of one table found and wrote: {@code checksummed} the partitions whose checksum was computed (the
   * others' recorded ones were reused), the seconds each step took; {@code description} is null when nothing changed.
   */
  record Outcome(String store, Map<String, PartitionChecksums.State> parts, long rows, String checksum, Set<String> checksummed,
      long rowsWritten, int partitionsWritten, Seconds seconds, String description) {}

  /** Where a table's refresh spent its time. */
  record Seconds(double checksums, double copy, double keys) {
    static final Seconds NONE = new Seconds(0, 0, 0);

    Seconds plus(Seconds o) {
      return new Seconds(checksums + o.checksums, copy + o.copy, keys + o.keys);
    }
  }

  private final VersionedStore store;
  private final StoreCopy copy;
  private final WarehouseCatalog warehouse;

  TableRefresh(VersionedStore store, Target target, WarehouseCatalog warehouse) {
    this.store = store;
    this.copy = new StoreCopy(target);
    this.warehouse = warehouse;
  }

  /** Refreshes {@code t} as publication {@code id}; {@code previous} is what the current publication holds of it. */
  Outcome refresh(PublishedTable t, long id, boolean full, Previous previous) throws SQLException {
    PartitionKind kind = PartitionKind.of(List.of(t.data().columns()));
    Dataset<Row> data = t.data().withColumn("pub_part", kind.label());
    String signature = VersionedStore.signature(t);
    boolean newLayout = previous.store() == null || !signature.equals(store.storeSignature(previous.store()));
    return full || newLayout ? rewrite(t, id, data, previous, newLayout, signature) : update(t, id, data, kind, previous);
  }

  /** Copies every row of {@code t} (a new store table, or {@code --full}), checksumming its partitions in the same pass. */
  private Outcome rewrite(PublishedTable t, long id, Dataset<Row> data, Previous previous, boolean newLayout, String signature)
      throws SQLException {
    String storeTable = newLayout ? t.name() + "__" + id : previous.store();
    if (newLayout) {
      store.createStoreTable(storeTable, t, signature);
    } else {
      store.close(storeTable, previous.parts().keySet(), id);
    }
    long started = System.nanoTime();
    Map<String, PartitionChecksums.State> parts = copy.copyWithChecksums(data.withColumn("pub_from", lit(id))
        .withColumn(StoreCopy.ROW_HASH, PartitionChecksums.rowHash(data)), storeTable);
    double copySeconds = seconds(started);
    started = System.nanoTime();
    long n = parts.values().stream().mapToLong(PartitionChecksums.State::rows).sum();
    if (newLayout) {
      store.addKeyAndIndexes(storeTable, t, id);
    } else if (n > 0) {
      store.checkKeyUnique(storeTable, t, id, parts.keySet());
    }
    Set<String> gone = new TreeSet<>(newLayout ? Set.of() : previous.parts().keySet());
    gone.removeAll(parts.keySet());
    if (!newLayout && parts.isEmpty() && gone.isEmpty()) {
      return new Outcome(storeTable, parts, 0, PartitionChecksums.ofTable(parts), Set.of(), 0, 0, Seconds.NONE, null);
    }
    String description = t.name() + ": " + (newLayout && previous.store() != null ? "new layout, " : "")
        + describe(parts.keySet(), gone, n);
    return new Outcome(storeTable, parts, n, PartitionChecksums.ofTable(parts), parts.keySet(), n, parts.size(),
        new Seconds(0, copySeconds, seconds(started)), description);
  }

  /**
   * Brings {@code t}'s store table up to date: checksums of the partitions that may have changed, then new row versions
   * for those whose checksum did, closings for those that changed or went.
   */
  private Outcome update(PublishedTable t, long id, Dataset<Row> data, PartitionKind kind, Previous previous)
      throws SQLException {
    Map<String, PartitionChecksums.State> was = previous.parts();
    long started = System.nanoTime();
    Optional<Set<String>> touched = touchedSince(t, kind, previous);
    Map<String, PartitionChecksums.State> parts = new TreeMap<>(was);
    Set<String> checksummed;
    if (touched.isPresent()) {
      checksummed = touched.get();
      parts.keySet().removeAll(checksummed);
      if (!checksummed.isEmpty()) {
        parts.putAll(PartitionChecksums.of(data.where(kind.within(checksummed))));
      }
    } else {
      parts = PartitionChecksums.of(data);
      checksummed = parts.keySet();
    }
    double checksumSeconds = seconds(started);
    long rows = parts.values().stream().mapToLong(PartitionChecksums.State::rows).sum();
    String checksum = PartitionChecksums.ofTable(parts);

    Set<String> changed = new TreeSet<>();
    parts.forEach((part, state) -> {
      if (!state.equals(was.get(part))) {
        changed.add(part);
      }
    });
    Set<String> gone = new TreeSet<>(was.keySet());
    gone.removeAll(parts.keySet());
    if (changed.isEmpty() && gone.isEmpty()) {
      return new Outcome(previous.store(), parts, rows, checksum, checksummed, 0, 0, new Seconds(checksumSeconds, 0, 0), null);
    }
    Set<String> closing = new TreeSet<>(changed);
    closing.addAll(gone);
    store.close(previous.store(), closing, id);
    started = System.nanoTime();
    long n = changed.isEmpty() ? 0 : copy.copy(data.where(kind.within(changed)).withColumn("pub_from", lit(id)), previous.store());
    double copySeconds = seconds(started);
    started = System.nanoTime();
    if (n > 0) {
      store.checkKeyUnique(previous.store(), t, id, changed);
    }
    return new Outcome(previous.store(), parts, rows, checksum, checksummed, n, changed.size(),
        new Seconds(checksumSeconds, copySeconds, seconds(started)), t.name() + ": " + describe(changed, gone, n));
  }

  private static String describe(Set<String> written, Set<String> gone, long rows) {
    return written.size() + " partition(s)" + (written.size() <= 6 ? " " + written : "")
        + (gone.isEmpty() ? "" : ", " + gone.size() + " removed") + ", " + rows + " rows";
  }

  /**
   * The partitions of {@code t} that may differ from what the current publication holds: none when its snapshot is the
   * one published, those Iceberg's snapshots in between wrote otherwise; empty when that cannot be told.
   */
  private Optional<Set<String>> touchedSince(PublishedTable t, PartitionKind kind, Previous previous) {
    if (t.snapshot() == null || previous.snapshot() == null || previous.parts().isEmpty()) {
      return Optional.empty();
    }
    if (t.snapshot().equals(previous.snapshot())) {
      return Optional.of(Set.of());
    }
    return ChangedPartitions.between(warehouse.load(TableIdentifier.parse(t.source())), previous.snapshot(), t.snapshot(), kind);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
