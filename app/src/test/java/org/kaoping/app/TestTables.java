package org.kaoping.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.kaoping.warehouse.WarehouseCatalog;

/** Reads warehouse tables with Iceberg's own reader, independently of Spark. */
final class TestTables {
  private TestTables() {}

  static List<Record> readAll(WarehouseCatalog warehouse, String namespace, String table) throws IOException {
    return read(IcebergGenerics.read(warehouse.load(TableIdentifier.of(namespace, table))));
  }

  /** The rows of {@code table} at snapshot {@code snapshotId} (time travel). */
  static List<Record> readAt(WarehouseCatalog warehouse, String namespace, String table, long snapshotId) throws IOException {
    return read(IcebergGenerics.read(warehouse.load(TableIdentifier.of(namespace, table))).useSnapshot(snapshotId));
  }

  private static List<Record> read(IcebergGenerics.ScanBuilder scan) throws IOException {
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = scan.build()) {
      for (Record r : it) {
        rows.add(r.copy());
      }
    }
    return rows;
  }
}
