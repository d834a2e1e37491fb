package org.kaoping.ingestion;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.kaoping.warehouse.RowSchema;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * A source table's columns rendered from JDBC exactly as Debezium's PostgreSQL connector (with
 * Kaoping's settings: decimals as strings, adaptive time precision) renders them through
 * {@link RowImageJson}: the same key JSON, row JSON and row schema, so a row read by the initial
 * load is indistinguishable downstream from one read by Debezium's snapshot.
 *
 * <p>Only the types whose rendering is proven equal (InitialLoadTest compares both on every one)
 * are accepted; a table with another type is named by {@link #unsupported()}, and the source falls
 * back to Debezium's own snapshot.
 */
final class SourceTableImage {
  /** PostgreSQL type name → Kafka Connect type[/logical type] as Debezium declares it. */
  private static final Map<String, String> CONNECT_TYPES = Map.ofEntries(
      Map.entry("int2", "int16"), Map.entry("int4", "int32"), Map.entry("int8", "int64"),
      Map.entry("float4", "float32"), Map.entry("float8", "float64"), Map.entry("bool", "boolean"),
      Map.entry("text", "string"), Map.entry("varchar", "string"), Map.entry("bpchar", "string"),
      Map.entry("numeric", "string"), Map.entry("uuid", "string/io.debezium.data.Uuid"),
      Map.entry("json", "string/io.debezium.data.Json"), Map.entry("jsonb", "string/io.debezium.data.Json"),
      Map.entry("date", "int32/io.debezium.time.Date"), Map.entry("bytea", "bytes"));

  /** One column: its name, PostgreSQL type name and type modifier (precision of a timestamp), and whether it is in the key. */
  record Column(String name, String type, int typmod, boolean key) {
    /** The Connect type Debezium gives it, or null when the initial load cannot render it. */
    String connectType() {
      if (type.equals("timestamp")) {
        int precision = typmod < 0 ? 6 : typmod; // adaptive precision: millisecond timestamps stay Timestamp
        return precision <= 3 ? "int64/io.debezium.time.Timestamp" : "int64/io.debezium.time.MicroTimestamp";
      }
      return CONNECT_TYPES.get(type);
    }
  }

  private final String table;
  private final List<Column> columns;
  private final String rangeColumn;

  private SourceTableImage(String table, List<Column> columns) {
    this.table = table;
    this.columns = List.copyOf(columns);
    List<Column> key = columns.stream().filter(Column::key).toList();
    this.rangeColumn = key.size() == 1 && List.of("int2", "int4", "int8").contains(key.get(0).type())
        ? key.get(0).name() : null;
  }

  /** Reads {@code schema.table}'s columns (in table order, as Debezium lists them) and primary key from the catalog. */
  static SourceTableImage read(Connection c, String table) throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, t.typname, a.atttypmod,"
        + " coalesce(a.attnum = ANY (i.indkey), false) FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
        + " LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary"
        + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
      ps.setString(1, quoted(table));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(new Column(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)));
        }
      }
    }
    return new SourceTableImage(table, columns);
  }

  String table() {
    return table;
  }

  /** The single integer key column chunks are cut along; null when the table is read as one chunk. */
  String rangeColumn() {
    return rangeColumn;
  }

  /** Why the initial load cannot read this table exactly as Debezium would, or null when it can. */
  String unsupported() {
    String odd = columns.stream().filter(col -> col.connectType() == null)
        .map(col -> col.name() + " (" + col.type() + ")").collect(Collectors.joining(", "));
    if (!odd.isEmpty()) {
      return table + " has column(s) of a type the parallel load does not render: " + odd;
    }
    return columns.stream().anyMatch(Column::key) ? null : table + " has no primary key";
  }

  /** {@link RowSchema}'s recorded form, as {@link RowImageJson#schemaOf} writes it for Debezium's events. */
  String rowSchema() {
    Map<String, String> types = new LinkedHashMap<>();
    columns.forEach(col -> types.put(col.name(), col.connectType()));
    return new RowSchema(types).format();
  }

  /** The query reading one chunk: every column, bounded on the range column by two parameters when {@code bounded}. */
  String select(boolean lowerBound, boolean upperBound) {
    String list = columns.stream().map(col -> quote(col.name())).collect(Collectors.joining(", "));
    List<String> where = new ArrayList<>();
    if (lowerBound) {
      where.add(quote(rangeColumn) + " >= ?");
    }
    if (upperBound) {
      where.add(quote(rangeColumn) + " < ?");
    }
    return "SELECT " + list + " FROM " + quoted(table) + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
  }

  /** The row image JSON of the current row, columns in table order. */
  String rowJson(ResultSet rs) throws SQLException {
    return json(rs, false);
  }

  /** The key JSON of the current row: the primary key columns, in table order. */
  String keyJson(ResultSet rs) throws SQLException {
    return json(rs, true);
  }

  private String json(ResultSet rs, boolean keyOnly) throws SQLException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = RowImageJson.JSON.createGenerator(out)) {
      g.writeStartObject();
      for (int i = 0; i < columns.size(); i++) {
        Column col = columns.get(i);
        if (!keyOnly || col.key()) {
          g.writeFieldName(col.name());
          writeValue(g, col, rs, i + 1);
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeValue(JsonGenerator g, Column col, ResultSet rs, int i) throws SQLException, IOException {
    switch (col.type()) {
      case "int2", "int4", "int8" -> {
        long v = rs.getLong(i);
        if (rs.wasNull()) {
          g.writeNull();
        } else {
          g.writeNumber(v);
        }
      }
      case "float4", "float8" -> {
        double v = col.type().equals("float4") ? rs.getFloat(i) : rs.getDouble(i);
        if (rs.wasNull()) {
          g.writeNull();
        } else {
          g.writeNumber(v);
        }
      }
      case "bool" -> {
        boolean v = rs.getBoolean(i);
        if (rs.wasNull()) {
          g.writeNull();
        } else {
          g.writeBoolean(v);
        }
      }
      case "numeric" -> writeString(g, decimal(rs.getString(i)));
      case "date" -> {
        LocalDate d = rs.getObject(i, LocalDate.class);
        writeString(g, d == null ? null : d.toString());
      }
      case "timestamp" -> {
        LocalDateTime t = rs.getObject(i, LocalDateTime.class);
        writeString(g, t == null ? null : t.toString());
      }
      case "bytea" -> {
        byte[] b = rs.getBytes(i);
        writeString(g, b == null ? null : Base64.getEncoder().encodeToString(b));
      }
      default -> writeString(g, rs.getString(i));
    }
  }

  private static void writeString(JsonGenerator g, String v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else {
      g.writeString(v);
    }
  }

  /** Debezium's string decimals: BigDecimal's plain text, and its names for PostgreSQL's special values. */
  private static String decimal(String text) {
    if (text == null) {
      return null;
    }
    return switch (text) {
      case "NaN" -> "NAN";
      case "Infinity" -> "POSITIVE_INFINITY";
      case "-Infinity" -> "NEGATIVE_INFINITY";
      default -> new BigDecimal(text).toPlainString();
    };
  }

  /** {@code schema.table} as a quoted SQL name. */
  static String quoted(String table) {
    String[] parts = table.split("\\.", 2);
    return quote(parts[0]) + "." + quote(parts[1]);
  }

  /** A quoted SQL identifier. */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
