package org.kaoping.ingestion;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Turns a Debezium row image into JSON with readable values: dates as {@code yyyy-MM-dd},
 * timestamps without zone as local ISO date-times, decimals as exact strings.
 */
final class RowImageJson {
  static final JsonFactory JSON = new JsonFactory();

  private RowImageJson() {}

  static String toJson(Struct struct) {
    if (struct == null) {
      return null;
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeStruct(g, struct);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The row schema as raw records it ({@link org.kaoping.warehouse.RowSchema}): column names, Connect types, logical types. */
  static String schemaOf(Schema rowSchema) {
    if (rowSchema == null) {
      return null;
    }
    java.util.Map<String, String> columns = new java.util.LinkedHashMap<>();
    for (Field f : rowSchema.fields()) {
      Schema s = f.schema();
      columns.put(f.name(), s.type().getName() + (s.name() == null ? "" : "/" + s.name()));
    }
    return new org.kaoping.warehouse.RowSchema(columns).format();
  }

  private static void writeStruct(JsonGenerator g, Struct struct) throws IOException {
    g.writeStartObject();
    for (Field f : struct.schema().fields()) {
      g.writeFieldName(f.name());
      writeValue(g, f.schema(), struct.get(f));
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, Schema schema, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    String logical = schema.name();
    if (logical != null) {
      switch (logical) {
        case "io.debezium.time.Date" -> {
          g.writeString(LocalDate.ofEpochDay(((Number) v).longValue()).toString());
          return;
        }
        case "io.debezium.time.Timestamp" -> {
          g.writeString(LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) v).longValue()), ZoneOffset.UTC).toString());
          return;
        }
        case "io.debezium.time.MicroTimestamp" -> {
          long micros = ((Number) v).longValue();
          g.writeString(LocalDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
              Math.floorMod(micros, 1_000_000L) * 1000L), ZoneOffset.UTC).toString());
          return;
        }
        case "io.debezium.time.MicroTime" -> {
          g.writeString(LocalTime.ofNanoOfDay(((Number) v).longValue() * 1000L).toString());
          return;
        }
        case "org.apache.kafka.connect.data.Decimal" -> {
          g.writeString(((BigDecimal) v).toPlainString());
          return;
        }
        default -> {
          // other logical types (ZonedTimestamp strings, Json, Uuid…) serialise by their base type
        }
      }
    }
    switch (schema.type()) {
      case INT8, INT16, INT32, INT64 -> g.writeNumber(((Number) v).longValue());
      case FLOAT32, FLOAT64 -> g.writeNumber(((Number) v).doubleValue());
      case BOOLEAN -> g.writeBoolean((Boolean) v);
      case STRING -> g.writeString((String) v);
      case BYTES -> g.writeString(Base64.getEncoder().encodeToString(
          v instanceof ByteBuffer b ? toArray(b) : (byte[]) v));
      case STRUCT -> writeStruct(g, (Struct) v);
      default -> g.writeString(v.toString());
    }
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }
}
