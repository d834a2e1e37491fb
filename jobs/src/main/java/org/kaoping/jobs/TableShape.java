package org.kaoping.jobs;

import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Whether rows a build computes can replace some partitions of the table an earlier build wrote, or the table must be replaced. */
final class TableShape {
  private TableShape() {}

  /** The same columns in the same order, of the same types (nullability aside): a newer model may have added one. */
  static boolean fits(StructType written, StructType table) {
    StructField[] w = written.fields();
    StructField[] t = table.fields();
    if (w.length != t.length) {
      return false;
    }
    for (int i = 0; i < w.length; i++) {
      if (!w[i].name().equals(t[i].name()) || !w[i].dataType().sameType(t[i].dataType())) {
        return false;
      }
    }
    return true;
  }
}
