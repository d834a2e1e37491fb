package org.kaoping.jobs;

import java.util.List;

/**
 * A model the build computes in code rather than in SQL: its description (grain, key, checks, column formulas) and the
 * tables it reads, which the code cannot show the catalog.
 */
record ComputedModel(SqlModel model, List<String> reads) {
  ComputedModel {
    reads = List.copyOf(reads);
  }
}
