package org.kaoping.jobs.quality;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.kaoping.jobs.WarehouseBuild;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Reconciliation is data quality (it proves staging lost nothing of the sources), so it lives beside ReconciliationLog.
 *
 * <p>Compares each source table with what the warehouse holds of it: the rows in staging plus the rows set aside as
 * EXCLUDED in {@code ops.rejected_rows}. Each side is read on its own (JDBC on the source, Iceberg's reader on the
 * warehouse, no Spark), streamed, and reduced to a row count and an order-independent checksum over the canonical
 * columns per range of the leading key ({@link KeyRangeComparison}); only ranges that differ are read again, split,
 * until the keys that differ can be named. Memory holds sums per range and one small range's keys, not a hash per key.
 */
public final class Reconciliation {
  /** Key values per first-pass range, and at most this many ranges (a few kilobytes of sums whatever the table's size). */
  private static final long KEYS_PER_RANGE = 10_000;
  private static final int MAX_FIRST_RANGES = 4_096;

  /** The comparison of one source table. */
  public record Outcome(String table, long sourceRows, long stagingRows, long excludedRows, boolean checksumsMatch,
      List<String> differingKeys) {
    /** True when the checksums match and the source's rows are staging's plus the excluded ones. */
    public boolean matches() {
      return checksumsMatch && sourceRows == stagingRows + excludedRows;
    }
  }

  private final WarehouseCatalog warehouse;

  public Reconciliation(WarehouseCatalog warehouse) {
    this.warehouse = warehouse;
  }

  /**
   * Compares every table of source system {@code sourceName} (its captured {@code schemas}, comma-separated) that has a
   * staging model, in one read-only snapshot of the source read through {@code c}; rolls back and leaves {@code c} open.
   */
  public List<Outcome> compare(String sourceName, String schemas, Connection c) throws SQLException {
    List<Outcome> outcomes = new ArrayList<>();
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // all tables as of one instant
    c.setReadOnly(true);
    c.setAutoCommit(false);
    for (String[] t : capturedTables(c, schemas)) {
      ReconciledTable spec = ReconciledTable.forSourceTable(t[1]).orElse(null);
      if (spec != null) {
        outcomes.add(compare(c, sourceName + "." + t[1], t[0] + "." + t[1], spec));
      }
    }
    c.rollback();
    return outcomes;
  }

  private static List<String[]> capturedTables(Connection c, String schemas) throws SQLException {
    List<String[]> tables = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT table_schema, table_name FROM information_schema.tables"
        + " WHERE table_type = 'BASE TABLE' AND table_schema = ANY (?) ORDER BY table_name")) {
      s.setArray(1, c.createArrayOf("text", schemas.split("\\s*,\\s*")));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          tables.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return tables;
  }

  private Outcome compare(Connection c, String name, String qualified, ReconciledTable spec) throws SQLException {
    String[] parts = spec.stagingTable().split("\\.");
    TableIdentifier stagingId = TableIdentifier.of(parts[0], parts[1]);
    Table staging = warehouse.catalog().tableExists(stagingId) ? warehouse.load(stagingId) : null;
    // canonical forms follow the staging types; with no staging table yet, any form will do (the warehouse side is empty)
    List<Type> types = spec.stagingColumns().stream().map(col -> staging == null ? (Type) Types.StringType.get()
        : columnType(staging.schema(), col, spec)).toList();
    SourceRows source = new SourceRows(c, qualified, spec, types);
    List<ReconciledSide> sides = new ArrayList<>();
    TableIdentifier rejects = TableIdentifier.parse(WarehouseBuild.REJECTS_TABLE);
    if (staging != null) {
      sides.add(new StagingRows(staging, spec, types));
      if (warehouse.catalog().tableExists(rejects)) {
        sides.add(new ExcludedRows(warehouse.load(rejects), spec, types));
      }
    }
    List<KeyRange> ranges = source.keyBounds().map(b -> KeyRange.covering(b[0], b[1], rangesFor(b)))
        .orElse(List.of(KeyRange.ALL));
    KeyRangeComparison.Result r;
    try {
      r = new KeyRangeComparison(source, sides).compare(ranges);
    } catch (SourceRows.SourceFailure e) {
      throw (SQLException) e.getCause();
    }
    long kept = sides.isEmpty() ? 0 : r.warehouseRows()[0];
    long excluded = sides.size() < 2 ? 0 : r.warehouseRows()[1];
    long warehouseSum = 0;
    for (long sum : r.warehouseSums()) {
      warehouseSum += sum;
    }
    return new Outcome(name, r.sourceRows(), kept, excluded, r.sourceSum() == warehouseSum, r.differingKeys());
  }

  /** First-pass ranges between the source's smallest and largest key: about one per {@link #KEYS_PER_RANGE} key values. */
  private static int rangesFor(long[] bounds) {
    long span = bounds[1] - bounds[0] + 1;
    return (int) Math.max(1, Math.min(MAX_FIRST_RANGES, span / KEYS_PER_RANGE));
  }

  private static Type columnType(Schema schema, String column, ReconciledTable spec) {
    if (schema.findField(column) == null) {
      throw new IllegalStateException(spec.stagingTable() + " has no column " + column + ": rebuild the warehouse (kaoping build)");
    }
    return schema.findField(column).type();
  }
}
