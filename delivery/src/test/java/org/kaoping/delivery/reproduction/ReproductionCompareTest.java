package org.kaoping.delivery.reproduction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The row-for-row comparison behind {@code kaoping reproduce}, without Spark. */
class ReproductionCompareTest {
  private static final StructType SCHEMA = new StructType().add("unit_id", DataTypes.LongType)
      .add("score", DataTypes.createDecimalType(5, 2)).add("grade", DataTypes.StringType);

  private static Row row(long id, String score, String grade) {
    return new GenericRowWithSchema(new Object[] {id, score == null ? null : new BigDecimal(score), grade}, SCHEMA);
  }

  @Test
  void sameRowsInAnyOrderAreIdentical() {
    Reproduction.TableResult r = Reproduction.compare("t", List.of(row(1, "85.50", "GOOD"), row(2, null, null)),
        List.of(row(2, null, null), row(1, "85.50", "GOOD")));
    assertTrue(r.identical());
    assertEquals(r.recordedChecksum(), r.recomputedChecksum());
    assertTrue(r.onlyRecorded().isEmpty() && r.onlyRecomputed().isEmpty());
  }

  @Test
  void aCentApartIsADifferenceListedOnBothSides() {
    Reproduction.TableResult r = Reproduction.compare("t", List.of(row(1, "1.40", "GOOD"), row(2, "90.00", "EXCELLENT")),
        List.of(row(1, "1.39", "GOOD"), row(2, "90.00", "EXCELLENT")));
    assertFalse(r.identical());
    assertNotEquals(r.recordedChecksum(), r.recomputedChecksum());
    assertEquals(List.of("unit_id=1|score=1.40|grade=GOOD"), r.onlyRecorded());
    assertEquals(List.of("unit_id=1|score=1.39|grade=GOOD"), r.onlyRecomputed());
  }

  @Test
  void aDuplicatedRowIsADifference() {
    Reproduction.TableResult r = Reproduction.compare("t", List.of(row(1, "1.40", "GOOD")),
        List.of(row(1, "1.40", "GOOD"), row(1, "1.40", "GOOD")));
    assertFalse(r.identical());
    assertEquals(1, r.onlyRecomputed().size());
  }
}
