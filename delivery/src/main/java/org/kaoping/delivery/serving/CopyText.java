package org.kaoping.delivery.serving;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * Spark rows in PostgreSQL's COPY text format, as the store's columns parse them: {@code \N} for null, strings with
 * backslash, tab, newline and carriage return escaped, booleans {@code t}/{@code f}, decimals in plain notation,
 * doubles as Java prints them ({@code NaN}, {@code Infinity}), dates {@code yyyy-MM-dd}, {@code timestamptz} as the
 * UTC instant with its microseconds ({@code +00}), {@code timestamp} as its local date and time.
 */
final class CopyText {
  /** How a column is encoded; one per Spark type the store creates columns for ({@link VersionedStore}). */
  enum Encoding { TEXT, INTEGER, BOOLEAN, DECIMAL, DOUBLE, FLOAT, DATE, TIMESTAMP, TIMESTAMP_NTZ }

  private byte[] bytes;
  private int length;
  private final Encoding[] columns;

  CopyText(Encoding[] columns, int capacity) {
    this.columns = columns;
    this.bytes = new byte[capacity];
  }

  /**
   * The encoding of each column of {@code table}.
   *
   * @throws IllegalStateException naming the table and column when a column's type has no encoding
   */
  static Encoding[] encodings(String table, StructField[] fields) {
    Encoding[] out = new Encoding[fields.length];
    for (int i = 0; i < fields.length; i++) {
      out[i] = encoding(fields[i].dataType());
      if (out[i] == null) {
        throw new IllegalStateException("Cannot copy column " + fields[i].name() + " of " + table + " to the serving database:"
            + " its Spark type " + fields[i].dataType().simpleString() + " has no COPY encoding");
      }
    }
    return out;
  }

  private static Encoding encoding(DataType t) {
    if (t instanceof DecimalType) return Encoding.DECIMAL;
    if (t.equals(DataTypes.StringType)) return Encoding.TEXT;
    if (t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType) || t.equals(DataTypes.ShortType)) return Encoding.INTEGER;
    if (t.equals(DataTypes.DoubleType)) return Encoding.DOUBLE;
    if (t.equals(DataTypes.FloatType)) return Encoding.FLOAT;
    if (t.equals(DataTypes.BooleanType)) return Encoding.BOOLEAN;
    if (t.equals(DataTypes.DateType)) return Encoding.DATE;
    if (t.equals(DataTypes.TimestampType)) return Encoding.TIMESTAMP;
    if (t.equals(DataTypes.TimestampNTZType)) return Encoding.TIMESTAMP_NTZ;
    return null;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  void clear() {
    length = 0;
  }

  /** Appends {@code row} as one line. */
  void row(Row row) {
    for (int i = 0; i < columns.length; i++) {
      if (i > 0) {
        put((byte) '\t');
      }
      if (row.isNullAt(i)) {
        put((byte) '\\');
        put((byte) 'N');
      } else {
        value(columns[i], row.get(i));
      }
    }
    put((byte) '\n');
  }

  private void value(Encoding e, Object v) {
    switch (e) {
      case TEXT -> text((String) v);
      case INTEGER -> ascii(v.toString());
      case BOOLEAN -> put((byte) ((Boolean) v ? 't' : 'f'));
      case DECIMAL -> ascii(((BigDecimal) v).toPlainString());
      case DOUBLE -> ascii(Double.toString((Double) v)); // NaN, Infinity and -Infinity are PostgreSQL's spellings too
      case FLOAT -> ascii(Float.toString((Float) v));
      // anyToDays / anyToMicros undo exactly what Spark did to hand us java.sql or java.time objects
      case DATE -> {
        LocalDate d = LocalDate.ofEpochDay(DateTimeUtils.anyToDays(v));
        date(d);
        era(d);
      }
      case TIMESTAMP -> {
        long micros = DateTimeUtils.anyToMicros(v);
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
            (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        dateTime(t);
        ascii("+00");
        era(t.toLocalDate());
      }
      case TIMESTAMP_NTZ -> {
        LocalDateTime t = (LocalDateTime) v;
        dateTime(t);
        era(t.toLocalDate());
      }
    }
  }

  /** {@code yyyy-MM-dd}; a year before 1 as its BC year (the era follows the value). */
  private void date(LocalDate d) {
    int year = d.getYear() > 0 ? d.getYear() : 1 - d.getYear();
    String y = Integer.toString(year);
    for (int i = y.length(); i < 4; i++) {
      put((byte) '0');
    }
    ascii(y);
    put((byte) '-');
    two(d.getMonthValue());
    put((byte) '-');
    two(d.getDayOfMonth());
  }

  /** {@code yyyy-MM-dd HH:mm:ss[.ffffff]}. */
  private void dateTime(LocalDateTime t) {
    date(t.toLocalDate());
    put((byte) ' ');
    two(t.getHour());
    put((byte) ':');
    two(t.getMinute());
    put((byte) ':');
    two(t.getSecond());
    int micros = t.getNano() / 1000;
    if (micros != 0) {
      put((byte) '.');
      String f = Integer.toString(micros);
      for (int i = f.length(); i < 6; i++) {
        put((byte) '0');
      }
      ascii(f);
    }
  }

  /** PostgreSQL writes years before 1 as BC years, the era after the value. */
  private void era(LocalDate d) {
    if (d.getYear() <= 0) {
      ascii(" BC");
    }
  }

  private void two(int n) {
    put((byte) ('0' + n / 10));
    put((byte) ('0' + n % 10));
  }

  private void ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      bytes[length++] = (byte) s.charAt(i);
    }
  }

  private void text(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    ensure(utf8.length * 2);
    for (byte b : utf8) {
      switch (b) {
        case '\\' -> { bytes[length++] = '\\'; bytes[length++] = '\\'; }
        case '\t' -> { bytes[length++] = '\\'; bytes[length++] = 't'; }
        case '\n' -> { bytes[length++] = '\\'; bytes[length++] = 'n'; }
        case '\r' -> { bytes[length++] = '\\'; bytes[length++] = 'r'; }
        default -> bytes[length++] = b;
      }
    }
  }

  private void put(byte b) {
    ensure(1);
    bytes[length++] = b;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
