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

import org.apache.iceberg.types.Type;

/**
 * Reduces a row to what the comparison of a source table with the warehouse needs: a 64-bit hash of its canonical
 * string (summed, mod 2^64, into order-independent checksums of key ranges), its key (to name a row that differs) and
 * its leading key as a number (to place it in a {@link KeyRange}). Values are made canonical by the column's staging
 * type, so a JDBC value, an Iceberg value and a JSON value of the same datum agree.
 */
final class Checksum {
  private static final String NULL = "\u2205";

  /** One row reduced: {@code position} is its leading key when that is a whole number (else 0), {@code key} its key text. */
  record HashedRow(long position, String key, long hash) {}

  private Checksum() {}

  /** Reduces one row; {@code values} are in the order of {@code types}, the first {@code keyColumns} form its key. */
  static HashedRow row(List<Type> types, List<Object> values, int keyColumns) {
    StringBuilder row = new StringBuilder();
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < types.size(); i++) {
      String v = canonical(types.get(i), values.get(i));
      row.append(v).append('\u001f');
      if (i < keyColumns) {
        key.append(key.length() == 0 ? "" : ",").append(v);
      }
    }
    return new HashedRow(position(types.get(0), values.get(0)), key.toString(), hash(row.toString()));
  }

  /** Whether a leading key column of this type places rows in key ranges (whole numbers do). */
  static boolean ranged(Type leadingKey) {
    return leadingKey.typeId() == Type.TypeID.INTEGER || leadingKey.typeId() == Type.TypeID.LONG;
  }

  private static long position(Type type, Object v) {
    if (!ranged(type)) {
      return 0;
    }
    return v == null ? Long.MIN_VALUE : v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
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
