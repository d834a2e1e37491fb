package org.kaoping.delivery.serving;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.kaoping.delivery.serving.ServingPublisher.Target;

/**
 * Brings one published table up to date in the store for a new publication, invisibly: new row versions for the
 * partitions whose checksum changed (every partition when full, or in a new store table when the layout changed),
 * closings for the partitions that changed or went, and the key check.
 */
final class TableRefresh {
  /**
   * What the refresh of one table found and wrote, and how long its copy took; {@code description} is null when nothing
   * changed.
   */
  record Outcome(String store, Map<String, String[]> parts, long rows, String checksum, long rowsWritten,
      int partitionsWritten, double copySeconds, String description) {}

  private final VersionedStore store;
  private final StoreCopy copy;

  TableRefresh(VersionedStore store, Target target) {
    this.store = store;
    this.copy = new StoreCopy(target);
  }

  /**
   * Refreshes {@code t} as publication {@code id}; {@code currentStore} and {@code before} are what the current
   * publication holds of it (null and empty before the first).
   */
  Outcome refresh(PublishedTable t, long id, long current, boolean full, String currentStore, Map<String, String[]> before)
      throws SQLException {
    Dataset<Row> data = t.data().withColumn("pub_part", PartitionChecksums.partOf(t.data()));
    Map<String, String[]> parts = PartitionChecksums.of(data);
    long rows = parts.values().stream().mapToLong(p -> Long.parseLong(p[0])).sum();
    String checksum = PartitionChecksums.ofTable(parts);
    String signature = VersionedStore.signature(t);
    String storeTable = currentStore;
    boolean newLayout = storeTable == null || !signature.equals(store.storeSignature(storeTable));
    if (newLayout) {
      storeTable = t.name() + "__" + id;
      store.createStoreTable(storeTable, t, signature);
    }
    Map<String, String[]> was = newLayout ? Map.of() : before;
    Set<String> changed = new TreeSet<>();
    parts.forEach((part, state) -> {
      String[] w = was.get(part);
      if (full || w == null || !w[1].equals(state[1]) || !w[0].equals(state[0])) {
        changed.add(part);
      }
    });
    Set<String> gone = new TreeSet<>(was.keySet());
    gone.removeAll(parts.keySet());
    if (changed.isEmpty() && gone.isEmpty() && !newLayout) {
      return new Outcome(storeTable, parts, rows, checksum, 0, 0, 0, null);
    }
    Set<String> closing = new TreeSet<>(changed);
    closing.addAll(gone);
    if (!newLayout) {
      store.close(storeTable, closing, id);
    }
    long copying = System.nanoTime();
    long n = changed.isEmpty() ? 0 : copy(data, storeTable, changed, id);
    double copySeconds = (System.nanoTime() - copying) / 1e9;
    store.checkKeyUnique(storeTable, t, id);
    String description = t.name() + ": " + (newLayout && current > 0 ? "new layout, " : "") + changed.size() + " partition(s)"
        + (changed.size() <= 6 ? " " + changed : "") + (gone.isEmpty() ? "" : ", " + gone.size() + " removed") + ", " + n + " rows";
    return new Outcome(storeTable, parts, rows, checksum, n, changed.size(), copySeconds, description);
  }

  /** Copies the changed partitions' rows with COPY (in parallel, one per Spark partition), as publication {@code id}. */
  private long copy(Dataset<Row> data, String storeTable, Set<String> parts, long id) {
    Dataset<Row> rows = data.where(col("pub_part").isin(parts.toArray())).withColumn("pub_from", lit(id));
    return copy.copy(rows, storeTable);
  }
}
