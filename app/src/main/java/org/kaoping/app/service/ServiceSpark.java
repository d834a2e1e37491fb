package org.kaoping.app.service;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.kaoping.config.KaopingConfig;
import org.kaoping.jobs.SparkSessions;

/**
 * The one Spark session of the service's builds and publications (they never overlap: both hold the build lock),
 * created on first use and stopped with the service, without the Iceberg catalog's table cache: a long-lived session
 * must see every commit the capture makes, or a build reads a snapshot id its cached table does not know.
 */
final class ServiceSpark implements AutoCloseable {
  private final KaopingConfig config;
  private SparkSession spark;

  ServiceSpark(KaopingConfig config) {
    this.config = config;
  }

  /** The session, created on the first call. */
  synchronized SparkSession session() {
    if (spark == null) {
      Map<String, String> catalog = new LinkedHashMap<>(config.catalogProperties());
      catalog.put("cache-enabled", "false");
      spark = SparkSessions.create(config.sparkMaster(), catalog, config.sparkConf());
    }
    return spark;
  }

  @Override
  public synchronized void close() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }
}
