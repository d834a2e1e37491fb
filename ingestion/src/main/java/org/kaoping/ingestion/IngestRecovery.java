package org.kaoping.ingestion;

import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.WarehouseCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes a batch that crashed between its raw-table appends and its checkpoint: the source will
 * send those events again from the checkpointed offset, so keeping them would duplicate them.
 */
final class IngestRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(IngestRecovery.class);

  private IngestRecovery() {}

  /** Removes from every raw table of {@code source} the files of batches after {@code last}; returns files removed. */
  static int rollBackUncheckpointed(WarehouseCatalog warehouse, String source, Checkpoint last) {
    long committed = last == null ? 0 : last.batchSeq();
    int removed = 0;
    for (TableIdentifier id : warehouse.tables(WarehouseCatalog.Layer.RAW)) {
      Table table = warehouse.load(id);
      if (!source.equals(table.properties().get(RawChangeTable.SOURCE_PROPERTY))) {
        continue;
      }
      List<DataFile> orphans = new ArrayList<>();
      for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
        String seq = s.summary().get(RawChangeTable.BATCH_SEQ_SUMMARY);
        if (seq == null || Long.parseLong(seq) <= committed) {
          break; // checkpointed data, or a maintenance snapshot over checkpointed data
        }
        s.addedDataFiles(table.io()).forEach(orphans::add);
      }
      if (!orphans.isEmpty()) {
        DeleteFiles delete = table.newDelete();
        orphans.forEach(delete::deleteFile);
        delete.set("kaoping.rollback-after-batch", Long.toString(committed)).commit();
        LOG.warn("{}: removed {} file(s) of a batch that crashed before its checkpoint (batches after {})",
            id, orphans.size(), committed);
        removed += orphans.size();
      }
    }
    return removed;
  }
}
