package org.kaoping.jobs.quality;

import java.util.ArrayList;
import java.util.List;

/** Rows whose leading key column lies in {@code [from, to)}; the comparison's unit, split to drill into a difference. */
record KeyRange(long from, long to) {
  /** Every key: a table whose leading key column is not a whole number is compared as one range. */
  static final KeyRange ALL = new KeyRange(Long.MIN_VALUE, Long.MAX_VALUE);

  boolean contains(long key) {
    return key >= from && key < to;
  }

  /** Not to be split: one key value (a composite key's rows of one leading value), or open to either end of the key space. */
  boolean indivisible() {
    return from == Long.MIN_VALUE || to == Long.MAX_VALUE || to - from <= 1;
  }

  /** Up to {@code n} ranges of about equal width covering this one, in key order. */
  List<KeyRange> split(int n) {
    long width = Math.max(1, (to - from + n - 1) / n);
    List<KeyRange> out = new ArrayList<>();
    for (long lo = from; lo < to; lo += width) {
      out.add(new KeyRange(lo, Math.min(to, lo + width)));
    }
    return out;
  }

  /**
   * The ranges of a first pass over keys {@code [min, max]} of the source: {@code n} ranges between them, and the keys
   * below and above (rows only the warehouse holds).
   */
  static List<KeyRange> covering(long min, long max, int n) {
    List<KeyRange> out = new ArrayList<>();
    if (min > Long.MIN_VALUE) {
      out.add(new KeyRange(Long.MIN_VALUE, min));
    }
    out.addAll(new KeyRange(min, max + 1).split(n));
    if (max + 1 < Long.MAX_VALUE) {
      out.add(new KeyRange(max + 1, Long.MAX_VALUE));
    }
    return out;
  }

  @Override
  public String toString() {
    return "[" + from + ", " + to + ")";
  }
}
