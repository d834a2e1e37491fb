package org.kaoping.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.SnapshotUtil;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Which models a build may leave as the previous build wrote them.
 *
 * <p>A model's fingerprint hashes what its output depends on: its rendered SQL (metric parameters and the
 * as-of date included), the settings fingerprint, and the snapshot of every table it reads. When the
 * fingerprint equals the one the previous build recorded and the table still stands at the snapshot that
 * build wrote, rebuilding it would write the same rows, so the build keeps it: a change in one source table
 * rebuilds only the models downstream of it. What a model reads comes from the {@link ModelCatalog}.
 */
final class ModelReuse {
  private final Map<String, String> previousFingerprints;
  private final Map<String, Long> previousOutputs;
  private final Map<String, String> fingerprints = new TreeMap<>();

  /**
   * @param previousFingerprints table → fingerprint the previous build recorded (empty: keep nothing)
   * @param previousOutputs      table → snapshot id the previous build wrote
   */
  ModelReuse(Map<String, String> previousFingerprints, Map<String, Long> previousOutputs) {
    this.previousFingerprints = Map.copyOf(previousFingerprints);
    this.previousOutputs = new TreeMap<>(previousOutputs);
  }

  /** Keeps nothing (no usable previous build, or a full rebuild); still records this build's fingerprints. */
  static ModelReuse none() {
    return new ModelReuse(Map.of(), Map.of());
  }

  /** Records and returns the fingerprint of {@code table} made of {@code parts} (order matters). */
  String fingerprint(String table, List<String> parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      String fingerprint = HexFormat.of().formatHex(sha.digest());
      fingerprints.put(table, fingerprint);
      return fingerprint;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** Whether the previous build's {@code table} stands as it would be rebuilt: same fingerprint, untouched since. */
  boolean keeps(String table, String fingerprint, Long currentSnapshot) {
    return currentSnapshot != null && fingerprint.equals(previousFingerprints.get(table))
        && Objects.equals(previousOutputs.get(table), currentSnapshot);
  }

  /**
   * Whether {@code table} stands as the previous build left it: at the snapshot it recorded, or one that follows it by
   * compactions only ({@code kaoping maintain}); false when another run (say a build killed mid-way) wrote it since.
   */
  boolean leftAsRecorded(String table, WarehouseCatalog warehouse) {
    Long recorded = previousOutputs.get(table);
    Long current = warehouse.currentSnapshotId(table);
    if (recorded == null || current == null || recorded.equals(current)) {
      return recorded != null && recorded.equals(current);
    }
    Table t = warehouse.load(TableIdentifier.parse(table));
    if (t.snapshot(recorded) == null || !SnapshotUtil.isAncestorOf(t, current, recorded)) {
      return false;
    }
    for (Snapshot s : SnapshotUtil.ancestorsBetween(t, current, recorded)) {
      if (!DataOperations.REPLACE.equals(s.operation())) {
        return false;
      }
    }
    return true;
  }

  /** The snapshot of {@code table} the previous build wrote; null if none. */
  Long previousOutput(String table) {
    return previousOutputs.get(table);
  }

  /** The fingerprint the previous build recorded under {@code name}; null if none. */
  String previous(String name) {
    return previousFingerprints.get(name);
  }

  /** This build's fingerprints, table → fingerprint, to record with the build. */
  Map<String, String> fingerprints() {
    return fingerprints;
  }
}
