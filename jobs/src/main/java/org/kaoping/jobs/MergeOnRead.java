package org.kaoping.jobs;

import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateProperties;
import org.apache.spark.sql.SparkSession;

/**
 * Row-level changes written as delete files rather than by rewriting every data file that holds a changed row.
 *
 * <p>A day's changes touch keys spread over the whole table (a log reviewed today was written weeks ago): copy-on-write
 * would rewrite nearly every file on every build, a cost that grows with the history. Merge-on-read writes the new
 * rows and position deletes; {@code kaoping maintain} compacts the delete files away.
 */
final class MergeOnRead {
  private MergeOnRead() {}

  /**
   * Sets the table's MERGE, UPDATE and DELETE modes to merge-on-read where they are not (tables of older builds), and
   * has Spark's catalog reload it so that the next statement sees them.
   */
  static void ensure(SparkSession spark, Table table, String name) {
    UpdateProperties update = table.updateProperties();
    boolean changed = false;
    for (String mode : new String[] {TableProperties.MERGE_MODE, TableProperties.UPDATE_MODE, TableProperties.DELETE_MODE}) {
      if (!"merge-on-read".equals(table.properties().get(mode))) {
        update.set(mode, "merge-on-read");
        changed = true;
      }
    }
    if (changed) {
      update.commit();
      spark.catalog().refreshTable(name);
    }
  }
}
