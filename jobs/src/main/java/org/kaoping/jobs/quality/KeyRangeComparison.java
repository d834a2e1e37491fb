package org.kaoping.jobs.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares a source table with the warehouse's sides of it by key ranges: a row count and hash sum per range on each
 * side, then only the ranges that differ are split and read again, down to ranges of at most {@link #LEAF_ROWS} rows
 * compared key by key. Memory holds sums per range and one leaf's keys, never a hash per key of the whole table.
 */
final class KeyRangeComparison {
  /** Ranges a range that differs is split into. */
  static final int FAN_OUT = 64;
  /** A differing range with at most this many rows on either side is compared key by key. */
  static final int LEAF_ROWS = 10_000;
  /** Keys named at most. */
  static final int KEYS_SHOWN = 5;

  /**
   * What the comparison found: rows and hash sums of the source and of each warehouse side (in the order given), up to
   * {@link #KEYS_SHOWN} keys that differ with what is wrong, how many ranges were read again, and the most keys one
   * leaf held.
   */
  record Result(long sourceRows, long sourceSum, long[] warehouseRows, long[] warehouseSums, List<String> differingKeys,
      int rangesDrilled, int mostKeysHeld) {}

  private final ReconciledSide source;
  private final List<ReconciledSide> warehouse;
  private final List<String> keys = new ArrayList<>();
  private int drilled;
  private int mostHeld;

  KeyRangeComparison(ReconciledSide source, List<ReconciledSide> warehouse) {
    this.source = source;
    this.warehouse = warehouse;
  }

  /** Compares over {@code ranges} (in key order, covering every key either side may hold), each side read once first. */
  Result compare(List<KeyRange> ranges) {
    KeyRange span = new KeyRange(ranges.get(0).from(), ranges.get(ranges.size() - 1).to());
    RangeSums src = RangeSums.of(List.of(source), ranges, span);
    long[] rows = new long[warehouse.size()];
    long[] sums = new long[warehouse.size()];
    RangeSums all = new RangeSums(ranges);
    for (int i = 0; i < warehouse.size(); i++) {
      RangeSums side = RangeSums.of(List.of(warehouse.get(i)), ranges, span);
      rows[i] = side.totalCount();
      sums[i] = side.totalSum();
      all = all.plus(side);
    }
    drill(ranges, src, all);
    return new Result(src.totalCount(), src.totalSum(), rows, sums, List.copyOf(keys), drilled, mostHeld);
  }

  private void drill(List<KeyRange> ranges, RangeSums src, RangeSums wh) {
    for (int i = 0; i < ranges.size() && keys.size() < KEYS_SHOWN; i++) {
      if (src.sameAs(wh, i)) {
        continue;
      }
      KeyRange r = ranges.get(i);
      drilled++;
      if (src.count(i) == 0 || wh.count(i) == 0 || r.indivisible() || Math.max(src.count(i), wh.count(i)) <= LEAF_ROWS) {
        leaf(r, src.count(i) == 0 || wh.count(i) == 0);
      } else {
        List<KeyRange> sub = r.split(FAN_OUT);
        drill(sub, RangeSums.of(List.of(source), sub, r), RangeSums.of(warehouse, sub, r));
      }
    }
  }

  /** Compares range {@code r} key by key; when one side holds none of it, keeps only the first keys to name. */
  private void leaf(KeyRange r, boolean oneSided) {
    int room = KEYS_SHOWN - keys.size();
    Map<String, Long> src = hashes(List.of(source), r, oneSided ? room : Integer.MAX_VALUE);
    Map<String, Long> wh = hashes(warehouse, r, oneSided ? room : Integer.MAX_VALUE);
    TreeSet<String> all = new TreeSet<>(src.keySet());
    all.addAll(wh.keySet());
    mostHeld = Math.max(mostHeld, src.size() + wh.size());
    all.stream().filter(k -> !Objects.equals(src.get(k), wh.get(k))).limit(room)
        .forEach(k -> keys.add(k + (!src.containsKey(k) ? " (not in the source)"
            : !wh.containsKey(k) ? " (missing in the warehouse)" : " (differs)")));
  }

  /** Key → sum of its rows' hashes (a key seen twice no longer matches a single row), at most the first {@code limit} keys. */
  private static TreeMap<String, Long> hashes(List<ReconciledSide> sides, KeyRange r, int limit) {
    TreeMap<String, Long> out = new TreeMap<>();
    for (ReconciledSide side : sides) {
      side.read(r, row -> {
        out.merge(row.key(), row.hash(), Long::sum);
        if (out.size() > limit) {
          out.pollLastEntry();
        }
      });
    }
    return out;
  }
}
