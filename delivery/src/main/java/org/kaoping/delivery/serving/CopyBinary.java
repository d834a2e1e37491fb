package org.kaoping.delivery.serving;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Spark's internal rows in PostgreSQL's binary COPY format, for the store's columns ({@link VersionedStore} creates
 * them from the same Spark types): each value as the type's binary receive function reads it, so neither side formats or
 * parses text. Strings are Spark's UTF-8 bytes as they are, integers and floating point numbers big-endian at the
 * column's width, dates as days and timestamps as microseconds since 2000-01-01 (Spark keeps them since 1970; a
 * {@code timestamp} counts local time, a {@code timestamptz} UTC), decimals as PostgreSQL's numeric: base-10000 digits
 * with a weight, a sign and the display scale.
 */
final class CopyBinary {
  /** How a column is encoded; one per Spark type the store creates columns for. */
  enum Encoding { TEXT, LONG, INTEGER, SHORT, BOOLEAN, DECIMAL, DOUBLE, FLOAT, DATE, TIMESTAMP }

  /** The file header: signature, flags (no OIDs), no header extension. */
  private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
  /** 1970-01-01 → 2000-01-01, PostgreSQL's epoch. */
  private static final int EPOCH_DAYS = 10_957;
  private static final long EPOCH_MICROS = EPOCH_DAYS * 86_400_000_000L;
  private static final short NUMERIC_NEGATIVE = 0x4000;
  /** Spark keeps a decimal of at most this many digits as a long. */
  private static final int LONG_DIGITS = 18;

  private final Encoding[] columns;
  private final int[] scales;
  private final int[] precisions;
  private byte[] bytes;
  private int length;
  /** One decimal's digits, most significant first, and its base-10000 groups (reused from value to value). */
  private final byte[] digits = new byte[80];
  private final short[] groups = new short[24];

  CopyBinary(Encoding[] columns, StructField[] fields, int capacity) {
    this.columns = columns;
    this.scales = new int[fields.length];
    this.precisions = new int[fields.length];
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].dataType() instanceof DecimalType d) {
        scales[i] = d.scale();
        precisions[i] = d.precision();
      }
    }
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
    if (t.equals(DataTypes.LongType)) return Encoding.LONG;
    if (t.equals(DataTypes.IntegerType)) return Encoding.INTEGER;
    if (t.equals(DataTypes.ShortType)) return Encoding.SHORT;
    if (t.equals(DataTypes.DoubleType)) return Encoding.DOUBLE;
    if (t.equals(DataTypes.FloatType)) return Encoding.FLOAT;
    if (t.equals(DataTypes.BooleanType)) return Encoding.BOOLEAN;
    if (t.equals(DataTypes.DateType)) return Encoding.DATE;
    if (t.equals(DataTypes.TimestampType) || t.equals(DataTypes.TimestampNTZType)) return Encoding.TIMESTAMP;
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

  /** Appends the header that begins a COPY's data. */
  void header() {
    ensure(HEADER.length);
    System.arraycopy(HEADER, 0, bytes, length, HEADER.length);
    length += HEADER.length;
  }

  /** Appends the trailer that ends a COPY's data. */
  void trailer() {
    ensure(2);
    putShort(-1);
  }

  /** Appends the first {@code columns.length} columns of {@code row} as one tuple. */
  void row(InternalRow row) {
    ensure(2);
    putShort(columns.length);
    for (int i = 0; i < columns.length; i++) {
      ensure(12);
      if (row.isNullAt(i)) {
        putInt(-1);
        continue;
      }
      switch (columns[i]) {
        case TEXT -> text(row.getUTF8String(i));
        case LONG -> { putInt(8); putLong(row.getLong(i)); }
        case INTEGER -> { putInt(4); putInt(row.getInt(i)); }
        case SHORT -> { putInt(2); putShort(row.getShort(i)); }
        case BOOLEAN -> { putInt(1); bytes[length++] = (byte) (row.getBoolean(i) ? 1 : 0); }
        case DOUBLE -> { putInt(8); putLong(Double.doubleToLongBits(row.getDouble(i))); }
        case FLOAT -> { putInt(4); putInt(Float.floatToIntBits(row.getFloat(i))); }
        case DATE -> { putInt(4); putInt(row.getInt(i) - EPOCH_DAYS); }
        case TIMESTAMP -> { putInt(8); putLong(row.getLong(i) - EPOCH_MICROS); }
        case DECIMAL -> numeric(row.getDecimal(i, precisions[i], scales[i]), precisions[i], scales[i]);
      }
    }
  }

  private void text(UTF8String s) {
    int n = s.numBytes();
    ensure(4 + n);
    putInt(n);
    Platform.copyMemory(s.getBaseObject(), s.getBaseOffset(), bytes, Platform.BYTE_ARRAY_OFFSET + length, n);
    length += n;
  }

  /**
   * A numeric: its decimal digits, padded with zeros on the right to whole groups of four after the point and on the left
   * to whole groups before it, read as base-10000 digits; {@code weight} is the power of 10000 of the first group.
   */
  private void numeric(Decimal d, int precision, int scale) {
    int n;
    boolean negative;
    if (precision <= LONG_DIGITS) {
      long u = d.toUnscaledLong();
      negative = u < 0;
      n = digitsOf(Math.abs(u));
    } else {
      BigInteger u = d.toJavaBigDecimal().setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
      negative = u.signum() < 0;
      String text = u.abs().toString();
      n = text.equals("0") ? 0 : text.length();
      for (int i = 0; i < n; i++) {
        digits[i] = (byte) (text.charAt(i) - '0');
      }
    }
    int fractionGroups = (scale + 3) / 4;
    int padded = n + fractionGroups * 4 - scale; // the digits and the zeros that fill the last fraction group
    int lead = (4 - padded % 4) % 4;
    int count = (padded + lead) / 4;
    for (int g = 0; g < count; g++) {
      int group = 0;
      for (int k = 0; k < 4; k++) {
        int at = g * 4 + k - lead; // position among the padded digits
        group = group * 10 + (at >= 0 && at < n ? digits[at] : 0);
      }
      groups[g] = (short) group;
    }
    int weight = count - fractionGroups - 1;
    while (count > 0 && groups[count - 1] == 0) {
      count--; // trailing zero groups say nothing; the display scale keeps the zeros
    }
    if (count == 0) {
      weight = 0;
    }
    ensure(12 + 2 * count);
    putInt(8 + 2 * count);
    putShort(count);
    putShort(weight);
    putShort(negative ? NUMERIC_NEGATIVE : 0);
    putShort(scale);
    for (int g = 0; g < count; g++) {
      putShort(groups[g]);
    }
  }

  /** Writes the decimal digits of {@code v} (not negative) to {@link #digits}; returns how many (none for 0). */
  private int digitsOf(long v) {
    int n = 0;
    for (long rest = v; rest > 0; rest /= 10) {
      n++;
    }
    for (int i = n - 1; i >= 0; i--) {
      digits[i] = (byte) (v % 10);
      v /= 10;
    }
    return n;
  }

  private void putShort(int v) {
    bytes[length++] = (byte) (v >>> 8);
    bytes[length++] = (byte) v;
  }

  private void putInt(int v) {
    bytes[length++] = (byte) (v >>> 24);
    bytes[length++] = (byte) (v >>> 16);
    bytes[length++] = (byte) (v >>> 8);
    bytes[length++] = (byte) v;
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
