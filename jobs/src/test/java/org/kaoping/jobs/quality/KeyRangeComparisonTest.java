package org.kaoping.jobs.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.kaoping.jobs.quality.Checksum.HashedRow;

/**
 * The reconciliation's comparison by key ranges on generated tables: one changed row of a million is found by drilling into
 * the ranges that differ and named, holding no more than a leaf's keys; missing, extra and doubled keys are named.
 */
class KeyRangeComparisonTest {
  private static final long ROWS = 200_000;
  private static final List<Type> TYPES = List.of(Types.LongType.get(), Types.StringType.get());

  /** Rows with keys {@code from..to}, each row's text given by {@code text} (null: no row), streamed, never held. */
  private record Generated(long from, long to, LongFunction<String> text) implements ReconciledSide {
    @Override
    public void read(KeyRange range, Consumer<HashedRow> into) {
      for (long k = Math.max(from, range.from()); k <= to && k < range.to(); k++) {
        String t = text.apply(k);
        if (t != null) {
          into.accept(Checksum.row(TYPES, List.of(k, t), 1));
        }
      }
    }
  }

  private static final LongFunction<String> SAME = k -> "log " + k;

  @Test
  void oneChangedRowInABigTableIsFoundByRangesAndNamed() {
    long rows = 1_000_000;
    Generated source = new Generated(1, rows, SAME);
    Generated warehouse = new Generated(1, rows, k -> k == 723_457 ? "log changed" : SAME.apply(k));
    // one first-pass range over every key: the comparison has to split it twice to reach a range it compares key by key
    KeyRangeComparison.Result r = new KeyRangeComparison(source, List.of(warehouse)).compare(KeyRange.covering(1, rows, 1));
    assertEquals(List.of("723457 (differs)"), r.differingKeys());
    assertEquals(rows, r.sourceRows());
    assertEquals(rows, r.warehouseRows()[0]);
    assertTrue(r.sourceSum() != r.warehouseSums()[0]);
    assertEquals(3, r.rangesDrilled(), "the whole range, one of its 64 parts, one of that one's 64 parts");
    assertTrue(r.mostKeysHeld() <= 2 * KeyRangeComparison.LEAF_ROWS, "held " + r.mostKeysHeld() + " keys");
  }

  @Test
  void equalSidesNameNothingAndDrillNowhere() {
    KeyRangeComparison.Result r = new KeyRangeComparison(new Generated(1, ROWS, SAME), List.of(new Generated(1, ROWS / 2, SAME),
        new Generated(ROWS / 2 + 1, ROWS, SAME))).compare(KeyRange.covering(1, ROWS, 20));
    assertEquals(List.of(), r.differingKeys());
    assertEquals(0, r.rangesDrilled());
    assertEquals(r.sourceSum(), r.warehouseSums()[0] + r.warehouseSums()[1]);
    assertEquals(ROWS / 2, r.warehouseRows()[1]);
  }

  @Test
  void missingExtraAndDoubledKeysAreNamedInKeyOrder() {
    Generated source = new Generated(1, ROWS, k -> k == 77 ? null : SAME.apply(k));
    Generated warehouse = new Generated(1, ROWS + 3, k -> k == 5 ? null : SAME.apply(k));
    Generated doubled = new Generated(150_000, 150_000, SAME); // a second row with key 150000
    KeyRangeComparison.Result r = new KeyRangeComparison(source, List.of(warehouse, doubled))
        .compare(KeyRange.covering(1, ROWS, 20));
    assertEquals(List.of("5 (missing in the warehouse)", "77 (not in the source)", "150000 (differs)",
        "200001 (not in the source)", "200002 (not in the source)"), r.differingKeys());
  }
}
