package org.kaoping.jobs;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.WarehouseCatalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Change events for raw tables, written as capture would write them: a test's source history, batch by batch. */
final class RawEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, List<Row>> pending = new TreeMap<>();
  /** The event_seq of the latest event of each record, by "table id". */
  private final Map<String, Long> latestSeq = new TreeMap<>();
  private long seq;

  /** Appends an insert or update of {@code source.table} whose row image is the given column/value pairs. */
  void put(String table, Object... columnsAndValues) {
    Map<String, Object> after = new LinkedHashMap<>();
    for (int i = 0; i < columnsAndValues.length; i += 2) {
      after.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
    }
    add(table, "c", keyOf(after), after);
  }

  /** Appends the delete of the row of {@code source.table} with primary key {@code id}. */
  void delete(String table, long id) {
    add(table, "d", Map.of("id", id), null);
  }

  long latestSeq(String tableAndId) {
    return latestSeq.get(tableAndId);
  }

  /** Appends the events put since the last write to their raw tables (created when new), one commit per table. */
  void write(SparkSession spark, WarehouseCatalog warehouse) throws NoSuchTableException {
    for (Map.Entry<String, List<Row>> e : pending.entrySet()) {
      String[] t = e.getKey().split("\\.");
      if (!warehouse.catalog().tableExists(RawChangeTable.identifier(t[0], t[1]))) {
        warehouse.catalog().createTable(RawChangeTable.identifier(t[0], t[1]), RawChangeTable.SCHEMA,
            PartitionSpec.unpartitioned(), RawChangeTable.properties(t[0], "public." + t[1]));
      }
      spark.createDataFrame(e.getValue(), SparkSchemaUtil.convert(RawChangeTable.SCHEMA))
          .writeTo("raw." + t[0] + "_" + t[1]).append();
    }
    pending.clear();
  }

  private static Map<String, Object> keyOf(Map<String, Object> after) {
    Map<String, Object> key = new LinkedHashMap<>();
    for (String k : after.containsKey("id") ? List.of("id") : after.containsKey("code") ? List.of("code") : List.of("task_id", "month")) {
      key.put(k, after.get(k));
    }
    return key;
  }

  private void add(String table, String op, Map<String, Object> key, Map<String, Object> after) {
    long s = ++seq;
    Timestamp now = new Timestamp(System.currentTimeMillis());
    try {
      pending.computeIfAbsent(table, t -> new ArrayList<>()).add(RowFactory.create(s, op, 100_000 + s, 100_000 + s, 7L, now,
          false, JSON.writeValueAsString(key), null, after == null ? null : JSON.writeValueAsString(after), 1L, now,
          null)); // row_schema unknown: not checked
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    latestSeq.put(table.substring(table.indexOf('.') + 1) + " " + key.values().iterator().next(), s);
  }
}
