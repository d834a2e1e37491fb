package org.kaoping.delivery.serving;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The serving partitions whose rows may differ between two snapshots of an Iceberg table, read from the files the
 * snapshots in between added and removed (manifests only, no data read).
 */
final class ChangedPartitions {
  private ChangedPartitions() {}

  /**
   * Labels of the partitions written between snapshot {@code from} and snapshot {@code to} of {@code table}; empty when
   * that cannot be told (either snapshot gone, {@code from} not an ancestor of {@code to} as after a replaced table, or a
   * file whose Iceberg partition is not one serving partition), and then every partition must be treated as changed.
   */
  static Optional<Set<String>> between(Table table, long from, long to, PartitionKind kind) {
    if (table.snapshot(from) == null || table.snapshot(to) == null || !SnapshotUtil.isAncestorOf(table, to, from)) {
      return Optional.empty();
    }
    Set<String> labels = new TreeSet<>();
    for (Snapshot s : SnapshotUtil.ancestorsBetween(table, to, from)) {
      SnapshotChanges changes = SnapshotChanges.builderFor(table).snapshot(s).build();
      for (Iterable<? extends ContentFile<?>> files : List.<Iterable<? extends ContentFile<?>>>of(changes.addedDataFiles(),
          changes.removedDataFiles(), changes.addedDeleteFiles(), changes.removedDeleteFiles())) {
        for (ContentFile<?> f : files) {
          Optional<String> label = kind.labelOf(table.specs().get(f.specId()), f.partition());
          if (label.isEmpty()) {
            return Optional.empty();
          }
          labels.add(label.get());
        }
      }
    }
    return Optional.of(labels);
  }
}
