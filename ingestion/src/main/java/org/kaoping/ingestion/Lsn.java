package org.kaoping.ingestion;

/** PostgreSQL WAL positions: the {@code X/Y} text form and the 64-bit number Debezium reports. */
public final class Lsn {
  private Lsn() {}

  public static long parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("Not a WAL position: " + text);
    }
    return (Long.parseUnsignedLong(text.substring(0, slash), 16) << 32) | Long.parseUnsignedLong(text.substring(slash + 1), 16);
  }

  public static String format(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
  }
}
