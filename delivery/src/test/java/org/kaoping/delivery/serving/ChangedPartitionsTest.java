package org.kaoping.delivery.serving;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.jobs.SparkSessions;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * Which serving partitions changed between two snapshots, as the builds write marts: a partition overwritten (by period,
 * by month of work), an unchanged snapshot, and a replaced table (every partition: a vanished one must not be missed).
 */
class ChangedPartitionsTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static WarehouseCatalog warehouse;

  @BeforeAll
  static void start() {
    Map<String, String> catalog = Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString());
    spark = SparkSessions.create("local[2]", catalog, Map.of());
    warehouse = WarehouseCatalog.open(catalog);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS mart");
  }

  @AfterAll
  static void stop() throws Exception {
    spark.close();
    warehouse.close();
  }

  @Test
  void anOverwrittenPeriodIsTheOnlyChangeAndAReplacedTableIsAnyChange() throws Exception {
    spark.sql("CREATE TABLE mart.by_period USING iceberg PARTITIONED BY (period_type, period) AS SELECT * FROM VALUES"
        + " ('MONTH', '2025-09', 1), ('MONTH', '2025-10', 2), ('QUARTER', '2025-Q4', 3) AS v(period_type, period, x)");
    long first = snapshot("mart.by_period");
    assertEquals(Optional.of(Set.of()), between("mart.by_period", first, first, PartitionKind.PERIOD));

    spark.sql("SELECT 'MONTH' AS period_type, '2025-10' AS period, 20 AS x").writeTo("mart.by_period")
        .overwrite(col("period_type").equalTo("MONTH").and(col("period").equalTo("2025-10")));
    long second = snapshot("mart.by_period");
    assertEquals(Optional.of(Set.of("MONTH:2025-10")), between("mart.by_period", first, second, PartitionKind.PERIOD));

    spark.sql("CREATE OR REPLACE TABLE mart.by_period USING iceberg PARTITIONED BY (period_type, period) AS SELECT * FROM"
        + " VALUES ('MONTH', '2025-09', 1) AS v(period_type, period, x)"); // 2025-10 and 2025-Q4 vanish
    Optional<Set<String>> replaced = between("mart.by_period", second, snapshot("mart.by_period"), PartitionKind.PERIOD);
    assertTrue(replaced.isEmpty() || replaced.get().containsAll(List.of("MONTH:2025-10", "QUARTER:2025-Q4")), replaced.toString());
  }

  @Test
  void anOverwrittenMonthOfWorkIsTheOnlyChange() throws Exception {
    spark.sql("CREATE TABLE mart.by_month USING iceberg PARTITIONED BY (months(work_date)) AS SELECT log_id, CAST(d AS DATE)"
        + " AS work_date FROM VALUES (1, '2025-09-30'), (2, '2025-10-01'), (3, NULL) AS v(log_id, d)");
    long first = snapshot("mart.by_month");
    spark.sql("SELECT 4 AS log_id, DATE'2025-10-02' AS work_date").writeTo("mart.by_month")
        .overwrite(col("work_date").geq("2025-10-01").and(col("work_date").lt("2025-11-01")));
    assertEquals(Optional.of(Set.of("2025-10")), between("mart.by_month", first, snapshot("mart.by_month"),
        PartitionKind.WORK_MONTH));
    assertEquals(List.of("2025-10"), spark.table("mart.by_month").where(PartitionKind.WORK_MONTH.within(List.of("2025-10")))
        .select(PartitionKind.WORK_MONTH.label()).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  private static long snapshot(String table) {
    return table(table).currentSnapshot().snapshotId();
  }

  private static Table table(String table) {
    return warehouse.load(TableIdentifier.parse(table));
  }

  private static Optional<Set<String>> between(String table, long from, long to, PartitionKind kind) {
    return ChangedPartitions.between(table(table), from, to, kind);
  }
}
