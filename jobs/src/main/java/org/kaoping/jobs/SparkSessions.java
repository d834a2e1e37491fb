package org.kaoping.jobs;

import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.kaoping.warehouse.WarehouseCatalog;

/** Builds the Spark session with the warehouse's Iceberg catalog as the default catalog. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * @param master        Spark master ({@code local[*]} by default; a cluster URL in production)
   * @param catalog       Iceberg catalog properties, the same the ingestion uses
   * @param extraSparkConf any {@code spark.*} settings from the configuration, applied last
   */
  public static SparkSession create(String master, Map<String, String> catalog, Map<String, String> extraSparkConf) {
    SparkSession.Builder b = SparkSession.builder()
        .appName("kaoping")
        .master(master)
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config("spark.sql.catalog." + WarehouseCatalog.NAME, "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.defaultCatalog", WarehouseCatalog.NAME)
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.debug.maxToStringFields", "1000");
    catalog.forEach((k, v) -> b.config("spark.sql.catalog." + WarehouseCatalog.NAME + "." + k, v));
    extraSparkConf.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
