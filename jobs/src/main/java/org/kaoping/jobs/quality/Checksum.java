package org.kaoping.jobs.quality;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.types.Type;

/**
 * An order-independent checksum of a set of rows: the sum (mod 2^64) of a 64-bit hash of each row's canonical
 * string, plus the row count and each key's hash (to name the keys that differ). Values are made canonical by
 * the column's staging type, so a JDBC value, an Iceberg value and a JSON value of the same datum agree.
 */
final class Checksum {
  private static final String NULL = "\u2205";

  private long rows;
  private long sum;
  private final Map<String, Long> byKey = new TreeMap<>();

  /** Adds one row; {@code values} are in the order of {@code types}, the first {@code keyColumns} form its key. */
  void add(List<Type> types, List<Object> values, int keyColumns) {
    StringBuilder row = new StringBuilder();
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < types.size(); i++) {
      String v = canonical(types.get(i), values.get(i));
      row.append(v).append('\u001f');
      if (i < keyColumns) {
        key.append(key.length() == 0 ? "" : ",").append(v);
      }
    }
    long h = hash(row.toString());
    rows++;
    sum += h;
    byKey.merge(key.toString(), h, Long::sum); // a key seen twice no longer matches the other side's single row
  }

  long rows() {
    return rows;
  }

  long sum() {
    return sum;
  }

  Map<String, Long> byKey() {
    return byKey;
  }

  static String canonical(Type type, Object v) {
    if (v == null) {
      return NULL;
    }
    return switch (type.typeId()) {
      case TIMESTAMP -> timestamp(v).truncatedTo(ChronoUnit.MILLIS).toString(); // JSON row images keep milliseconds
      case DATE -> (v instanceof java.sql.Date d ? d.toLocalDate() : v instanceof LocalDate l ? l : LocalDate.parse(v.toString()))
          .toString();
      case DECIMAL, FLOAT, DOUBLE -> new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
      case INTEGER, LONG -> Long.toString(v instanceof Number n ? n.longValue() : Long.parseLong(v.toString()));
      default -> v.toString();
    };
  }

  private static LocalDateTime timestamp(Object v) {
    if (v instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime();
    }
    if (v instanceof LocalDateTime t) {
      return t;
    }
    if (v instanceof OffsetDateTime t) {
      return t.toLocalDateTime();
    }
    return LocalDateTime.parse(v.toString());
  }

  private static long hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
