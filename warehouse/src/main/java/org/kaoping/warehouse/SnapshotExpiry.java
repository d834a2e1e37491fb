package org.kaoping.warehouse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;

/**
 * Expires the snapshots of a table that no reader can still be on and nobody may ask for again: a
 * snapshot goes only if it is not current, not tagged or on a branch, not among the newest
 * {@code keep}, and was superseded (a newer snapshot committed) at least {@code retention} ago. So a
 * reader that started on a snapshot while it was current has {@code retention} to finish, however
 * old the snapshot itself is. The files only expired snapshots referenced are deleted.
 */
public final class SnapshotExpiry {
  /** What an expiry did. */
  public record Result(int snapshotsExpired, int filesDeleted, long bytesDeleted) {}

  private SnapshotExpiry() {}

  /** Expires what the rule above allows at {@code nowMillis}; a table with nothing to expire is not committed to. */
  public static Result expire(Table table, Duration retention, int keep, long nowMillis) {
    table.refresh();
    List<Long> expired = expirable(table, retention, keep, nowMillis);
    if (expired.isEmpty()) {
      return new Result(0, 0, 0);
    }
    AtomicInteger files = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    // expireOlderThan(0): Iceberg's own age rule keeps everything, only the snapshots chosen here go
    ExpireSnapshots expire = table.expireSnapshots().expireOlderThan(0).deleteWith(path -> {
      bytes.addAndGet(length(table, path));
      table.io().deleteFile(path);
      files.incrementAndGet();
    });
    expired.forEach(expire::expireSnapshotId);
    expire.commit();
    return new Result(expired.size(), files.get(), bytes.get());
  }

  /** The snapshot ids the rule allows to expire, oldest first. */
  static List<Long> expirable(Table table, Duration retention, int keep, long nowMillis) {
    List<Snapshot> byCommit = new ArrayList<>();
    table.snapshots().forEach(byCommit::add);
    byCommit.sort(Comparator.comparingLong(Snapshot::sequenceNumber).thenComparingLong(Snapshot::timestampMillis));
    Set<Long> referenced = new HashSet<>();
    for (SnapshotRef ref : table.refs().values()) {
      referenced.add(ref.snapshotId()); // main (the current snapshot), branches' heads and tags
    }
    long cutoff = nowMillis - retention.toMillis();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < byCommit.size() - Math.max(1, keep); i++) {
      Snapshot s = byCommit.get(i);
      long supersededAt = byCommit.get(i + 1).timestampMillis();
      if (!referenced.contains(s.snapshotId()) && supersededAt <= cutoff) {
        ids.add(s.snapshotId());
      }
    }
    return ids;
  }

  private static long length(Table table, String path) {
    try {
      return table.io().newInputFile(path).getLength();
    } catch (RuntimeException e) {
      return 0; // already gone: nothing to count
    }
  }
}
