package org.kaoping.delivery.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * A raw table's event count and latest source commit, from Iceberg's metadata (the snapshot's record total, the data
 * files' upper bounds) rather than its rows: the raw layer grows with every event ever captured.
 */
final class RawTableStats {
  static final String COMMITTED_AT = "source_committed_at";

  /** Events in the table and the latest {@code source_committed_at} in microseconds since the epoch (null: none). */
  record Stats(long events, Long committedAtMicros) {}

  private RawTableStats() {}

  /**
   * The stats of {@code table}; empty when its metadata cannot tell them exactly (delete files, a file without an upper
   * bound of the commit time), and then its rows must be read.
   */
  static Optional<Stats> of(Table table) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return Optional.of(new Stats(0, null));
    }
    Map<String, String> summary = current.summary();
    if (!"0".equals(summary.get("total-delete-files")) || summary.get("total-records") == null
        || table.schema().findField(COMMITTED_AT) == null) {
      return Optional.empty();
    }
    Types.NestedField field = table.schema().findField(COMMITTED_AT);
    Long latest = null;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile f = task.file();
        Long nulls = f.nullValueCounts() == null ? null : f.nullValueCounts().get(field.fieldId());
        ByteBuffer upper = f.upperBounds() == null ? null : f.upperBounds().get(field.fieldId());
        if (upper == null) {
          if (f.recordCount() == 0 || (nulls != null && nulls == f.recordCount())) {
            continue; // no commit time in this file
          }
          return Optional.empty();
        }
        long micros = Conversions.<Long>fromByteBuffer(field.type(), upper);
        latest = latest == null ? micros : Math.max(latest, micros);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(new Stats(Long.parseLong(summary.get("total-records")), latest));
  }
}
