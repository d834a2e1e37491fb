package org.kaoping.jobs.quality;

import java.util.function.Consumer;

import org.kaoping.jobs.quality.Checksum.HashedRow;

/** One side of a reconciliation (the source table, staging, the excluded rows): its rows in a key range, reduced. */
interface ReconciledSide {
  /**
   * Streams every row whose leading key lies in {@code range} to {@code into}, holding none of them (but the excluded
   * rows, few beside their table, which are kept reduced).
   */
  void read(KeyRange range, Consumer<HashedRow> into);
}
