package org.kaoping.jobs.quality;

import java.util.List;

import org.kaoping.jobs.quality.Checksum.HashedRow;

/** Row count and hash sum per key range, for ranges in key order that do not overlap: memory per range, not per row. */
final class RangeSums {
  private final List<KeyRange> ranges;
  private final long[] counts;
  private final long[] sums;

  RangeSums(List<KeyRange> ranges) {
    this.ranges = ranges;
    this.counts = new long[ranges.size()];
    this.sums = new long[ranges.size()];
  }

  /** The sums of {@code sides} over {@code ranges}, each side read once over {@code span} (the ranges' union). */
  static RangeSums of(List<ReconciledSide> sides, List<KeyRange> ranges, KeyRange span) {
    RangeSums out = new RangeSums(ranges);
    sides.forEach(side -> side.read(span, out::add));
    return out;
  }

  /** These sums and {@code other}'s (over the same ranges) together. */
  RangeSums plus(RangeSums other) {
    RangeSums out = new RangeSums(ranges);
    for (int i = 0; i < counts.length; i++) {
      out.counts[i] = counts[i] + other.counts[i];
      out.sums[i] = sums[i] + other.sums[i];
    }
    return out;
  }

  void add(HashedRow row) {
    int lo = 0;
    int hi = ranges.size() - 1;
    while (lo <= hi) { // the range whose start is the last at or below the row's position
      int mid = (lo + hi) >>> 1;
      if (ranges.get(mid).from() <= row.position()) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (hi >= 0 && ranges.get(hi).contains(row.position())) {
      counts[hi]++;
      sums[hi] += row.hash();
    }
  }

  long count(int range) {
    return counts[range];
  }

  long totalCount() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  long totalSum() {
    long s = 0;
    for (long x : sums) {
      s += x;
    }
    return s;
  }

  boolean sameAs(RangeSums other, int range) {
    return counts[range] == other.counts[range] && sums[range] == other.sums[range];
  }
}
