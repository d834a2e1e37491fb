package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class KeyFilterTest extends WithSpark {

  private static List<Long> passing(String condition) {
    return spark.sql("SELECT t.id FROM VALUES (1L, 'a'), (2L, 'b'), (3L, CAST(NULL AS STRING)) AS t(id, part)"
        + " WHERE " + condition + " ORDER BY t.id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList();
  }

  @Test
  void aChangedKeyPassesAndAnUnchangedOneIsDroppedExceptByAFalsePositive() {
    Dataset<Row> keys = spark.sql("SELECT * FROM VALUES (1L, 'a') AS k(id, part)");
    List<Long> passed = passing(KeyFilter.register(spark, "key_filter_probe", keys, List.of("id", "part"), "t"));
    // key 1 passes, key 3 has a null part and passes; key 2 passes only as one of the filter's 1 % false positives
    assertEquals(List.of(1L, 3L), passed.stream().filter(id -> id != 2L).toList());
  }

  @Test
  void noKeysLetNothingThroughAndAreNoError() {
    // found by the service: a day whose raw events touched no group of a grouped model asked for a filter of no keys
    Dataset<Row> none = spark.sql("SELECT * FROM VALUES (1L, 'a') AS k(id, part) WHERE id < 0");
    assertEquals(List.of(), passing(KeyFilter.register(spark, "key_filter_probe", none, List.of("id", "part"), "t")));
  }
}
