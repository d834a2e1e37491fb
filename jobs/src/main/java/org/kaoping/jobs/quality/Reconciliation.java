package org.kaoping.jobs.quality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.kaoping.jobs.WarehouseBuild;
import org.kaoping.warehouse.WarehouseCatalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reconciliation is data quality (it proves staging lost nothing of the sources), so it lives beside ReconciliationLog.
 *
 * <p>Compares each source table with what the warehouse holds of it: the rows in staging plus the rows set aside as
 * EXCLUDED in {@code ops.rejected_rows}. Each side is read on its own (JDBC on the source, Iceberg's reader on the
 * warehouse, no Spark) and reduced to a row count and an order-independent checksum over the canonical columns.
 */
public final class Reconciliation {
  private static final int KEYS_SHOWN = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

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

    Checksum source = new Checksum();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + String.join(", ", spec.sourceColumns())
        + " FROM " + qualified)) {
      while (rs.next()) {
        List<Object> values = new ArrayList<>();
        for (int i = 1; i <= spec.columns().size(); i++) {
          values.add(rs.getObject(i));
        }
        source.add(types, values, spec.keyColumns());
      }
    }
    Checksum kept = new Checksum();
    Checksum excluded = new Checksum();
    if (staging != null) {
      readStaging(staging, spec, types, kept);
      readExcluded(spec, types, excluded);
    }
    boolean match = source.sum() == kept.sum() + excluded.sum();
    return new Outcome(name, source.rows(), kept.rows(), excluded.rows(), match,
        differingKeys(source.byKey(), kept.byKey(), excluded.byKey()));
  }

  /** Up to five keys whose row differs, or that only one side holds, each with what is wrong. */
  private static List<String> differingKeys(Map<String, Long> source, Map<String, Long> kept, Map<String, Long> excluded) {
    Map<String, Long> warehouse = new HashMap<>(kept);
    excluded.forEach((k, h) -> warehouse.merge(k, h, Long::sum));
    Set<String> keys = new TreeSet<>(source.keySet());
    keys.addAll(warehouse.keySet());
    return keys.stream().filter(k -> !Objects.equals(source.get(k), warehouse.get(k)))
        .map(k -> k + (!source.containsKey(k) ? " (not in the source)"
            : !warehouse.containsKey(k) ? " (missing in the warehouse)" : " (differs)"))
        .limit(KEYS_SHOWN).toList();
  }

  private static Type columnType(Schema schema, String column, ReconciledTable spec) {
    if (schema.findField(column) == null) {
      throw new IllegalStateException(spec.stagingTable() + " has no column " + column + ": rebuild the warehouse (kaoping build)");
    }
    return schema.findField(column).type();
  }

  private static void readStaging(Table staging, ReconciledTable spec, List<Type> types, Checksum into) {
    try (CloseableIterable<Record> rows = IcebergGenerics.read(staging).select(spec.stagingColumns()).build()) {
      for (Record r : rows) {
        List<Object> values = spec.stagingColumns().stream().map(r::getField).toList();
        if (spec.presentIf() == null || r.getField(spec.presentIf()) != null) {
          into.add(types, values, spec.keyColumns());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows of the staging model set aside as EXCLUDED (one per record; a build before rules had dispositions: all). */
  private void readExcluded(ReconciledTable spec, List<Type> types, Checksum into) {
    TableIdentifier id = TableIdentifier.parse(WarehouseBuild.REJECTS_TABLE);
    if (!warehouse.catalog().tableExists(id)) {
      return;
    }
    Table rejects = warehouse.load(id);
    boolean hasDisposition = rejects.schema().findField("disposition") != null;
    Set<String> seen = new HashSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(rejects).build()) {
      for (Record r : rows) {
        if (!spec.stagingTable().equals(r.getField("model"))
            || (hasDisposition && !"EXCLUDED".equals(r.getField("disposition")))
            || !seen.add((String) r.getField("record_key"))) {
          continue;
        }
        JsonNode record = JSON.readTree((String) r.getField("record_json"));
        List<Object> values = spec.stagingColumns().stream().map(c -> value(record.get(c))).toList();
        if (spec.presentIf() == null || value(record.get(spec.presentIf())) != null) {
          into.add(types, values, spec.keyColumns());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object value(JsonNode n) {
    return n == null || n.isNull() ? null : n.isNumber() ? n.decimalValue() : n.asText();
  }
}
