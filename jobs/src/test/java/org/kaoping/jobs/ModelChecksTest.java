package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A model that breaks its declared key or checks fails the build, naming the rule and the rows. */
class ModelChecksTest extends WithSpark {
  private static SqlModel model(List<String> checks) {
    return new SqlModel("test", "mart.t", "one row per unit", List.of("unit_id"), checks, List.of(),
        SqlModel.Refresh.WHOLE, "");
  }

  @Test
  void duplicateOrNullKeysAndBrokenInvariantsAreNamed() {
    spark.sql("CREATE OR REPLACE TABLE mart.t AS SELECT * FROM VALUES (1L, 5, 4), (1L, 2, 3), (CAST(NULL AS BIGINT), 1, 1),"
        + " (7L, 9, 8), (8L, 1, 1) AS t(unit_id, filed, filing)");
    ModelChecks.ModelCheckException e = assertThrows(ModelChecks.ModelCheckException.class,
        () -> ModelChecks.enforce(spark, model(List.of("filed <= filing")), "mart.t"));
    assertTrue(e.getMessage().contains("mart.t failed its checks"), e.getMessage());
    assertTrue(e.getMessage().contains("key (unit_id) must be unique and not null; offending rows: "), e.getMessage());
    assertTrue(e.getMessage().contains("[1,2]") && e.getMessage().contains("[null,1]"), e.getMessage());
    assertTrue(e.getMessage().contains("check 'filed <= filing' must hold; offending rows: ") && e.getMessage().contains("[7]"),
        e.getMessage());
  }

  @Test
  void groupInvariantsMayUseWindows() {
    spark.sql("CREATE OR REPLACE TABLE mart.t AS SELECT * FROM VALUES (1L, 'a', 0.5), (2L, 'a', 0.4), (3L, 'b', 1.0)"
        + " AS t(unit_id, grp, share)");
    ModelChecks.ModelCheckException e = assertThrows(ModelChecks.ModelCheckException.class, () -> ModelChecks.enforce(
        spark, model(List.of("abs(sum(share) OVER (PARTITION BY grp) - 1) < 1e-9")), "mart.t"));
    assertTrue(e.getMessage().contains("[1], [2]") || e.getMessage().contains("[2], [1]"), e.getMessage());
    ModelChecks.enforce(spark, model(List.of("share <= 1")), "mart.t"); // holds: no exception
  }
}
